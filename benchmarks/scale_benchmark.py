"""Read-path benchmark: each page and API resource at the CICA scale and at the UN scale.

    python benchmarks/scale_benchmark.py \
        --cica-url postgresql+psycopg://…/concord_cica --un-url postgresql+psycopg://…/concord_un \
        [--generate] [--n 20]

Both databases hold a data set of `benchmarks/scale_data.py` (`--generate` makes them
first). For each scale a fresh worker process builds the WSGI app on that database,
signs in the Secretariat's and a delegate's accounts, and requests every page and
resource `--n` times in sequence after two warm-up requests; it reports the median
time, the size of the answer, the SQL statements per request and its own resident
memory (now, and at its peak). The table prints the two medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from sqlalchemy import event

WARMUP = 2


def requests_to_measure(open_round: int) -> list[tuple[str, str, str]]:
    """(label, who, path); ids refer to the same kind of row at both scales (scale_data)."""
    history_document = 1  # the first document, with five closed rounds
    return [
        ("delegate's home", "delegate", "/"),
        ("Secretariat's home", "secretariat", "/"),
        ("tracker", "secretariat", "/secretariat/tracker"),
        ("tracker CSV", "secretariat", "/secretariat/tracker.csv"),
        ("answer grid", "secretariat", "/secretariat/grid"),
        ("API decisions/pending, Secretariat", "secretariat-api", "/api/v1/decisions/pending"),
        ("API decisions/pending, delegate", "delegate-api", "/api/v1/decisions/pending"),
        ("document page, 5 closed rounds", "delegate", f"/documents/{history_document}"),
        ("API document's rounds", "delegate-api", f"/api/v1/documents/{history_document}/rounds"),
        ("search page", "delegate", "/documents?q=number+42"),
        ("search API", "delegate-api", "/api/v1/documents?q=number+42"),
        # Stemmed, in either language, over titles and texts: «семинара» finds «семинарах».
        ("search page, Russian word", "delegate", "/documents?q=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80%D0%B0"),
        ("search API, Russian word", "delegate-api", "/api/v1/documents?q=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80%D0%B0"),
        ("search API, English word", "delegate-api", "/api/v1/documents?q=observer"),
        ("search API, symbol part", "delegate-api", "/api/v1/documents?q=SCALE%2F42"),
        ("documents list", "delegate", "/documents"),
        ("API GET round", "delegate-api", f"/api/v1/rounds/{open_round}"),
        ("position form", "delegate", f"/rounds/{open_round}/position"),
    ]


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def worker(database_url: str, n: int, only: str = "") -> dict:
    """Runs in its own process: the app on one database, every request measured."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from benchmarks.scale_data import DELEGATE, PASSWORD, SECRETARIAT
    from config.settings import load_settings
    from models import Round, RoundStatus
    from web import create_app
    from workflow.tokens import create_token_for_email

    settings = load_settings(database_url=database_url, env="development")
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    engine = app.extensions["concord.runtime"].engine
    with Session(engine) as session:
        tokens = {
            "secretariat-api": create_token_for_email(session, SECRETARIAT).secret,
            "delegate-api": create_token_for_email(session, DELEGATE).secret,
        }
        open_round = session.scalar(
            select(func.min(Round.id)).where(Round.status == RoundStatus.OPEN)
        )
        session.commit()
    clients = {}
    for who, email in (("secretariat", SECRETARIAT), ("delegate", DELEGATE)):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        clients[who] = client
    statements = [0]
    event.listen(engine, "before_cursor_execute", lambda *_a: statements.__setitem__(0, statements[0] + 1))
    start_rss = resident_mb()
    results = []
    for label, who, path in requests_to_measure(open_round):
        if only not in label:
            continue
        client = clients[who.removesuffix("-api")]
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who in tokens else {}
        timings = []
        for i in range(-WARMUP, n):
            before = statements[0]
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            size = len(response.get_data())  # a streamed answer is read to its end
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.get_data()[:300]!r}")
            if i >= 0:
                timings.append(elapsed * 1000)
        results.append(
            {
                "label": label,
                "path": path,
                "median_ms": statistics.median(timings),
                "bytes": size,
                "statements": statements[0] - before,
            }
        )
    return {
        "results": results,
        "rss_start_mb": start_rss,
        "rss_end_mb": resident_mb(),
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(database_url: str, n: int, only: str = "") -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--worker", database_url, "--n", str(n), "--only", only],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def table(cica: dict, un: dict) -> str:
    lines = [
        "| page or resource | CICA median | UN median | ratio | UN size | UN statements |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for small, large in zip(cica["results"], un["results"], strict=True):
        lines.append(
            f"| {small['label']} | {small['median_ms']:.1f} ms | {large['median_ms']:.1f} ms "
            f"| {large['median_ms'] / small['median_ms']:.1f}× | {size(large['bytes'])} "
            f"| {large['statements']} |"
        )
    for name, result in (("CICA", cica), ("UN", un)):
        lines.append(
            f"\n{name} worker resident memory: {result['rss_start_mb']:.0f} MB after start-up, "
            f"{result['rss_end_mb']:.0f} MB after the requests, peak {result['rss_peak_mb']:.0f} MB"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cica-url")
    parser.add_argument("--un-url")
    parser.add_argument("--generate", action="store_true", help="generate both data sets first")
    parser.add_argument("--n", type=int, default=20, help="measured requests per page")
    parser.add_argument("--only", default="", help="measure only the requests whose label has it")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.n, args.only)))
        return
    if not (args.cica_url and args.un_url):
        parser.error("--cica-url and --un-url are required")
    measured = {}
    # Each scale generated (if asked), then measured: the two may share one database.
    for name, url in (("cica", args.cica_url), ("un", args.un_url)):
        if args.generate:
            from benchmarks.scale_data import SCALES, generate
            from models.db import make_engine

            started = time.perf_counter()
            counts = generate(make_engine(url), SCALES[name], echo=lambda _line: None)
            print(f"{name}: {counts} in {time.perf_counter() - started:.0f} s", flush=True)
        measured[name] = run_worker(url, args.n, args.only)
    print(table(measured["cica"], measured["un"]))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
