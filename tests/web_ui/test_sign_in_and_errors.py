"""Sign-in, the failed-login throttle, CSRF, error pages and safe rendering."""

from __future__ import annotations

import re
from datetime import timedelta

from web_helpers import NOW, sign_in

from web.views.text import Piece, diff_summary, render_markdown, word_diff
from workflow import clock


def test_sign_in_and_out(client, world):
    user = world.users["coordinator"]
    assert client.get("/").status_code == 302
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Awaiting my state" in client.get("/").get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, world):
    response = sign_in(client, world.users["coordinator"].email, "not-the-password-9")
    assert response.status_code == 401
    assert "The e-mail address or the password is not right." in response.get_data(as_text=True)
    assert sign_in(client, "nobody@test.example").status_code == 401


def test_next_only_leads_within_the_site(client, world):
    email = world.users["coordinator"].email
    data = {"email": email, "password": "test-password-1"}
    response = client.post("/login?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/documents", data=data)
    assert response.headers["Location"] == "/documents"


def test_failed_sign_ins_are_throttled_per_address_and_window(app, client, world, settings):
    email = world.users["coordinator"].email
    for _ in range(settings.login_attempts):
        assert sign_in(client, email, "wrong-password-1").status_code == 401
    # Even the right password is refused now, with a plain explanation.
    refused = sign_in(client, email)
    assert refused.status_code == 429
    assert "Too many sign-in attempts. Please try again in 5 minute(s)." in refused.get_data(
        as_text=True
    )
    assert refused.headers["Retry-After"] == str(settings.login_window_seconds)
    # Another account from the same client address is not locked yet.
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    client.post("/logout")
    clock.set_now(NOW + timedelta(seconds=settings.login_window_seconds + 1))
    assert sign_in(client, email).status_code == 302


def test_every_worker_counts_the_same_failures(app, client, world, settings):
    """Two app instances (two gunicorn workers) on one database share the throttle."""
    from web import create_app

    other_app = create_app(settings, session_factory=app.extensions["concord.sessions"])
    other_app.config["WTF_CSRF_ENABLED"] = False
    other_worker = other_app.test_client()
    email = world.users["coordinator"].email
    for number in range(settings.login_attempts):
        worker = client if number % 2 else other_worker
        assert sign_in(worker, email, "wrong-password-1").status_code == 401
    assert sign_in(client, email).status_code == 429
    assert sign_in(other_worker, email).status_code == 429


def test_failed_sign_ins_are_throttled_per_client_address(client, world, settings):
    for number in range(settings.login_attempts * 4):
        sign_in(client, f"guess{number}@test.example", "wrong-password-1")
    assert sign_in(client, world.users["coordinator"].email).status_code == 429


