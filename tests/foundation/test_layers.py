"""The command line's non-web commands load no web framework (the layers, at run time)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

WEB_MODULES = ("flask", "flask_login", "flask_wtf", "wtforms", "web")


@pytest.mark.parametrize(
    "command",
    [
        ["deadlines", "list"],
        ["scheduler", "--once"],
        ["audit", "verify"],
        ["workflows", "list"],
    ],
)
def test_cli_commands_import_no_web_module(tmp_path, command):
    environ = {**os.environ, "CONCORD_INSTANCE_PATH": str(tmp_path / "instance")}
    environ.pop("CONCORD_TEST_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "cli", "init"], env=environ, check=True, capture_output=True
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cli", *command],
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    loaded_web = sorted(m for m in imported if m.split(".")[0] in WEB_MODULES)
    assert loaded_web == [], f"concord {' '.join(command)} imported {loaded_web[:5]}"
    assert "sqlalchemy" in imported  # the trace is real: the command did load the engine
