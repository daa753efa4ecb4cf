"""Fictitious forums at two scales, generated on PostgreSQL in one pass per table.

    python benchmarks/scale_data.py --scale un --database-url postgresql+psycopg://…/concord_un

`cica` is the CICA profile's size (28 member states, 300 documents, ~100 open rounds,
~20,000 positions); `un` a 193-state forum (10,000 documents, ~2,000 open rounds,
years of closed history: ~1M positions, ~1M audit events). The schema is dropped and
created anew, the CICA profile loaded, the extra member states added, then every
table is filled by server-side `INSERT … SELECT generate_series(…)` statements (the
rows never travel through Python), and the tables analysed.

Open rounds are about half answered; each document with history has five closed
rounds, every state having answered, a few after changing its position. Every
position has its `position_recorded` audit event. The audit events are not chained
(their hashes are unique stand-ins): `concord audit verify` does not apply to this
data, which serves only the read benchmarks. Titles and texts are in English and Russian
(one of ten subjects each, «о семинарах по военным учениям», "on the invitation of
observers"), and the search index is filled from them.

Two accounts are made: `secretariat@scale.example` and `delegate.kaz@scale.example`
(delegate of Kazakhstan), both with the password `scale-password-1`.
"""

from __future__ import annotations

import argparse
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import Base, search
from models.db import make_engine
from workflow import audit
from workflow.accounts import create_user

PASSWORD = "scale-password-1"
SECRETARIAT = "secretariat@scale.example"
DELEGATE = "delegate.kaz@scale.example"


@dataclass(frozen=True)
class Scale:
    name: str
    states: int  # member states in all
    documents: int
    open_rounds: int  # one per document, on the first documents
    history_documents: int  # documents with five closed rounds each, after those


SCALES = {
    "cica": Scale("cica", states=28, documents=300, open_rounds=103, history_documents=140),
    "un": Scale("un", states=193, documents=10_000, open_rounds=2_003, history_documents=840),
}
CLOSED_PER_DOCUMENT = 5
# A unique stand-in for an event's hash (the chain is not computed).
UNIQUE_HASH = "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')"


