"""E-mail: each notice rendered in its recipient's language, sent over SMTP from the outbox.

Delivery runs in the scheduler process (workflow.scheduler), never in a web request.
With no `smtp_host` the messages stay in the outbox. Otherwise `deliver` takes the due
rows one at a time, sends each and marks it sent in its own commit: at least once.
A sender killed between the server's answer and its commit sends that one message
again, with the same Message-ID (derived from the row and its recipient), and no other.
Failures are retried with exponential back-off, then marked failed.

Texts come from the interface's catalogues (babel's Translations, the same .mo files),
so the web layer is not needed: the N_ messages below and the templates in
mail_templates are extracted with everything else.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, parseaddr
from functools import cache
from pathlib import Path

from babel.dates import format_datetime as babel_datetime
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.settings import TRANSLATIONS_DIR, Settings
from models import Notification, User
from models.notification import CANCELLED, DIGEST, FAILED, OFF, PENDING, SENT, SKIPPED
from workflow import clock, notifications, outbox, reminders, times
from workflow.errors import N_

log = logging.getLogger("concord.mail")

TEMPLATES = Path(__file__).parent / "mail_templates"
MAX_BACKOFF = timedelta(hours=6)
BATCH_LIMIT = 500  # rows looked at in one delivery pass
TIMEOUT_SECONDS = 30
# Header lines up to RFC 5322's limit: a long unsubscribe URL stays one plain line.
SMTP = SMTP_POLICY.clone(max_line_length=998)

SUBJECTS = {
    outbox.ROUND_OPENED: N_("%(symbol)s: a round opened in the %(body)s"),
    outbox.REMINDER: N_("Reminder: %(symbol)s awaits your state's answer"),
    outbox.SILENCE_BROKEN: N_("%(symbol)s: the silence was broken"),
    outbox.ROUND_CLOSED: N_("%(symbol)s: the round closed (%(outcome)s)"),
    outbox.DEADLINE_EXTENDED: N_("%(symbol)s: the deadline was extended"),
    outbox.ON_BEHALF: N_("%(symbol)s: a position was recorded on behalf of %(participant)s"),
    outbox.SENT_BACK: N_("%(symbol)s was sent back for revision"),
    outbox.DECISION_ADOPTED: N_("%(symbol)s: decision %(decision)s adopted"),
    outbox.INVITATION: N_("Your account in Concord: choose your password"),
    outbox.PASSWORD_RESET: N_("Concord: a link to reset your password"),
}
ACCOUNT_LINES = {
    outbox.INVITATION: N_(
        "An account has been opened for you. Choose your password with the link below; "
        "it works once, for 7 days."
    ),
    outbox.PASSWORD_RESET: N_(
        "Someone asked to reset the password of your account. If it was you, choose a new "
        "password with the link below; it works once, for 30 minutes. If it was not, ignore "
        "this message: your password stays as it is."
    ),
}
OUTCOMES = {
    "consensus": N_("Consensus"),
    "ad_referendum": N_("Adopted ad referendum"),
    "no_consensus": N_("No consensus"),
    "silence_broken": N_("Silence broken"),
    "lapsed": N_("Lapsed"),
    "void": N_("Void (text revised)"),
}
POSITIONS = {
    "consent": N_("Consent"),
    "consent_with_statement": N_("Consent with an interpretative statement"),
    "reservation": N_("Consent with a formal reservation"),
    "stand_aside": N_("Stand aside"),
    "objection": N_("Object"),
    "consent_ad_referendum": N_("Consent ad referendum (subject to confirmation by the capital)"),
}
DIGEST_SUBJECT = N_("Concord: your daily digest")


# ---------------------------------------------------------------- rendering


@cache
def translations(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [language], domain="messages")


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)
    return env


def gettext(language: str, message: str, **params) -> str:
    text = translations(language).gettext(message)
    return text % params if params else text


@dataclass
class Item:
    subject: str
    lines: list[str]
    link: str


@dataclass
class Recipient:
    user: User
    language: str
    zone: str


def _when(value: str | None, recipient: Recipient) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return babel_datetime(
        moment, "d MMMM y, HH:mm zzzz", tzinfo=times.zone(recipient.zone), locale=recipient.language
    )


def compose(notice: Notification, recipient: Recipient, public_url: str) -> Item:
    """The subject, lines and link of one notice in the recipient's language and zone."""
    lang = recipient.language
    p = notice.payload or {}
    if notice.kind in outbox.ACCOUNT_KINDS:
        lines = [gettext(lang, ACCOUNT_LINES[notice.kind])]
        return Item(gettext(lang, SUBJECTS[notice.kind]), lines, p.get("url", ""))
    title = (p.get("title_ru") if lang == "ru" else "") or p.get("title", "")
    symbol = p.get("symbol", "")
    body = (
        (p.get("body_name_ru") if lang == "ru" else "") or p.get("body_name") or p.get("body", "")
    )
    outcome = gettext(lang, OUTCOMES[p["outcome"]]) if p.get("outcome") in OUTCOMES else ""
    subject = gettext(
        lang,
        SUBJECTS[notice.kind],
        symbol=symbol,
        body=body,
        outcome=outcome,
        participant=p.get("participant", ""),
        decision=p.get("decision", ""),
    )
    lines = [f"{symbol} — {title}"] if title else []
    deadline = _when(p.get("deadline"), recipient)
    kind = notice.kind
    if kind == outbox.ROUND_OPENED:
        lines.append(
            gettext(lang, N_("The %(body)s decides on this text by consensus."), body=body)
        )
        if deadline:
            lines.append(gettext(lang, N_("Deadline: %(deadline)s."), deadline=deadline))
        else:
            lines.append(gettext(lang, N_("It is decided in session: the chair closes the round.")))
    elif kind == outbox.REMINDER:
        lines.append(
            gettext(
                lang,
                N_("Your state has not answered yet. The deadline is %(deadline)s."),
                deadline=deadline,
            )
        )
    elif kind in (outbox.SILENCE_BROKEN, outbox.ROUND_CLOSED):
        lines.append(gettext(lang, N_("Outcome: %(outcome)s."), outcome=outcome))
        for key, message in (
            ("objections", N_("Objection by %(state)s: %(text)s")),
            ("statements", N_("Statement by %(state)s: %(text)s")),
            ("reservations", N_("Reservation by %(state)s: %(text)s")),
        ):
            for entry in p.get(key, []):
                lines.append(
                    gettext(lang, message, state=entry.get("participant"), text=entry.get("text"))
                )
    elif kind == outbox.DEADLINE_EXTENDED:
        lines.append(
            gettext(
                lang,
                N_("The deadline moved from %(before)s to %(after)s."),
                before=_when(p.get("from"), recipient),
                after=deadline,
            )
        )
        lines.append(gettext(lang, N_("Reason: %(reason)s"), reason=p.get("reason", "")))
    elif kind == outbox.ON_BEHALF:
        position = p.get("position", "")
        position = (p.get("position_names") or {}).get(lang) or (
            gettext(lang, POSITIONS[position]) if position in POSITIONS else position
        )
        channel_names = p.get("channel_names") or {}
        if channel_names:  # a channel of the forum's own (a letter of the Chair)
            received = " ".join(
                part
                for part in (
                    channel_names.get(lang) or next(iter(channel_names.values())),
                    p.get("reference", ""),
                )
                if part
            )
            line = gettext(
                lang,
                N_("The Secretariat recorded this position for %(participant)s (%(received)s): %(position)s."),
                participant=p.get("participant", ""),
                received=received,
                position=position,
            )
        else:
            line = gettext(
                lang,
                N_(
                    "The Secretariat recorded this position for %(participant)s "
                    "(note verbale %(reference)s): %(position)s."
                ),
                participant=p.get("participant", ""),
                reference=p.get("reference", ""),
                position=position,
            )
        lines.append(line)
        lines.append(gettext(lang, N_("If this is a mistake, tell the Secretariat at once.")))
    elif kind == outbox.SENT_BACK:
        lines.append(gettext(lang, N_("A new version is needed before it goes further.")))
    elif kind == outbox.DECISION_ADOPTED:
        lines.append(gettext(lang, N_("Decision %(decision)s."), decision=p.get("decision", "")))
    base = public_url.rstrip("/")
    link = f"{base}/documents/{notice.document_id}" if notice.document_id else ""
    return Item(subject=subject, lines=lines, link=link)


