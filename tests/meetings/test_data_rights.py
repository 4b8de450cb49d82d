"""What "Download my data" and "Delete my account" do with meetings' records."""

from __future__ import annotations

import pytest

from accounts.data_rights import handlers
from accounts.services.data_rights import collect_personal_data, erase_account
from meetings.models import Input, InputRevision, InputStatus, InputVisibility
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _input(meeting, author, body, visibility=InputVisibility.ATTRIBUTED):
    item = Input.objects.create(
        meeting=meeting,
        author=author,
        body=body,
        visibility=visibility,
        status=InputStatus.CONFIRMED,
    )
    InputRevision.objects.create(input=item, body=body + " (earlier wording)")
    return item


def test_my_input_and_its_history_are_in_my_export(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)
    _input(meeting, personas.ash, "More evening sessions, please")
    data = str(collect_personal_data(personas.ash))
    assert "More evening sessions, please" in data
    assert "(earlier wording)" in data


def test_deleting_my_account_deletes_what_i_said_by_default(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)
    _input(meeting, personas.ash, "Mine")
    kept = _input(meeting, personas.river, "Someone else's")
    erase_account(user=personas.ash, keep_input_anonymous=False)
    assert list(Input.objects.all()) == [kept]
    assert not InputRevision.objects.filter(input__author=personas.ash).exists()


def test_or_keeps_it_without_my_name_and_without_earlier_wordings(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)
    mine = _input(meeting, personas.ash, "Keep this, but not my name")
    erase_account(user=personas.ash, keep_input_anonymous=True)
    mine.refresh_from_db()
    assert mine.body == "Keep this, but not my name"
    assert mine.visibility == InputVisibility.ANONYMOUS
    assert mine.author.erased_at is not None  # the tombstone, which names nobody
    assert not mine.revisions.exists()


def test_every_meetings_model_that_refers_to_a_person_is_registered():
    registered = {handler.model._meta.label for handler in handlers()}
    assert {
        "meetings.Input",
        "meetings.Attendance",
        "meetings.MeetingInvitation",
        "meetings.AgendaItem",
        "meetings.MinutesComment",
    } <= registered
