"""The Quickstart's `concord serve` on a fresh instance answers with the CICA profile, and
with any other profile and its own demo data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SMALL_FORUM = Path(__file__).parents[1] / "data" / "profiles" / "small_forum.toml"


@pytest.mark.parametrize(
    ("profile", "members", "printed"),
    [(None, 28, "secretariat@concord.example"), (SMALL_FORUM, 5, "nor@concord.example")],
    ids=["cica", "small_forum"],
)
def test_serve_initialises_a_fresh_instance_and_answers(tmp_path, profile, members, printed):
    instance = tmp_path / "instance"
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    environ["CONCORD_INSTANCE_PATH"] = str(instance)
    if profile is not None:
        environ["CONCORD_PROFILE"] = str(profile)
    server = subprocess.Popen(
        [sys.executable, "-c", "from cli import main; main()", "serve", "--port", str(port)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        database = create_engine(f"sqlite:///{instance / 'concord.sqlite3'}")
        with database.connect() as connection:
            counted = connection.execute(
                text("SELECT count(*) FROM participant WHERE status = 'member'")
            ).scalar()
            demo = connection.execute(
                text("SELECT count(*) FROM user_account WHERE email LIKE '%@concord.example'")
            ).scalar()
        database.dispose()
        assert counted == members
        assert demo == 7
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert printed in output  # the demo accounts are printed