def _statements(scale: Scale) -> list[str]:
    """The SQL that fills the tables, in order. History comes first, as in a forum's life:
    documents 1..history_documents hold the closed rounds (ids 1.., five each); the open
    rounds have the newest ids, one on each of the newest documents."""
    o, h, d = scale.open_rounds, scale.history_documents, scale.documents
    closed = h * CLOSED_PER_DOCUMENT
    first_open_document = d - o + 1
    return [
        # Extra member states up to the scale's number.
        f"""
        INSERT INTO participant (code, kind, status, name_en, name_ru)
        SELECT 'X' || lpad(i::text, 3, '0'), 'state', 'member',
               'Fictitious State ' || i, 'Вымышленное государство ' || i
        FROM generate_series(1, {scale.states} - (SELECT count(*) FROM participant
                                                  WHERE status = 'member')) AS i
        """,
        "CREATE TEMP TABLE member AS SELECT id, code, row_number() OVER (ORDER BY id) AS n "
        "FROM participant WHERE status = 'member'",
        # Documents: history ones done, open-round ones in the state holding their round, the
        # rest just submitted. Even ids are project proposals (PRC), odd concept papers (SOC).
        f"""
        INSERT INTO document (id, kind, definition_version, symbol, title, title_ru, state,
                              restricted,
                              attributes, created_at, updated_at, submitted_on, lock_version,
                              proposer_id, created_by_id)
        SELECT i,
               CASE WHEN i % 2 = 0 THEN 'project_proposal' ELSE 'concept_paper' END, 1,
               'SCALE/' || i,
               'Fictitious ' || CASE WHEN i % 2 = 0 THEN 'project' ELSE 'concept paper' END
                 || ' number ' || i || ' on cooperation in area ' || (i % 37),
               'Вымышленный ' || CASE WHEN i % 2 = 0 THEN 'проект' ELSE 'концептуальный документ'
                 END || ' № ' || i || ' о сотрудничестве в области ' || (i % 37),
               CASE WHEN i >= {first_open_document} THEN
                      CASE WHEN i % 2 = 0 THEN 'prc_review' ELSE 'soc_consideration' END
                    WHEN i <= {h} THEN
                      CASE WHEN i % 2 = 0 THEN 'completed' ELSE 'approved' END
                    ELSE CASE WHEN i % 2 = 0 THEN 'submitted' ELSE 'drafting' END END,
               false, '{{}}',
               now() - interval '3 years' + (i * interval '{3 * 365 * 24 * 60 // d} minutes'),
               now() - interval '3 years' + (i * interval '{3 * 365 * 24 * 60 // d} minutes'),
               (now() - interval '3 years' + (i * interval '{3 * 365 * 24 * 60 // d} minutes'))::date, 1,
               (SELECT id FROM member WHERE n = 1 + i % {scale.states}),
               (SELECT id FROM user_account WHERE email = '{SECRETARIAT}')
        FROM generate_series(1, {d}) AS i
        """,
        f"""
        INSERT INTO document_version (id, document_id, number, note, created_at)
        SELECT i, i, 1, '', now() - interval '3 years'
        FROM generate_series(1, {d}) AS i
        """,
        f"""
        INSERT INTO version_text (version_id, language, arrived_at, body)
        SELECT i, 'en', now(), 'The text of fictitious document ' || i || ' on '
               || (ARRAY['workshops on military exercises', 'the invitation of observers',
                         'maritime security', 'energy security', 'combating terrorism',
                         'tourism', 'public health', 'small enterprises', 'migration',
                         'information technologies'])[1 + i % 10] || '.'
        FROM generate_series(1, {d}) AS i
        """,
        f"""
        INSERT INTO version_text (version_id, language, arrived_at, body)
        SELECT i, 'ru', now(), 'Текст вымышленного документа № ' || i || ' о '
               || (ARRAY['семинарах по военным учениям', 'приглашении наблюдателей',
                         'безопасности на море', 'энергетической безопасности',
                         'противодействии терроризму', 'туризме', 'здравоохранении',
                         'малых предприятиях', 'миграции',
                         'информационных технологиях'])[1 + i % 10] || '.'
        FROM generate_series(1, {d}) AS i
        """,
        # Closed rounds: five per history document, over the last three years.
        f"""
        INSERT INTO consensus_round (id, document_id, version_id, body_id, document_state, mode,
                                     status, opened_at, closed_at, decided_on, outcome,
                                     outcome_note)
        SELECT r, doc, doc,
               (SELECT id FROM body WHERE code = CASE WHEN doc % 2 = 0 THEN 'PRC' ELSE 'SOC' END),
               CASE WHEN doc % 2 = 0 THEN 'prc_review' ELSE 'soc_consideration' END,
               'meeting', 'closed',
               now() - interval '3 years' + (r * interval '{3 * 365 * 24 * 60 // closed} minutes'),
               now() - interval '3 years' + (r * interval '{3 * 365 * 24 * 60 // closed} minutes')
                 + interval '1 hour',
               (now() - interval '3 years'
                + (r * interval '{3 * 365 * 24 * 60 // closed} minutes'))::date,
               CASE WHEN r % {CLOSED_PER_DOCUMENT} = 0 THEN 'consensus' ELSE 'no_consensus' END,
               ''
        FROM generate_series(1, {closed}) AS r,
             LATERAL (SELECT 1 + (r - 1) / {CLOSED_PER_DOCUMENT} AS doc) AS d
        """,
        # Open rounds: two in three a silence procedure (some already overdue), the rest meetings.
        f"""
        INSERT INTO consensus_round (id, document_id, version_id, body_id, document_state, mode,
                                     status, opened_at, deadline_at, deadline_timezone,
                                     outcome_note)
        SELECT r, doc, doc,
               (SELECT id FROM body WHERE code = CASE WHEN doc % 2 = 0 THEN 'PRC' ELSE 'SOC' END),
               CASE WHEN doc % 2 = 0 THEN 'prc_review' ELSE 'soc_consideration' END,
               CASE WHEN r % 3 = 0 THEN 'meeting' ELSE 'silence' END, 'open',
               now() - interval '20 days' + (r % 1000) * interval '1 minute',
               CASE WHEN r % 3 = 0 THEN NULL
                    ELSE now() - interval '2 days' + ((r % 40) * interval '1 day')
                         + (r % 997) * interval '1 minute' END,
               CASE WHEN r % 3 = 0 THEN NULL ELSE 'UTC' END, ''
        FROM generate_series({closed} + 1, {closed + o}) AS r,
             LATERAL (SELECT {first_open_document} + r - {closed} - 1 AS doc) AS d
        """,
        f"""
        INSERT INTO round_elector (round_id, participant_id)
        SELECT r, m.id FROM generate_series(1, {o + closed}) AS r CROSS JOIN member AS m
        """,
        # Positions: every state in closed rounds, about half of them in open ones; one in
        # twenty answered twice (the first answer no longer current).
        f"""
        CREATE TEMP TABLE answer AS
        SELECT e.round_id, e.participant_id, m.n,
               (e.round_id * 7 + m.n * 13) % 20 = 0 AS changed
        FROM round_elector AS e JOIN member AS m ON m.id = e.participant_id
        WHERE e.round_id <= {closed} OR (e.round_id * 7 + m.n * 13) % 2 = 0
        """,
        """
        INSERT INTO position (round_id, participant_id, kind, text, amendment, channel,
                              reference, recorded_at, is_current)
        SELECT a.round_id, a.participant_id, 'objection', 'Grounds of an earlier objection.', '',
               'delegate', '', now() - interval '30 days', false
        FROM answer AS a WHERE a.changed
        """,
        f"""
        INSERT INTO position (round_id, participant_id, kind, text, amendment, channel,
                              reference, recorded_at, is_current)
        SELECT a.round_id, a.participant_id,
               CASE WHEN a.n % 9 = 0 THEN 'consent_with_statement'
                    WHEN a.n % 11 = 0 THEN 'reservation'
                    WHEN a.n % 13 = 0 AND (a.round_id <= {closed} OR a.round_id % 3 = 0)
                         THEN 'objection'
                    WHEN a.n % 7 = 0 THEN 'stand_aside'
                    ELSE 'consent' END,
               CASE WHEN a.n % 9 = 0 OR a.n % 11 = 0
                         OR (a.n % 13 = 0 AND (a.round_id <= {closed} OR a.round_id % 3 = 0))
                    THEN 'A statement of state ' || a.n || ' in round ' || a.round_id || '.'
                    ELSE '' END,
               '', 'delegate', '', now() - interval '10 days', true
        FROM answer AS a
        """,
        # History: each document's creation, each round's opening and close, each position.
        f"""
        INSERT INTO audit_event (document_id, actor_label, at, action, from_state, to_state,
                                 version_number, comment, data, prev_hash, hash)
        SELECT i, '{SECRETARIAT}', now() - interval '3 years' + (i * interval '1 hour'),
               'document_created', NULL, 'submitted', 1, '', '{{}}', '', {UNIQUE_HASH}
        FROM generate_series(1, {d}) AS i
        """,
        f"""
        INSERT INTO audit_event (document_id, actor_label, at, action, from_state, to_state,
                                 version_number, comment, data, prev_hash, hash)
        SELECT r.document_id, 'secretariat@scale.example', r.opened_at, 'round_opened',
               r.document_state, r.document_state, 1, '',
               json_build_object('round_id', r.id, 'mode', r.mode), '', {UNIQUE_HASH}
        FROM consensus_round AS r
        """,
        f"""
        INSERT INTO audit_event (document_id, actor_label, at, action, from_state, to_state,
                                 version_number, comment, data, prev_hash, hash)
        SELECT r.document_id, 'delegate@scale.example', p.recorded_at, 'position_recorded',
               r.document_state, r.document_state, 1, p.text,
               json_build_object('round_id', r.id, 'position_id', p.id,
                                 'participant', m.code, 'kind', p.kind,
                                 'channel', p.channel),
               '', {UNIQUE_HASH}
        FROM position AS p JOIN consensus_round AS r ON r.id = p.round_id
             JOIN member AS m ON m.id = p.participant_id
        ORDER BY p.id
        """,
        f"""
        INSERT INTO audit_event (document_id, actor_label, at, action, from_state, to_state,
                                 version_number, comment, data, prev_hash, hash)
        SELECT r.document_id, 'secretariat@scale.example', r.closed_at, 'round_closed',
               r.document_state, r.document_state, 1, '',
               json_build_object('round_id', r.id, 'outcome', r.outcome), '', {UNIQUE_HASH}
        FROM consensus_round AS r WHERE r.status = 'closed'
        """,
        "DELETE FROM audit_head",
        "INSERT INTO audit_head (id, last_event_id, last_hash) "
        "SELECT 1, id, hash FROM audit_event ORDER BY id DESC LIMIT 1",
    ]


