"""Helpers shared by the interface tests."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# A change to the Catalogue, as a catalogue amendment proposes it.
VOLUNTEERISM = {
    "op": "add_measure",
    "area": "HUM-1",
    "text_en": "Promote cooperation in the field of volunteerism.",
    "text_ru": "Содействовать сотрудничеству в области волонтерства.",
}
TEST_PASSWORD = "test-password-1"  # tests/conftest.py's TEST_PASSWORD
ROLES = (
    "anonymous",
    "observer",
    "delegate_of_another_state",
    "delegate_of_the_state",
    "coordinator",
    "secretariat",
    "administrator",
)


def sign_in(client, email: str, password: str = TEST_PASSWORD):
    return client.post("/login", data={"email": email, "password": password})
