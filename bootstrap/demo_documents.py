"""Demo documents, so a fresh `concord init --demo` looks alive.

Everything goes through the engine's operations, as the demo users would do it:
a concept paper agreed in the SWG and now under a silence procedure in the SOC,
an observer application under consideration, a catalogue amendment in the SWG,
and the 2010 Convention with a few instruments deposited.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bootstrap.demo_accounts import create_demo_accounts
from models import Document, InstrumentKind, PositionKind, RoundMode, User
from workflow import operations, times

CONCEPT_EN = """# Concept paper on confidence-building measures in the military-political dimension

1. The Member States reaffirm the voluntary and consensus-based character of the
   implementation of confidence-building measures (CBMs).

2. The coordinating State proposes to hold, within the next two years, an expert
   workshop on the exchange of information on military exercises.

3. Participation is open to all Member States; observers may be invited by consensus.
"""

CONCEPT_RU = """# Концептуальный документ о мерах доверия в военно-политическом измерении

1. Государства-члены подтверждают добровольный и основанный на консенсусе характер
   реализации мер доверия (МД).

2. Координирующее государство предлагает провести в течение двух лет семинар
   экспертов по обмену информацией о военных учениях.

3. Участие открыто для всех государств-членов; наблюдатели могут приглашаться на
   основе консенсуса.
"""

CONCEPT_EN_REV2 = CONCEPT_EN.replace(
    "within the next two years", "in 2026, at a venue to be agreed,"
).replace(
    "on military exercises.",
    "on military exercises and on\n   the invitation of observers to them.",
)

APPLICATION_EN = """The Economic Cooperation Organization requests observer status in CICA,
in accordance with the Rules of Procedure, and confirms its support of the
principles of the Almaty Act."""

AMENDMENT_EN = """Exchange of best practices in protecting critical infrastructure against
terrorist attacks."""

AMENDMENT_RU = """Обмен передовым опытом в области защиты критически важной инфраструктуры от
террористических атак."""

CONVENTION_EN = """# Convention on the Privileges and Immunities of the Secretariat

Article 1. The Secretariat shall possess juridical personality.

