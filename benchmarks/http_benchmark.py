"""HTTP benchmark: `POST /api/v1/rounds/{id}/positions` against a bare endpoint, same run.

    python benchmarks/http_benchmark.py --baseline PATH/baseline_app.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench [--duration 15]

It starts two gunicorn servers with the same settings (2 workers, no preload): Concord
(`web:create_app()`) and the bare endpoint named by `--baseline` (a WSGI module with an
`app` that answers `POST /positions`, inserting one row per request). Each has a
schema of its own in the given PostgreSQL database, created here and dropped at the end.

Concord's load is realistic: the CICA profile, 28 delegates with API tokens of their own
and 100 open meeting rounds; each request is one delegate recording their own state's
position (consent or standing aside, so rounds stay open) in a round drawn at random.
`wrk` (with a Lua script written here) loads each server in turn, Concord and the
baseline alternately `--repeats` times after a warm-up; the figures are the medians of
the requests per second, and their ratio. It also prints the size of the reply to a
position at the start and at the end, in a round where every state has answered (it
must not grow with the history).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.orm import Session

from models import PositionKind, User
from models.db import make_engine
from workflow import audit, operations
from workflow.tokens import create_token

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_benchmark import open_meeting_round, prepare_database  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
KINDS = ("consent", "stand_aside")


@dataclass
class Load:
    """Who answers where: (state code, token) of each delegate, and the open rounds."""

    delegates: list[tuple[str, str]]
    rounds: list[int]


@dataclass
class WrkResult:
    requests_per_second: float
    mean_latency: str
    errors: int  # non-2xx answers and socket errors

    @classmethod
    def parse(cls, output: str) -> WrkResult:
        rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
        if rate is None:
            raise RuntimeError(f"wrk printed no rate:\n{output}")
        latency = re.search(r"Latency\s+(\S+)", output)
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        sockets = re.search(r"Socket errors:.*", output)
        socket_errors = sum(int(n) for n in re.findall(r"\d+", sockets.group(0))) if sockets else 0
        return cls(
            float(rate.group(1)),
            latency.group(1) if latency else "?",
            (int(bad.group(1)) if bad else 0) + socket_errors,
        )


# ------------------------------------------------------------------ databases


def with_search_path(url: str, schema: str) -> str:
    """The URL with a libpq `options` that puts `schema` first on the search path."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def schemas(url: str, *names: str):
    admin = make_engine(url)
    with admin.begin() as connection:
        for name in names:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield
    finally:
        with admin.begin() as connection:
            for name in names:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def prepare_concord(url: str, rounds: int) -> Load:
    engine = make_engine(url)
    try:
        people = prepare_database(engine)
        with Session(engine, expire_on_commit=False) as session:
            secretariat = session.get(User, people["secretariat"])
            round_ids = [open_meeting_round(session, secretariat) for _ in range(rounds)]
            delegates = [
                (code, create_token(session, session.get(User, user_id), name="bench").secret)
                for code, user_id in sorted(people["delegates"].items())
            ]
            # Every state answers in the first round: its reply is measured before and after.
            for code, user_id in sorted(people["delegates"].items()):
                operations.record_position(
                    session,
                    session.get(User, user_id),
                    round_ids[0],
                    participant=code,
                    kind=PositionKind.CONSENT,
                )
            session.commit()
        return Load(delegates, round_ids)
    finally:
        engine.dispose()