def message_id(notice: Notification, settings: Settings, *, digest: bool = False) -> str:
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "concord.invalid"
    prefix = "digest." if digest else ""
    return f"<concord.{prefix}n{notice.id}.u{notice.user_id}@{domain}>"


def build_message(
    session: Session,
    settings: Settings,
    notices: list[Notification],
    *,
    digest: bool = False,
) -> EmailMessage:
    """The e-mail of one notice (or of a digest of several) to their one recipient."""
    first = notices[0]
    user = first.user
    forum = times.forum(session)
    language = user.language if user.language in forum.languages else first.language
    recipient = Recipient(user, language, user.timezone or forum.timezone)
    items = [compose(n, recipient, settings.link_base) for n in notices]
    subject = gettext(language, DIGEST_SUBJECT) if digest else items[0].subject
    kind = notifications.ALL_KINDS if digest else first.kind
    token = notifications.unsubscribe_token(settings.secret_key, user.id, kind)
    base = settings.link_base
    context = {
        "name": user.name,
        "items": items,
        "subject": subject,
        "language": language,
        "forum": (forum.name_ru if language == "ru" else "") or forum.name_en,
        "settings_link": f"{base}/account#notifications",
        "unsubscribe": f"{base}/notifications/unsubscribe/{token}",
    }
    env = environment(language)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = settings.mail_from
    message["To"] = formataddr((user.name, user.email))
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id(first, settings, digest=digest)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{context['unsubscribe']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(env.get_template("message.txt").render(context))
    message.add_alternative(env.get_template("message.html").render(context), subtype="html")
    message["Content-Language"] = language  # after the parts: set_content drops Content-*
    return message


# ---------------------------------------------------------------- SMTP


def tls_context() -> ssl.SSLContext:
    """The context that checks the server's certificate (tests swap in their own CA)."""
    return ssl.create_default_context()


def connect(settings: Settings) -> smtplib.SMTP:
    host, port = settings.smtp_host, settings.smtp_port_or_default
    if settings.smtp_security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=TIMEOUT_SECONDS, context=tls_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        if settings.smtp_security == "starttls":
            smtp.starttls(context=tls_context())
    if settings.smtp_username:
        smtp.login(settings.smtp_username, settings.smtp_password)
    return smtp


def transmit(smtp: smtplib.SMTP, message: EmailMessage) -> str:
    """One message through an open connection; returns the server's answer to it."""
    sender = parseaddr(message["From"])[1]
    recipient = parseaddr(message["To"])[1]
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(recipient)
    if code not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
    code, answer = smtp.data(message.as_bytes())
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
    return f"{code} {answer.decode(errors='replace')}"


def send_test(settings: Settings, to: str) -> str:
    """`concord mail test`: one message to `to`; the server's answer (raises on failure)."""
    if not settings.smtp_host:
        raise smtplib.SMTPException("no smtp_host is set: messages stay in the outbox")
    message = EmailMessage(policy=SMTP)
    message["Subject"] = "Concord: test message"
    message["From"] = settings.mail_from
    message["To"] = to
    message["Date"] = format_datetime(clock.now())
    message.set_content("This message tests Concord's mail settings.")
    smtp = connect(settings)
    try:
        return transmit(smtp, message)
    finally:
        with contextlib.suppress(smtplib.SMTPException):
            smtp.quit()


# ---------------------------------------------------------------- delivery


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=1) * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    reminders: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"reminders written {self.reminders}, sent {self.sent}, retried {self.retried}, "
            f"failed {self.failed}, skipped {self.skipped}, cancelled {self.cancelled}, "
            f"waiting for a digest {self.deferred}"
        )


