"""The words a forum calls its participants and parts by.

A profile gives them in every interface language (`[vocabulary]`); a word it does not
give is the neutral one here, translated by the message catalogue.
"""

from __future__ import annotations

from models import Forum
from workflow.errors import N_

# The key a profile uses, and the neutral word (a catalogue message) when it says nothing.
VOCABULARY_WORDS = {
    "member": N_("member"),
    "members": N_("members"),
    "observer": N_("observer"),
    "observers": N_("observers"),
    "partner": N_("partner"),
    "partners": N_("partners"),
    "applicant": N_("applicant"),
    "applicants": N_("applicants"),
    "former": N_("former participant"),
    "participant": N_("Participant"),  # the heading of a column of participants
    "bodies": N_("bodies"),  # in a sentence: "the bodies of the Conference"
    "catalogue": N_("Catalogue"),
    "chair": N_("Chair"),
}


def word(forum: Forum | None, key: str, language: str, translate=lambda text: text) -> str:
    """The forum's word for `key` in `language`; else the neutral one, through `translate`."""
    if forum is not None:
        given = forum.word(key, language)
        if given:
            return given
    return translate(VOCABULARY_WORDS[key])
