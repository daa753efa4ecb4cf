"""WCAG 2.1 AA with axe-core (vendored from the npm registry, tests/browser/vendor) in
Debian's Chromium: every page each role (delegate, coordinator, Secretariat, observer,
administrator) reaches from its home page, in English and in Russian, and the sign-in
and error pages; a serious or critical violation fails the test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ROLES = {
    "delegate": "chn@concord.example",
    "coordinator": "kaz@concord.example",
    "secretariat": "secretariat@concord.example",
    "observer": "jpn@concord.example",
    "administrator": "admin@concord.example",
}
MAX_PAGES = 40
SKIPPED = (".csv", ".ics", ".pdf", "/logout", "/static/", "lang=")
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}"""


def _shape(path: str) -> str:
    """Pages of one kind once: /documents/7 and /documents/9 are the same page."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    return [
        href.split("#")[0]
        for href in hrefs
        if href.startswith("/") and not href.startswith("//") and not any(s in href for s in SKIPPED)
    ]


def _violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated, not injected: the page's CSP allows no inline script
    return page.evaluate(RUN_AXE)


def _audit_reachable_pages(page) -> dict[str, list[str]]:
    queue, shapes, found = ["/"], {"/"}, {}
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(page.base + path)
        assert response.status < 500, path
        found[path] = _violations(page)
        for link in _links(page):
            if _shape(link) not in shapes:
                shapes.add(_shape(link))
                queue.append(link)
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("role", ROLES)
def test_no_serious_violation_on_any_page(open_page, role, language):
    page = open_page(ROLES[role])
    page.goto(f"{page.base}/?lang={language}")
    audited = _audit_reachable_pages(page)
    assert len(audited) > 5  # the crawl really reached the pages
    failing = {path: found for path, found in audited.items() if found}
    assert not failing


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_sign_in_and_error_pages(open_page, language):
    page = open_page()
    page.goto(f"{page.base}/login?lang={language}")
    assert _violations(page) == []
    page.goto(f"{page.base}/documents/999999")
    assert _violations(page) == []