def test_a_form_without_its_csrf_token_is_refused(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    user = world.users["delegate_of_the_state"]
    data = {"email": user.email, "password": "test-password-1"}
    refused = client.post("/login", data=data)
    assert refused.status_code == 400
    assert "The form had expired" in refused.get_data(as_text=True)
    assert client.post("/login", data={**data, "csrf_token": token}).status_code == 302
    position = {"participant": "CHN", "kind": "consent"}
    refused = client.post(f"/rounds/{world.silence.id}/position", data=position)
    assert refused.status_code == 400
    assert "Awaiting my state" in client.get("/").get_data(as_text=True)
    assert f"/rounds/{world.silence.id}/position" in client.get("/").get_data(as_text=True)


def test_cookies_are_http_only_and_same_site(client, world):
    response = sign_in(client, world.users["coordinator"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_refused_transition_explains_itself(client, world):
    sign_in(client, world.users["coordinator"].email)
    response = client.post(f"/documents/{world.concept.id}/fire", data={"trigger": "submit"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "not possible in the document&#39;s current state" in text
    assert "Traceback" not in text


def test_a_stale_page_asks_to_reload(client, world):
    sign_in(client, world.users["coordinator"].email)
    response = client.post(
        f"/documents/{world.concept.id}/fire",
        data={"trigger": "withdraw", "lock_version": str(world.concept.lock_version - 1)},
    )
    assert response.status_code == 409
    assert "Someone else changed this document" in response.get_data(as_text=True)


def test_position_text_is_required_where_the_rules_say(client, world):
    sign_in(client, world.users["delegate_of_the_state"].email)
    response = client.post(
        f"/rounds/{world.silence.id}/position", data={"participant": "CHN", "kind": "objection"}
    )
    assert response.status_code == 422
    assert "The grounds of the objection are required." in response.get_data(as_text=True)


def test_an_objection_breaks_the_silence_and_a_change_keeps_history(client, world):
    sign_in(client, world.users["delegate_of_the_state"].email)
    url = f"/rounds/{world.silence.id}/position"
    client.post(url, data={"participant": "CHN", "kind": "stand_aside"})
    objection = {"participant": "CHN", "kind": "objection", "text": "Not agreed."}
    client.post(url, data={**objection, "confirmed": "yes"})
    page = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert "Silence broken" in page
    assert "1 change" in page
    again = client.post(url, data={"participant": "CHN", "kind": "consent"})
    assert again.status_code == 409
    assert "positions can no longer be recorded" in again.get_data(as_text=True)


def test_unexpected_errors_show_no_traceback(app, client, world, monkeypatch):
    sign_in(client, world.users["coordinator"].email)
    monkeypatch.setattr("workflow.queries.list_documents", lambda *a: 1 / 0)
    response = client.get("/documents")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong on our side" in text and "ZeroDivisionError" not in text


def test_markdown_is_rendered_safely():
    html = str(
        render_markdown(
            "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold** "
            '<a href="javascript:x">y</a> [ok](https://a.example)'
        )
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert '<a href="https://a.example" rel="noopener noreferrer nofollow">ok</a>' in html


def test_the_word_diff_marks_words_per_paragraph():
    old = "# Title\n\n1. The States agree.\n2. Old *text*."
    new = "# Title\n\n1. The Member States agree\nfully.\n2. New text.\n3. Added."
    diff = word_diff(old, new)
    assert [p.kind for p in diff] == ["equal", "changed", "changed", "inserted"]
    assert diff[0].pieces == [Piece("equal", "Title")]  # markup is not a word
    assert Piece("insert", "Member ") in diff[1].pieces and Piece("insert", " fully") in diff[1].pieces
    assert Piece("delete", "Old") in diff[2].pieces and Piece("insert", "New") in diff[2].pieces
    assert diff_summary(diff) == {"inserted": 5, "deleted": 1, "paragraphs": 3}


def test_the_diff_page_shows_both_languages_word_by_word(client, world):
    sign_in(client, world.users["delegate_of_the_state"].email)
    page = client.get(f"/documents/{world.concept.id}/diff?from=1&to=2").get_data(as_text=True)
    assert 'id="diff-en"' in page and 'id="diff-ru"' in page
    assert '<ins class="diff-ins"><span class="visually-hidden">[inserted: </span>, amended' in page
    only_russian = client.get(f"/documents/{world.concept.id}/diff?from=1&to=2&lang=ru")
    assert 'id="diff-en"' not in only_russian.get_data(as_text=True)
    assert client.get(f"/documents/{world.concept.id}/diff?lang=fr").status_code == 422


def test_a_delegate_of_several_states_chooses_the_state_explicitly(
    client, world, session, make_user
):
    both = make_user(session, delegate_of=["CHN", "IND"])
    sign_in(client, both.email)
    url = f"/rounds/{world.silence.id}/position"
    page = client.get(url).get_data(as_text=True)
    assert "choose the state you act for" in page
    missing = client.post(url, data={"kind": "consent"})
    assert missing.status_code == 422
    assert "Choose the state." in missing.get_data(as_text=True)
    assert client.post(url, data={"participant": "IND", "kind": "consent"}).status_code == 302
    grid = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert both.email in grid or both.name in grid


def test_a_delegate_cannot_record_for_a_state_they_do_not_represent(client, world):
    sign_in(client, world.users["delegate_of_the_state"].email)  # China's delegate
    response = client.post(
        f"/rounds/{world.silence.id}/position",
        data={"participant": "IND", "kind": "objection", "text": "x"},
    )
    assert response.status_code == 403
    page = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert "Silence broken" not in page


def test_unknown_and_inactive_accounts_cost_one_password_check_too(client, world, monkeypatch):
    """No timing difference to enumerate accounts: every sign-in checks one password hash."""
    from workflow import accounts

    checked = []
    check = accounts.check_password_hash
    monkeypatch.setattr(
        accounts, "check_password_hash", lambda *args: checked.append(1) or check(*args)
    )
    inactive = world.users["observer"]
    inactive.active = False
    for email in ("nobody@test.example", inactive.email, world.users["coordinator"].email):
        assert sign_in(client, email, "wrong-password-1").status_code == 401
    assert len(checked) == 3
    assert sign_in(client, inactive.email).status_code == 401  # the right password, inactive


def test_a_next_that_is_not_a_plain_local_path_is_ignored(client, world):
    data = {"email": world.users["coordinator"].email, "password": "test-password-1"}
    for target in ("/%0D%0ASet-Cookie:x=1", "//evil.example/x", "/\\evil.example", "http:/x"):
        response = client.post(f"/login?next={target}", data=data)
        assert response.status_code == 302 and response.headers["Location"] == "/"
        client.post("/logout")
    response = client.post("/login?next=/documents?state=open", data=data)
    assert response.headers["Location"] == "/documents?state=open"