class _Connection:
    """One SMTP connection for a delivery pass, opened at the first message."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> str:
        if self.smtp is None:
            self.smtp = connect(self.settings)
        return transmit(self.smtp, message)

    def reset(self) -> None:
        """After a refused message: the next one starts a new transaction."""
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.drop()

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.drop()


def _next_due(session: Session, now: datetime) -> Notification | None:
    return session.scalar(
        select(Notification)
        .where(Notification.status == PENDING, Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _digest_group(session: Session, notice: Notification, now: datetime) -> list[Notification]:
    """The person's pending notices that wait for this digest."""
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.user_id == notice.user_id,
            Notification.status == PENDING,
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.id)
    )
    return [
        row for row in rows if notifications.delivery_for(session, row.user_id, row.kind) == DIGEST
    ]


def _handle(
    session: Session,
    notice: Notification,
    now: datetime,
    settings: Settings,
    connection: _Connection,
    report: DeliveryReport,
) -> bool:
    """Decide and send one due notice; False: stop this pass (the server is unreachable)."""
    user = notice.user
    if not user.active:
        notice.status = SKIPPED
        report.skipped += 1
        return True
    if notice.kind == outbox.REMINDER and not reminders.still_due(session, notice, now):
        notice.status = CANCELLED
        report.cancelled += 1
        return True
    delivery = notifications.delivery_for(session, user.id, notice.kind)
    if delivery == OFF:
        notice.status = SKIPPED
        report.skipped += 1
        return True
    group = [notice]
    if delivery == DIGEST:
        zone = times.zone(user.timezone or times.forum(session).timezone)
        moment = notifications.digest_moment(notice.created_at, zone)
        if now < moment:
            notice.next_attempt_at = moment
            report.deferred += 1
            return True
        group = [
            row
            for row in _digest_group(session, notice, now)
            if row.kind != outbox.REMINDER or reminders.still_due(session, row, now)
        ] or [notice]
    message = build_message(session, settings, group, digest=delivery == DIGEST)
    try:
        connection.send(message)
    except (smtplib.SMTPException, OSError) as error:
        # Not connected, disconnected or a socket error: the server is out of reach.
        unreachable = (
            connection.smtp is None
            or isinstance(error, smtplib.SMTPServerDisconnected)
            or not isinstance(error, smtplib.SMTPException)
        )
        if unreachable:
            connection.drop()
        else:
            connection.reset()
        for row in group:
            row.attempts += 1
            row.last_error = str(error)[:500] or type(error).__name__
            if row.attempts >= settings.mail_max_attempts:
                row.status = FAILED
                report.failed += 1
            else:
                row.next_attempt_at = now + backoff(row.attempts)
                report.retried += 1
        report.errors.append(str(error))
        log.warning("sending %s failed: %s", message["Message-ID"], error)
        return not unreachable
    for index, row in enumerate(group):
        row.status = SENT
        row.sent_at = now
        row.attempts += 1
        row.last_error = ""
        if row.kind in outbox.ACCOUNT_KINDS:
            row.payload = {}  # the single-use link is not kept once sent
        if index == 0:
            row.message_id = message["Message-ID"]
    report.sent += len(group)
    return True


def deliver(
    runtime,
    *,
    now: datetime | None = None,
    should_stop: Callable[[], bool] | None = None,
    limit: int = BATCH_LIMIT,
) -> DeliveryReport:
    """One pass: write the reminders that fell due, then send what is due, one commit each."""
    now = now or clock.now()
    report = DeliveryReport()
    with runtime.transaction() as session:
        report.reminders = reminders.write_due(session, now)
    settings = runtime.settings
    if not settings.smtp_host:
        return report  # no mail server: everything stays in the outbox
    connection = _Connection(settings)
    try:
        for _ in range(limit):
            if should_stop is not None and should_stop():
                break
            with runtime.sessions() as session:
                notice = _next_due(session, now)
                if notice is None:
                    break
                go_on = _handle(session, notice, now, settings, connection, report)
                session.commit()
            if not go_on:
                break
    finally:
        connection.close()
    return report