SEQUENCES = ("document", "document_version", "consensus_round", "audit_event")


def generate(engine: Engine, scale: Scale, *, echo=print) -> dict[str, int]:
    """Drop and create the schema, then fill it at `scale`; returns the tables' row counts."""
    if engine.dialect.name != "postgresql":
        raise SystemExit("the scale data set is generated on PostgreSQL")
    try:
        audit.keys()
    except RuntimeError:  # the profile's load is audited: any key (these chains are not verified)
        audit.configure_keys(secrets.token_hex(32))
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_profile(session, DEFAULT_PROFILE)
        create_user(session, email=SECRETARIAT, name="Secretariat", password=PASSWORD,
                    secretariat=True)
        session.commit()
    with engine.begin() as connection:
        # Foreign keys are known to hold here: their triggers are skipped while loading.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), "
                 "(SELECT max(id) FROM audit_event))")
        )
        for sql in _statements(scale):
            start = time.perf_counter()
            connection.execute(text(sql))
            echo(f"  {time.perf_counter() - start:6.1f} s  {' '.join(sql.split())[:70]}")
        for table in SEQUENCES:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"(SELECT max(id) FROM {table}))")
            )
        start = time.perf_counter()
        search.refresh(connection)  # the full-text index of every title and current text
        echo(f"  {time.perf_counter() - start:6.1f} s  the search index")
    with Session(engine) as session:
        create_user(session, email=DELEGATE, name="Delegate of Kazakhstan", password=PASSWORD,
                    delegate_of=["KAZ"])
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        counts = {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("participant", "document", "consensus_round", "position", "audit_event")
        }
        counts["open rounds"] = connection.scalar(
            text("SELECT count(*) FROM consensus_round WHERE status = 'open'")
        )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), required=True)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to fill")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    start = time.perf_counter()
    counts = generate(engine, SCALES[args.scale])
    print(f"{args.scale}: {counts} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
