"""Helpers for the browser tests (screenshots land in tests/screenshots, git-ignored)."""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


PHONE = {"width": 390, "height": 844}
# Elements reaching past the right edge, outside boxes that scroll on purpose.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.grid-scroll'))
  .slice(0, 5).map(e => `${e.tagName}.${e.className}`)"""


def fits_the_screen(page, name: str) -> None:
    """The page does not scroll sideways and nothing reaches past the screen's right edge
    (the answer grid and wide tables scroll inside their own box); a screenshot is kept."""
    screenshot(page, f"phone-{name}")
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.evaluate(OVERFLOWING) == [], name
