"""Input under the author's control (docs/design.md promise 4): services and the scoping point."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, ConsentScope, OutboxMessage
from accounts.services.consent import ensure_consent_texts, grant_consent, withdraw_consent
from meetings.models import Input, InputRevision, InputStatus, InputVisibility
from meetings.selectors.input import counted_inputs, input_rows, inputs_visible_to
from meetings.services.input import (
    confirm_input,
    edit_input,
    give_input,
    possible_authors_count,
    purge_unconfirmed_input,
    record_input_on_behalf,
    reject_input,
    remind_about_unconfirmed_input,
    withdraw_input,
)
from meetings.tasks import purge_unconfirmed_input as purge_task
from meetings.tasks import remind_about_unconfirmed_input as remind_task
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MeetingInvitationFactory

NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
ANON = InputVisibility.ANONYMOUS
ATTR = InputVisibility.ATTRIBUTED


@pytest.fixture
def meeting(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)
    for person in (personas.ash, personas.river):
        MeetingInvitationFactory.create(meeting=meeting, user=person)
    return meeting


def allow_attribution(personas, user):
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=user,
        organization=personas.harbor,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        text_version=1,
        language="en",
    )


def give(meeting, author, body="More evening meetings, please.", visibility=ANON):
    return give_input(meeting=meeting, author=author, body=body, visibility=visibility)


def on_behalf(personas, meeting, author=None, body="Bus fares should be paid up front."):
    return record_input_on_behalf(
        meeting=meeting, recorded_by=personas.sam, author=author or personas.ash, body=body
    )


def visible(user, meeting):
    return set(inputs_visible_to(user, meeting))


# --- giving input ------------------------------------------------------------------------


def test_an_invited_survivor_gives_confirmed_anonymous_input(personas, meeting):
    item = AgendaItemFactory.create(meeting=meeting)
    input = give_input(
        meeting=meeting, author=personas.ash, body=" Hi ", visibility=ANON, agenda_item=item
    )
    assert (input.status, input.body, input.agenda_item) == (InputStatus.CONFIRMED, "Hi", item)
    event = AuditEvent.objects.order_by("-sequence")[0]
    assert (event.action, event.target_id) == ("input.given", input.pk)
    assert "Hi" not in event.payload


def test_only_invited_survivor_leaders_may_give_input(personas, meeting):
    stranger = UserFactory.create()
    MembershipFactory.create(user=stranger, organization=personas.harbor)
    for person in (stranger, personas.sam, personas.otto):
        with pytest.raises(PermissionDenied):
            give(meeting, person)


def test_an_agenda_item_of_another_meeting_is_refused(personas, meeting):
    other_item = AgendaItemFactory.create(
        meeting=MeetingFactory.create(organization=meeting.organization)
    )
    with pytest.raises(ValidationError):
        give_input(
            meeting=meeting, author=personas.ash, body="x", visibility=ANON, agenda_item=other_item
        )


def test_attributed_input_needs_the_attribute_to_staff_consent(personas, meeting):
    with pytest.raises(ValidationError) as caught:
        give(meeting, personas.ash, visibility=ATTR)
    assert caught.value.code == "needs_consent"
    assert not Input.objects.exists()
    allow_attribution(personas, personas.ash)
    assert give(meeting, personas.ash, visibility=ATTR).visibility == ATTR


def test_anonymity_notice_counts_invited_survivor_leaders_only(personas, meeting):
    MeetingInvitationFactory.create(meeting=meeting, user=personas.sam)
    assert possible_authors_count(meeting) == 2
    third = UserFactory.create()
    MembershipFactory.create(user=third, organization=personas.harbor)
    MeetingInvitationFactory.create(meeting=meeting, user=third)
    assert possible_authors_count(meeting) == 3


# --- editing and withdrawing -------------------------------------------------------------


def test_editing_keeps_the_earlier_wording_as_a_revision(personas, meeting):
    with time_machine.travel(NOON, tick=False):
        input = give(meeting, personas.ash, body="First words")
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        edit_input(input=input, author=personas.ash, body="Better words")
    input.refresh_from_db()
    assert input.body == "Better words"
    assert input.updated_at == NOON + timedelta(hours=1)
    assert list(input.revisions.values_list("body", flat=True)) == ["First words"]


def test_only_the_author_edits_or_withdraws(personas, meeting):
    input = give(meeting, personas.ash)
    for person in (personas.river, personas.sam):
        with pytest.raises(PermissionDenied):
            edit_input(input=input, author=person, body="Not mine")
        with pytest.raises(PermissionDenied):
            withdraw_input(input=input, author=person)


def test_withdrawn_input_is_seen_only_by_its_author_and_counts_nowhere(personas, meeting):
    input = give(meeting, personas.ash)
    assert input in visible(personas.sam, meeting)
    withdraw_input(input=input, author=personas.ash)
    assert input not in visible(personas.sam, meeting)
    assert input not in visible(personas.river, meeting)
    assert input not in visible(personas.ada, meeting)
    assert input in visible(personas.ash, meeting)
    assert not counted_inputs(organization=personas.harbor).exists()


# --- recorded on someone's behalf --------------------------------------------------------


def test_only_staff_record_on_behalf_and_only_for_invited_survivors(personas, meeting):
    with pytest.raises(PermissionDenied):
        record_input_on_behalf(
            meeting=meeting, recorded_by=personas.river, author=personas.ash, body="x"
        )
    with pytest.raises(ValidationError):
        on_behalf(personas, meeting, author=personas.otto)


def test_pending_input_is_seen_by_author_and_recorder_only_and_counts_nowhere(personas, meeting):
    other_staff = UserFactory.create()
    MembershipFactory.create(user=other_staff, organization=personas.harbor, role="staff")
    input = on_behalf(personas, meeting)
    assert input.status == InputStatus.PENDING
    assert input in visible(personas.ash, meeting)
    assert input in visible(personas.sam, meeting)
    for person in (other_staff, personas.ada, personas.river, personas.fin, personas.otto):
        assert input not in visible(person, meeting)
    assert not counted_inputs(organization=personas.harbor).exists()
    assert not counted_inputs(organization=personas.harbor, meeting=meeting).exists()


def test_recording_on_behalf_tells_the_author_there_is_an_update(personas, meeting):
    on_behalf(personas, meeting)
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.kind) == (personas.ash, "input_to_confirm")


def test_confirming_as_written_makes_it_count(personas, meeting):
    input = on_behalf(personas, meeting)
    confirm_input(input=input, author=personas.ash)
    input.refresh_from_db()
    assert input.status == InputStatus.CONFIRMED
    assert input.confirmed_at is not None
    assert not input.revisions.exists()
    assert list(counted_inputs(organization=personas.harbor)) == [input]
    assert input in visible(personas.river, meeting)


def test_a_correction_keeps_the_staff_wording_for_the_author(personas, meeting):
    input = on_behalf(personas, meeting, body="Bus fares should be paid later.")
    confirm_input(input=input, author=personas.ash, body="Bus fares should be paid up front.")
    input.refresh_from_db()
    assert input.body == "Bus fares should be paid up front."
    assert InputRevision.objects.get(input=input).body == "Bus fares should be paid later."
    event = AuditEvent.objects.order_by("-sequence")[0]
    assert event.action == "input.corrected_and_confirmed"


def test_only_the_author_confirms_or_rejects(personas, meeting):
    input = on_behalf(personas, meeting)
    for person in (personas.river, personas.sam):
        with pytest.raises(PermissionDenied):
            confirm_input(input=input, author=person)
        with pytest.raises(PermissionDenied):
            reject_input(input=input, author=person)


def test_rejected_input_is_gone_for_staff_and_never_counts(personas, meeting):
    input = on_behalf(personas, meeting)
    reject_input(input=input, author=personas.ash)
    assert input not in visible(personas.sam, meeting)
    assert not counted_inputs(organization=personas.harbor).exists()
    with pytest.raises(ValidationError):
        confirm_input(input=input, author=personas.ash)


def test_unconfirmed_input_is_deleted_after_30_days(personas, meeting):
    with time_machine.travel(NOON, tick=False):
        old = on_behalf(personas, meeting)
        confirmed = on_behalf(personas, meeting)
        confirm_input(input=confirmed, author=personas.ash)
    with time_machine.travel(NOON + timedelta(days=29), tick=False):
        fresh = on_behalf(personas, meeting)
        assert purge_unconfirmed_input() == 0
    with time_machine.travel(NOON + timedelta(days=30, minutes=1), tick=False):
        assert purge_task.apply().get() == 1
    assert set(Input.objects.all()) == {confirmed, fresh}
    assert old not in visible(personas.ash, meeting)
    assert AuditEvent.objects.filter(action="input.unconfirmed_purged").count() == 1


def test_the_author_is_reminded_once_a_week_before_unchecked_input_is_deleted(personas, meeting):
    with time_machine.travel(NOON, tick=False):
        waiting = on_behalf(personas, meeting)
        checked = on_behalf(personas, meeting)
        confirm_input(input=checked, author=personas.ash)
    reminders = OutboxMessage.objects.filter(kind="input_check_reminder")
    with time_machine.travel(NOON + timedelta(days=22), tick=False):
        assert remind_about_unconfirmed_input() == 0
    with time_machine.travel(NOON + timedelta(days=23, minutes=1), tick=False):
        assert remind_task.apply().get() == 1
        assert remind_about_unconfirmed_input() == 0  # once only
    assert list(reminders.values_list("recipient", flat=True)) == [personas.ash.pk]
    waiting.refresh_from_db()
    assert waiting.reminded_at == NOON + timedelta(days=23, minutes=1)


# --- who staff see as the author ---------------------------------------------------------


def test_the_staff_member_who_recorded_it_sees_for_whom_until_it_is_checked(personas, meeting):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    waiting = on_behalf(personas, meeting)
    rows = input_rows(personas.sam, meeting, list(inputs_visible_to(personas.sam, meeting)))
    assert [(row.label, row.recorded_by_me, row.author_shown) for row in rows] == [
        ("Ash", True, True)
    ]
    assert not visible(personas.ada, meeting)  # other staff do not see it at all
    confirm_input(input=waiting, author=personas.ash)
    assert labels_for(personas.sam, meeting) == [""]  # then, the author's choice rules


def labels_for(user, meeting):
    rows = input_rows(user, meeting, list(inputs_visible_to(user, meeting)))
    return [row.author_name for row in rows]


def test_staff_see_a_name_only_while_attribution_is_chosen_and_consented(personas, meeting):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    allow_attribution(personas, personas.ash)
    give(meeting, personas.ash, visibility=ATTR)
    give(meeting, personas.ash, visibility=ANON)
    assert labels_for(personas.sam, meeting) == ["Ash", ""]
    assert labels_for(personas.river, meeting) == ["", ""]
    withdraw_consent(
        user=personas.ash, organization=personas.harbor, scope=ConsentScope.ATTRIBUTE_TO_STAFF
    )
    assert labels_for(personas.sam, meeting) == ["", ""]


def test_other_survivors_never_get_an_author_even_with_consent(personas, meeting):
    allow_attribution(personas, personas.ash)
    give(meeting, personas.ash, visibility=ATTR)
    rows = input_rows(personas.river, meeting, list(inputs_visible_to(personas.river, meeting)))
    assert [(row.author_shown, row.label) for row in rows] == [(False, "A board member")]


def test_survivors_not_invited_and_other_organizations_see_nothing(personas, meeting):
    give(meeting, personas.ash)
    stranger = UserFactory.create()
    MembershipFactory.create(user=stranger, organization=personas.harbor)
    for person in (stranger, personas.otto, personas.fin, personas.faye):
        assert not visible(person, meeting)


def test_the_audit_log_never_ties_anonymous_input_to_its_author(personas, meeting):
    """It is append-only and outlives erasure, so it must not undo "anonymous to staff"."""
    from accounts.models import AuditEvent

    item = give(meeting, personas.ash)
    edit_input(input=item, author=personas.ash, body="Evening meetings, twice a month.")
    withdraw_input(input=item, author=personas.ash)
    events = AuditEvent.objects.filter(target_type="input", target_id=item.pk)
    assert events.count() == 3
    assert not events.filter(actor_id=personas.ash.pk).exists()


def test_nothing_more_is_added_to_a_cancelled_meeting(personas, meeting):
    from django.core.exceptions import ValidationError

    from accounts.models import OutboxMessage
    from meetings.models import Input, MeetingStatus

    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError, match="cancelled"):
        give(meeting, personas.ash)
    with pytest.raises(ValidationError, match="cancelled"):
        on_behalf(personas, meeting)
    assert not Input.objects.exists()
    assert not OutboxMessage.objects.filter(kind="input_to_confirm").exists()