Article 2. The Convention shall enter into force on the thirtieth day after the
deposit of the fourteenth instrument of ratification, acceptance, approval or accession."""


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        raise LookupError(f"demo account {email} is missing")
    return user


def create_demo_documents(session: Session) -> list[Document]:
    """Create the demo documents once; returns them (nothing when documents already exist)."""
    if session.scalar(select(func.count(Document.id))):
        return []
    create_demo_accounts(session)
    secretariat = _user(session, "secretariat@concord.example")
    kaz = _user(session, "kaz@concord.example")
    tur = _user(session, "tur@concord.example")
    chn = _user(session, "chn@concord.example")
    ind = _user(session, "ind@concord.example")
    now = times.now_utc()

    # A concept paper: drafted by Kazakhstan, agreed in the SWG, now under silence in the SOC.
    concept = operations.create_document(
        session,
        kaz,
        kind="concept_paper",
        title="Expert workshop on information exchange about military exercises",
        title_ru="Семинар экспертов по обмену информацией о военных учениях",
        priority_area="MIL-1",
        proposer="KAZ",
        texts={"en": CONCEPT_EN, "ru": CONCEPT_RU},
    )
    operations.add_version(
        session,
        kaz,
        concept.id,
        texts={"en": CONCEPT_EN_REV2, "ru": CONCEPT_RU},
        note="Dates and observers' invitation made precise after informal consultations",
        circulate_unchanged=True,  # the Russian text follows later: the page shows it behind
    )
    operations.fire_trigger(session, kaz, concept.id, "submit")
    swg = operations.open_round(session, secretariat, concept.id, mode=RoundMode.MEETING)
    for user, code in ((kaz, "KAZ"), (tur, "TUR"), (ind, "IND")):
        operations.record_position(
            session, user, swg.id, participant=code, kind=PositionKind.CONSENT
        )
    operations.record_position(
        session,
        chn,
        swg.id,
        participant="CHN",
        kind=PositionKind.CONSENT_WITH_STATEMENT,
        text="China understands paragraph 3 as leaving each invitation to consensus.",
    )
    operations.close_round(session, secretariat, swg.id, note="Agreed at the SWG meeting")
    soc = operations.open_round(
        session,
        secretariat,
        concept.id,
        mode=RoundMode.SILENCE,
        deadline=now + timedelta(days=6, hours=5),
    )
    operations.record_position(session, tur, soc.id, participant="TUR", kind=PositionKind.CONSENT)
    operations.record_position(
        session,
        secretariat,
        soc.id,
        participant="IND",
        kind=PositionKind.RESERVATION,
        text="India reserves its position on the participation of observers.",
        reference="No. NV/2025/114",
    )

    # An observer application in the SOC.
    application = operations.create_document(
        session,
        secretariat,
        kind="observer_application",
        title="Application of the Economic Cooperation Organization for observer status",
        title_ru="Заявка Организации экономического сотрудничества на получение статуса наблюдателя",
        applicant="ECO",
        texts={"en": APPLICATION_EN},
    )
    operations.fire_trigger(session, secretariat, application.id, "begin_check")
    operations.fire_trigger(session, secretariat, application.id, "forward_to_soc")
    operations.open_round(
        session,
        secretariat,
        application.id,
        mode=RoundMode.SILENCE,
        deadline=now + timedelta(hours=20),
    )

    # A catalogue amendment proposed by Türkiye, before the SWG.
    amendment = operations.create_document(
        session,
        tur,
        kind="catalogue_amendment",
        title="New measure: protection of critical infrastructure against terrorist attacks",
        title_ru="Новая мера: защита критически важной инфраструктуры от террористических атак",
        proposer="TUR",
        priority_area="NCT-1",
        texts={"en": AMENDMENT_EN, "ru": AMENDMENT_RU},
    )
    operations.propose_changes(
        session,
        tur,
        amendment.id,
        [
            {
                "op": "add_measure",
                "area": "NCT-1",
                "text_en": AMENDMENT_EN,
                "text_ru": AMENDMENT_RU,
            }
        ],
    )
    operations.fire_trigger(session, tur, amendment.id, "submit")
    operations.open_round(session, secretariat, amendment.id, mode=RoundMode.MEETING)

    # The 2010 Convention, with a few instruments deposited.
    convention = operations.create_document(
        session,
        secretariat,
        kind="convention",
        title="Convention on the Privileges and Immunities of the CICA Secretariat",
        title_ru="Конвенция о привилегиях и иммунитетах Секретариата СВМДА",
        threshold=14,
        texts={"en": CONVENTION_EN},
    )
    today = times.today(session)
    for offset, (code, kind) in enumerate(
        (
            ("KAZ", InstrumentKind.SIGNATURE),
            ("KAZ", InstrumentKind.RATIFICATION),
            ("TUR", InstrumentKind.SIGNATURE),
            ("RUS", InstrumentKind.RATIFICATION),
            ("KGZ", InstrumentKind.ACCESSION),
        )
    ):
        operations.record_instrument(
            session,
            secretariat,
            convention.id,
            participant=code,
            kind=kind,
            deposited_on=today - timedelta(days=400 - offset * 60),
        )
    volunteerism = _catalogue_update_of_2024(session, secretariat)
    return [concept, application, amendment, convention, volunteerism]


VOLUNTEERISM_EN = """Promote cooperation among the Member States in the field of volunteerism,
as an important aspect of civic engagement, including exchanges among youth and volunteer
organisations."""

VOLUNTEERISM_RU = """Содействовать сотрудничеству государств-членов в области волонтерства как
важного аспекта гражданской активности, включая обмены между молодежными и волонтерскими
организациями."""


def _catalogue_update_of_2024(session: Session, secretariat: User) -> Document:
    """The 2024 update of the Catalogue (a volunteerism measure), entered after the fact: the
    MC adopted it on 17 December 2024. The earlier dates are illustrative."""
    update = operations.create_document(
        session,
        secretariat,
        kind="catalogue_amendment",
        title="A measure on cooperation in the field of volunteerism",
        title_ru="Мера по сотрудничеству в области волонтерства",
        proposer="KAZ",
        priority_area="HUM-1",
        texts={"en": VOLUNTEERISM_EN, "ru": VOLUNTEERISM_RU},
        taken_on=date(2024, 6, 3),
    )
    change = {"op": "add_measure", "area": "HUM-1", "text_en": VOLUNTEERISM_EN,
              "text_ru": VOLUNTEERISM_RU}
    operations.propose_changes(session, secretariat, update.id, [change])
    operations.fire_trigger(session, secretariat, update.id, "submit", taken_on=date(2024, 6, 3))
    for held_on in (date(2024, 10, 8), date(2024, 11, 14), date(2024, 12, 17)):
        meeting = operations.open_round(session, secretariat, update.id, mode=RoundMode.MEETING)
        operations.close_round(session, secretariat, meeting.id, taken_on=held_on)
    return update
