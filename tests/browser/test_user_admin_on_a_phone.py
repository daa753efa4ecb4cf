"""On a phone (390 px wide): the Secretariat invites a delegate, the delegate chooses a
password from the link and signs in; no page of the journey scrolls sideways."""

from __future__ import annotations

from browser_helpers import PHONE, fits_the_screen

PASSWORD = "amber kettle orbit lantern"


def test_an_invitation_on_a_phone(open_page):
    officer = open_page("secretariat@concord.example")
    officer.set_viewport_size(PHONE)
    officer.goto(f"{officer.base}/users")
    fits_the_screen(officer, "users-list")
    officer.click("text=Invite a user")
    fits_the_screen(officer, "invitation-form")
    officer.fill("input[name=email]", "aigerim.sadykova@mfa.example")
    officer.fill("input[name=name]", "Aigerim Sadykova")
    officer.select_option("select[name=delegate_of]", ["KAZ"])
    officer.click("main form button[type=submit]")
    link = officer.locator("#invitation-link pre").inner_text().strip()
    assert "/password/" in link
    fits_the_screen(officer, "user-page")

    newcomer = open_page()
    newcomer.set_viewport_size(PHONE)
    newcomer.goto(link)
    fits_the_screen(newcomer, "choose-password")
    newcomer.fill("input[name=new_password]", PASSWORD)
    newcomer.fill("input[name=confirm_password]", PASSWORD)
    newcomer.click("button[type=submit]")
    newcomer.wait_for_url(f"{newcomer.base}/login")
    newcomer.fill("input[name=email]", "aigerim.sadykova@mfa.example")
    newcomer.fill("input[name=password]", PASSWORD)
    newcomer.click("button[type=submit]")
    newcomer.wait_for_url(f"{newcomer.base}/")
    assert "Aigerim Sadykova" in newcomer.content()
    assert not officer.errors and not newcomer.errors
