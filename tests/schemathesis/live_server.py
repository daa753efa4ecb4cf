"""A live API server for schemathesis: a file SQLite database with demo data and a token.

    python tests/schemathesis/live_server.py --instance DIR --ready-file FILE [--role ROLE]

Initialises DIR (schema, CICA profile, demo accounts, a few documents at various
stages, all through the engine's operations), issues a token for the demo account
of ROLE, serves the app on a free port of 127.0.0.1 and writes "PORT TOKEN" to
FILE once it accepts connections. Stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import timedelta
from decimal import Decimal

from werkzeug.serving import make_server

import migrations
from bootstrap.demo import demo_for
from bootstrap.demo_accounts import create_demo_accounts
from bootstrap.profile import load_profile
from bootstrap.runtime import build_runtime
from config.settings import load_settings
from models import RoundMode, User
from web import create_app
from workflow import operations, times
from workflow.tokens import create_token_for_email

ROLES = {
    "secretariat": "secretariat@concord.example",
    "delegate": "kaz@concord.example",
    "observer": "jpn@concord.example",
    "admin": "admin@concord.example",
}
TEXTS = {"en": "Text for the fuzzing run.", "ru": "Текст для проверки."}


def _user(session, email: str) -> User:
    from sqlalchemy import select

    return session.scalar(select(User).where(User.email == email))


def seed(session) -> None:
    """Documents at several stages, so ids 1, 2, ... name real things."""
    secretariat = _user(session, ROLES["secretariat"])
    kaz = _user(session, ROLES["delegate"])
    paper = operations.create_document(
        session,
        kaz,
        kind="concept_paper",
        title="Fuzzing paper",
        title_ru="Документ",
        priority_area="MIL-1",
        texts=TEXTS,
    )
    operations.fire_trigger(session, kaz, paper.id, "submit")
    operations.open_round(session, secretariat, paper.id, mode=RoundMode.MEETING)
    project = operations.create_document(
        session,
        kaz,
        kind="project_proposal",
        title="Fuzzing project",
        title_ru="Документ",
        proposer="KAZ",
        budget=Decimal("1000"),
        texts=TEXTS,
    )
    for trigger in ("screen", "forward_to_prc"):
        operations.fire_trigger(session, secretariat, project.id, trigger)
    deadline = times.now_utc() + timedelta(days=30)
    operations.open_round(
        session, secretariat, project.id, mode=RoundMode.WRITTEN, deadline=deadline
    )
    convention = operations.create_document(
        session,
        secretariat,
        kind="convention",
        title="Fuzzing convention",
        title_ru="Документ",
        threshold=14,
        texts=TEXTS,
    )
    operations.record_instrument(
        session,
        secretariat,
        convention.id,
        participant="KAZ",
        kind="ratification",
        deposited_on=times.today(session) - timedelta(days=3),
    )
    operations.create_document(
        session,
        secretariat,
        kind="observer_application",
        title="Fuzzing application",
        title_ru="Документ",
        applicant="EEC",
        texts=TEXTS,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", required=True)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--role", choices=sorted(ROLES), default="secretariat")
    args = parser.parse_args()

    settings = load_settings(
        environ={}, env="testing", instance_path=args.instance, secret_key="schemathesis"
    )
    runtime = build_runtime(settings)
    migrations.upgrade(runtime.engine)
    with runtime.transaction() as session:
        load_profile(session, settings.profile)
        create_demo_accounts(session, demo_for(session, settings.profile).accounts)
        seed(session)
        secret = create_token_for_email(session, ROLES[args.role], name="schemathesis").secret

    app = create_app(runtime=runtime)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    signal.signal(signal.SIGTERM, _interrupt)
    with open(args.ready_file, "w") as handle:
        handle.write(f"{server.server_port} {secret}\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        runtime.dispose()
    return 0


def _interrupt(_signal, _frame) -> None:
    # serve_forever runs in this thread: leave it by an exception, not by shutdown().
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
