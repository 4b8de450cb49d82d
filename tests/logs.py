"""What the project's own log handlers write, with every logger at DEBUG, and a check that
none of it names a key, an address or a person.

`written_logs` points every handler that LOGGING set up (not pytest's) at one buffer, so a
test reads exactly the lines production would write, after the redaction filter. The
`logs_hold_no_secrets` fixture wraps a test with it: the survivors get chosen names and
payment details first, and afterwards the written lines must hold none of them, no e-mail
address in the database and none of the `keys` the test adds to.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest

from accounts.models import Invitation, User
from accounts.services.profile import update_payment_details, update_profile


def configured_handlers() -> list[logging.Handler]:
    """The handlers on the root logger and every named logger that write anywhere: pytest's
    and libraries' do-nothing handlers left out."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return [
        handler
        for logger in loggers
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest")
        and not isinstance(handler, logging.NullHandler)
    ]


@contextmanager
def written_logs(caplog: pytest.LogCaptureFixture) -> Iterator[StringIO]:
    """Every logger at DEBUG; every configured handler writing into the buffer yielded."""
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
    handlers = configured_handlers()
    assert handlers, "LOGGING set up no handler: nothing to read"
    assert all(isinstance(h, logging.StreamHandler) for h in handlers), handlers
    buffer = StringIO()
    levels = {handler: handler.level for handler in handlers}
    streams = {}
    for handler in handlers:
        assert isinstance(handler, logging.StreamHandler)
        streams[handler] = handler.setStream(buffer)
        handler.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        for handler, stream in streams.items():
            handler.setStream(stream)
            handler.setLevel(levels[handler])


def found_in(text: str, secrets: set[str]) -> list[str]:
    """The lines of `text` holding any of `secrets`, ignoring case."""
    lowered = {secret.lower() for secret in secrets if secret}
    return [line for line in text.splitlines() if any(s in line.lower() for s in lowered)]


CHOSEN_NAMES = {"ash": "Juniper Vale", "river": "Rowan Maple", "otto": "Sorrel Finch"}
PAYMENT = {"legal_name": "Dorothea Quill", "phone": "555 0199 731", "mailing_address": "7 Elm Row"}


@pytest.fixture
def logs_hold_no_secrets(world, caplog) -> Iterator[set[str]]:
    """Yields the set of keys the test used; fails if the logs hold any of them, or any
    chosen name, payment detail or e-mail address."""
    for who, chosen_name in CHOSEN_NAMES.items():
        person = getattr(world.personas, who)
        organization = world.own_org(who)
        update_profile(user=person, organization=organization, chosen_name=chosen_name)
        update_payment_details(user=person, organization=organization, **PAYMENT)
    keys: set[str] = set()
    with written_logs(caplog) as written:
        yield keys
    secrets = (
        keys
        | set(CHOSEN_NAMES.values())
        | set(PAYMENT.values())
        | set(User.objects.values_list("email", flat=True))
        | set(Invitation.objects.values_list("email", flat=True))
    )
    leaks = found_in(written.getvalue(), secrets)
    assert not leaks, "The logs hold a key, an address or personal data:\n" + "\n".join(leaks)
