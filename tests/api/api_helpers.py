"""Constants the API tests share (a module of its own: every conftest is named conftest)."""

# ENV-1's coordinator is Thailand and it has no co-coordinator: roles stay distinct.
AREA = "ENV-1"
COORDINATOR_STATE = "THA"
STATE = "KAZ"  # a member state whose position the tests record
OTHER_STATE = "IND"
OBSERVER_STATE = "JPN"
TEXTS = {"en": "The text of the paper.", "ru": "Текст документа."}
