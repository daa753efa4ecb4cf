"""Notifications in the app (the list, the unread count, marking read), the e-mail
preferences on the account page, the one-click unsubscribe link, and the outbox page of
the Secretariat and administrators."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from models.notification import DELIVERIES, STATUSES
from web import csrf, db
from web.forms import ActionForm
from web.views import bp
from web.views.common import viewer_zone_name
from workflow import mail, notifications, outbox, visibility
from workflow.errors import InvalidInput, NotFound, NotPermitted

DELIVERY_LABELS = {
    "immediately": lambda: _("Immediately"),
    "digest": lambda: _("Daily digest (08:00)"),
    "off": lambda: _("Not by e-mail"),
}
STATUS_LABELS = {
    "pending": lambda: _("Waiting"),
    "sent": lambda: _("Sent"),
    "failed": lambda: _("Failed"),
    "cancelled": lambda: _("Cancelled"),
    "skipped": lambda: _("Not sent (preference)"),
}


def _user():
    return current_user._get_current_object()


def _settings():
    return current_app.extensions["concord.runtime"].settings


@bp.app_context_processor
def unread_notifications():
    def count() -> int:
        if not current_user.is_authenticated:
            return 0
        return notifications.unread_count(db.session(), current_user)

    return {"unread_notifications": count}


def _items(rows):
    recipient = mail.Recipient(_user(), str(get_locale() or "en"), viewer_zone_name())
    return [(row, mail.compose(row, recipient, request.host_url)) for row in rows]


@bp.route("/notifications")
@login_required
def notification_list():
    rows = notifications.for_user(db.session(), _user())
    return render_template(
        "notifications/list.html", items=_items(rows), form=ActionForm(), kinds=outbox.KINDS
    )


@bp.route("/notifications/<id:notification_id>/read", methods=["POST"])
@login_required
def notification_read(notification_id: int):
    try:
        notifications.mark_read(db.session(), _user(), notification_id)
    except NotFound:
        abort(404)
    return redirect(url_for("views.notification_list"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def notification_read_all():
    count = notifications.mark_read(db.session(), _user())
    flash(
        ngettext("%(num)d notification marked read.", "%(num)d notifications marked read.", count),
        "success",
    )
    return redirect(url_for("views.notification_list"))


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the link is its own proof (signed); mail clients POST it (RFC 8058)
def unsubscribe(token: str):
    secret = _settings().secret_key
    try:
        notifications.read_unsubscribe_token(secret, token)
    except InvalidInput:
        return render_template("notifications/unsubscribe.html", invalid=True), 400
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", invalid=False, done=False)
    try:
        notifications.unsubscribe(db.session(), secret, token)
    except (InvalidInput, NotFound):
        db.session().rollback()
        return render_template("notifications/unsubscribe.html", invalid=True), 400
    return render_template("notifications/unsubscribe.html", invalid=False, done=True)


@bp.route("/outbox")
@login_required
def outbox_page():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400, _("Unknown status."))
    try:
        rows = notifications.outbox_page(db.session(), _user(), status=status)
    except NotPermitted:
        abort(403, _("This page is for the Secretariat and administrators."))
    return render_template(
        "notifications/outbox.html",
        rows=rows,
        status=status,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        kinds=outbox.ALL_KINDS,
        mail_on=bool(_settings().smtp_host),
    )


def preference_choices():
    """For the account page: every kind, its label, the choices allowed, the current one."""
    user = _user()
    observer = bool(user.observed_participants) and not visibility.sees_everything(user)
    current = notifications.preferences(db.session(), user.id, observer=observer)
    return [
        (
            kind,
            label,
            [
                (d, DELIVERY_LABELS[d]())
                for d in DELIVERIES
                if not (d == "off" and kind in outbox.ALWAYS_SENT)
            ],
            current[kind],
        )
        for kind, label in outbox.KINDS.items()
    ]
