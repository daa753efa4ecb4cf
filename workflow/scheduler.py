"""Placeholder: the deadline scheduler goes here."""


def start_in_process(runtime) -> None:
    pass
