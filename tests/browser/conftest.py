"""A live Concord server on its own SQLite file, and Debian's Chromium driven by Playwright.

The rolled-back `session` fixture is invisible to the server thread, so the
browser tests get a database of their own, built the way `concord init --demo`
builds one: migrations, the CICA profile, demo accounts and demo documents.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

import migrations
from bootstrap.demo import create_demo, demo_for
from bootstrap.profile import load_profile
from bootstrap.runtime import build_runtime
from config.settings import DEFAULT_PROFILE, PACKAGE_DIR, load_settings
from web import create_app
from workflow.registry import configure

CHROMIUM = "/usr/bin/chromium"
OSCE = PACKAGE_DIR / "profiles" / "osce.toml"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PASSWORDS = {
    "secretariat@concord.example": "demo-secretariat-1",
    "kaz@concord.example": "demo-kaz-1",
    "tur@concord.example": "demo-tur-1",
    "chn@concord.example": "demo-chn-1",
    "ind@concord.example": "demo-ind-1",
    "jpn@concord.example": "demo-jpn-1",
    "admin@concord.example": "demo-admin-1",
    "che@concord.example": "demo-che-1",  # the OSCE demo's Chairpersonship
}


def demo_runtime(folder, profile=DEFAULT_PROFILE):
    """A runtime on a new SQLite file in `folder`, built as `concord init --demo` builds one
    for `profile` (its own process definitions in use)."""
    settings = load_settings(
        environ={},
        env="testing",
        database_url=f"sqlite:///{folder / 'concord.sqlite3'}",
        instance_path=str(folder / "instance"),
        secret_key="browser-test-secret",
        profile=str(profile),
    )
    runtime = build_runtime(settings)
    migrations.upgrade(runtime.engine)
    with runtime.transaction() as session:
        load_profile(session, profile)
        create_demo(session, demo_for(session, profile))
    return runtime


@pytest.fixture(scope="module")
def live_runtime(tmp_path_factory):
    """The CICA demo; a module serves another forum by overriding this with `osce_runtime`."""
    runtime = demo_runtime(tmp_path_factory.mktemp("live"))
    yield runtime
    runtime.dispose()


@pytest.fixture(scope="module")
def osce_runtime(tmp_path_factory):
    """The OSCE profile and its demo, on a database of its own."""
    runtime = demo_runtime(tmp_path_factory.mktemp("osce"), OSCE)
    try:
        yield runtime
    finally:
        runtime.dispose()
        configure(None)  # the bundled definitions again


@pytest.fixture(scope="module")
def live_server(live_runtime) -> Iterator[str]:
    app = create_app(runtime=live_runtime)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(email) -> a signed-in page in a fresh browser context."""
    contexts = []

    def factory(email: str | None = None):
        context = browser.new_context(viewport={"width": 1360, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                page.errors.append(message.text)
                if message.type == "error" and "Failed to load resource" not in message.text
                else None
            ),
        )
        page.base = live_server
        if email:
            page.goto(f"{live_server}/login")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", PASSWORDS[email])
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server}/")
        return page

    yield factory
    for context in contexts:
        context.close()