# ------------------------------------------------------------------ servers and load


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app: str, port: int, workers: int, env: dict[str, str], chdir: Path):
    command = [
        *(sys.executable, "-m", "gunicorn"),
        *("--workers", str(workers), "--bind", f"127.0.0.1:{port}"),
        *("--chdir", str(chdir), "--log-level", "warning", app),
    ]
    server = subprocess.Popen(command, env={**os.environ, **env}, cwd=chdir)
    try:
        wait_until_listening(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_listening(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} stopped (exit {server.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not start in {timeout:.0f} s")


def lua_list(values) -> str:
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


def concord_script(load: Load) -> str:
    return f"""
local codes = {lua_list(code for code, _ in load.delegates)}
local tokens = {lua_list(token for _, token in load.delegates)}
local rounds = {lua_list(load.rounds)}
local kinds = {lua_list(KINDS)}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 100 + seed)
end

function request()
  local d = math.random(#codes)
  local body = '{{"participant": "' .. codes[d] .. '", "kind": "' .. kinds[math.random(#kinds)] .. '"}}'
  local headers = {{}}
  headers["Authorization"] = "Bearer " .. tokens[d]
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/rounds/" .. rounds[math.random(#rounds)] .. "/positions",
                    headers, body)
end
"""


def baseline_script(load: Load) -> str:
    return f"""
local codes = {lua_list(code for code, _ in load.delegates)}
local kinds = {lua_list(KINDS)}

function request()
  local body = "round=" .. math.random(100) .. "&state=" .. codes[math.random(#codes)]
               .. "&kind=" .. kinds[math.random(#kinds)] .. "&note=ok"
  local headers = {{}}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/positions", headers, body)
end
"""


def run_wrk(url: str, script: Path, seconds: int, threads: int, connections: int) -> WrkResult:
    command = [
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"),
        *("--timeout", "10s", "-s", str(script), url),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return WrkResult.parse(done.stdout)


def reply_size(base: str, load: Load) -> int:
    """Bytes of the reply to one position (the first delegate, in the first round)."""
    code, token = load.delegates[0]
    request = urllib.request.Request(
        f"{base}/api/v1/rounds/{load.rounds[0]}/positions",
        data=json.dumps({"participant": code, "kind": "consent"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, type=Path, help="the bare endpoint's module")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("CONCORD_BENCH_DATABASE_URL", ""),
        help="a PostgreSQL database (two schemas are created there and dropped)",
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds of each measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of each warm-up run")
    parser.add_argument("--repeats", type=int, default=2, help="measured runs of each server")
    parser.add_argument("--rounds", type=int, default=100, help="open rounds to answer in")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("--database-url must name a PostgreSQL database")
    if not args.baseline.is_file():
        parser.error(f"--baseline: no file {args.baseline}")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")

    audit_key = secrets.token_hex(32)
    audit.configure_keys(audit_key)
    tag = uuid.uuid4().hex[:8]
    concord_schema, baseline_schema = f"concord_http_{tag}", f"concord_http_base_{tag}"
    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        stack.enter_context(schemas(args.database_url, concord_schema, baseline_schema))
        concord_url = with_search_path(args.database_url, concord_schema)
        started = time.perf_counter()
        load = prepare_concord(concord_url, args.rounds)
        print(
            f"{len(load.delegates)} delegates, {len(load.rounds)} open rounds "
            f"(prepared in {time.perf_counter() - started:.0f} s)"
        )
        scripts = {"concord": Path(folder) / "concord.lua", "baseline": Path(folder) / "base.lua"}
        scripts["concord"].write_text(concord_script(load))
        scripts["baseline"].write_text(baseline_script(load))
        servers = {
            "concord": stack.enter_context(
                gunicorn(
                    "web:create_app()",
                    free_port(),
                    args.workers,
                    {
                        "CONCORD_ENV": "production",
                        "CONCORD_DATABASE_URL": concord_url,
                        "CONCORD_SECRET_KEY": secrets.token_hex(32),
                        "CONCORD_AUDIT_KEY": audit_key,
                        "CONCORD_INSTANCE_PATH": folder,
                    },
                    PROJECT,
                )
            ),
            "baseline": stack.enter_context(
                gunicorn(
                    f"{args.baseline.stem}:app",
                    free_port(),
                    args.workers,
                    {"BASELINE_DB": with_search_path(args.database_url, baseline_schema)},
                    args.baseline.resolve().parent,
                )
            ),
        }
        size_before = reply_size(servers["concord"], load)
        targets = {
            "concord": servers["concord"],
            "baseline": servers["baseline"] + "/positions",
        }
        results: dict[str, list[WrkResult]] = {"concord": [], "baseline": []}
        for name, url in targets.items():
            run_wrk(url, scripts[name], args.warmup, args.threads, args.connections)
        for _ in range(args.repeats):
            for name, url in targets.items():
                results[name].append(
                    run_wrk(url, scripts[name], args.duration, args.threads, args.connections)
                )
        size_after = reply_size(servers["concord"], load)

    print(
        f"\nwrk -t{args.threads} -c{args.connections}, {args.repeats} x {args.duration} s each, "
        f"gunicorn {args.workers} workers"
    )
    print(f"  {'server':<40} {'requests/s':>11} {'mean latency':>13} {'errors':>7}")
    rates = {}
    for name, label in (
        ("baseline", "bare endpoint (one INSERT)"),
        ("concord", "Concord POST /rounds/{id}/positions"),
    ):
        runs = results[name]
        rates[name] = statistics.median(r.requests_per_second for r in runs)
        latency = "/".join(r.mean_latency for r in runs)
        errors = sum(r.errors for r in runs)
        print(f"  {label:<40} {rates[name]:>11.1f} {latency:>13} {errors:>7}")
    print(f"  {'ratio Concord / bare endpoint':<40} {rates['concord'] / rates['baseline']:>11.2f}")
    print(f"\n  reply to a position: {size_before} bytes at the start, {size_after} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
