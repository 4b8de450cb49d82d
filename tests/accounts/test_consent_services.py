"""The consent ledger: data uses only, explicit, time-limited, withdrawable, append-only.
Time is frozen so expiry and reminders are exact."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import (
    AdvisoryBoard,
    AssignmentStatus,
    AuditEvent,
    BoardRole,
    ConsentAction,
    ConsentEvent,
    ConsentReminder,
    ConsentScope,
    ConsentText,
    OutboxMessage,
    RoleAssignment,
)
from accounts.selectors.consent import consent_counts, has_consent, my_choices
from accounts.services.consent import (
    OUTDATED_TEXT,
    RENEWAL_KIND,
    ensure_consent_texts,
    expire_consents,
    grant_consent,
    make_consent_text_effective,
    propose_consent_text,
    send_consent_reminders,
    withdraw_consent,
)
from accounts.tasks import expire_consents_and_remind

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
COUNT = ConsentScope.COUNT_IN_REPORTS


def travel(when: dt.datetime):
    return time_machine.travel(when, tick=False)


def grant(personas, user=None, scope=COUNT, language="en"):
    user = user or personas.ash
    ensure_consent_texts(organization=personas.harbor)
    text = ConsentText.objects.get(
        organization=personas.harbor, scope=scope, language=language, version=1
    )
    return grant_consent(
        user=user,
        organization=personas.harbor,
        scope=scope,
        text_version=text.version,
        language=language,
    )


# --- texts -------------------------------------------------------------------------------


def test_every_scope_gets_a_first_wording_in_english_and_spanish(personas):
    with travel(START):
        assert ensure_consent_texts(organization=personas.harbor) == 2 * len(ConsentScope)
        assert ensure_consent_texts(organization=personas.harbor) == 0

    texts = ConsentText.objects.filter(organization=personas.harbor)
    assert {(t.scope, t.language) for t in texts} == {
        (scope, language) for scope in ConsentScope.values for language in ("en", "es")
    }
    assert all(t.version == 1 and t.effective_at == START for t in texts)
    count_text = texts.get(scope=COUNT, language="en").text
    assert count_text.startswith(str(ConsentScope.COUNT_IN_REPORTS.label))
    assert "at least five people" in count_text


def test_new_wording_waits_for_the_board_before_taking_effect(personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        proposal = propose_consent_text(
            organization=personas.harbor,
            scope=COUNT,
            language="en",
            text="My activity can be counted in reports.",
            by=personas.ada,
        )
    assert proposal.version == 2
    assert proposal.shown_to_board_at == START
    assert proposal.effective_at is None

    too_early = START + dt.timedelta(days=settings.CONSENT_TEXT_REVIEW_DAYS) - dt.timedelta(hours=1)
    with travel(too_early), pytest.raises(ValidationError, match="can take effect on"):
        make_consent_text_effective(text=proposal, by=personas.ada)
    proposal.refresh_from_db()
    assert proposal.effective_at is None

    later = START + dt.timedelta(days=settings.CONSENT_TEXT_REVIEW_DAYS)
    with travel(later):
        make_consent_text_effective(text=proposal, by=personas.ada)
    proposal.refresh_from_db()
    assert proposal.effective_at == later


@pytest.mark.parametrize("name", ["sam", "fin", "ash"])
def test_only_admins_change_wording(personas, name):
    with pytest.raises(ValidationError):
        propose_consent_text(
            organization=personas.harbor,
            scope=COUNT,
            language="en",
            text="Other words.",
            by=getattr(personas, name),
        )
    assert not ConsentText.objects.filter(version=2).exists()


def test_survivors_see_new_wording_coming(personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        propose_consent_text(
            organization=personas.harbor,
            scope=COUNT,
            language="en",
            text="New words for counting.",
            by=personas.ada,
        )
        choices = {c.scope: c for c in my_choices(personas.ash, personas.harbor, "en")}

    pending, current = choices[COUNT].pending, choices[COUNT].text
    assert pending is not None
    assert pending.text == "New words for counting."
    assert choices[COUNT].pending_from == START + dt.timedelta(days=7)
    assert current is not None
    assert current.version == 1


# --- the ledger --------------------------------------------------------------------------


def test_grant_lasts_a_year_and_records_words_and_language(personas):
    with travel(START):
        event = grant(personas, language="es")

    assert event.action == ConsentAction.GRANTED
    assert event.expires_at == START + dt.timedelta(days=365)
    assert event.language == "es"
    assert event.text is not None
    assert (event.text.version, event.text.language) == (1, "es")
    with travel(START + dt.timedelta(days=364)):
        assert has_consent(personas.ash, personas.harbor, COUNT)
    assert not has_consent(personas.river, personas.harbor, COUNT, at=START)
    assert not has_consent(personas.ash, personas.harbor, ConsentScope.CONTACT_EMAIL, at=START)


def test_outdated_wording_is_refused_and_nothing_is_written(personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        proposal = propose_consent_text(
            organization=personas.harbor,
            scope=COUNT,
            language="en",
            text="Newer words.",
            by=personas.ada,
        )
    with travel(START + dt.timedelta(days=8)):
        make_consent_text_effective(text=proposal, by=personas.ada)
        events_before = AuditEvent.objects.count()
        with pytest.raises(ValidationError) as excinfo:
            grant_consent(
                user=personas.ash,
                organization=personas.harbor,
                scope=COUNT,
                text_version=1,
                language="en",
            )
        assert excinfo.value.code == OUTDATED_TEXT
        assert "The wording changed since you opened this page" in str(excinfo.value)
        assert not ConsentEvent.objects.exists()
        assert AuditEvent.objects.count() == events_before

        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=COUNT,
            text_version=2,
            language="en",
        )
        assert has_consent(personas.ash, personas.harbor, COUNT)


def test_withdrawing_is_one_step_and_needs_no_reason(personas):
    with travel(START):
        grant(personas)
    with travel(START + dt.timedelta(days=3)):
        event = withdraw_consent(user=personas.ash, organization=personas.harbor, scope=COUNT)
        assert event is not None
        assert event.action == ConsentAction.WITHDRAWN
        assert not has_consent(personas.ash, personas.harbor, COUNT)
        # Saying no again changes nothing.
        again = withdraw_consent(user=personas.ash, organization=personas.harbor, scope=COUNT)
        assert again is None
    assert has_consent(personas.ash, personas.harbor, COUNT, at=START + dt.timedelta(days=1))


def test_staff_and_other_organizations_members_cannot_grant(personas):
    ensure_consent_texts(organization=personas.harbor)
    for person in (personas.sam, personas.otto):
        with pytest.raises(ValidationError):
            grant_consent(
                user=person,
                organization=personas.harbor,
                scope=COUNT,
                text_version=1,
                language="en",
            )
    assert not ConsentEvent.objects.exists()


def test_audit_events_hold_codes_and_ids_only(personas):
    with travel(START):
        event = grant(personas)
        withdraw_consent(user=personas.ash, organization=personas.harbor, scope=COUNT)

    audit = AuditEvent.objects.filter(action__startswith="consent.").order_by("sequence")
    assert [a.action for a in audit] == [
        "consent.granted.count_in_reports",
        "consent.withdrawn.count_in_reports",
    ]
    assert audit[0].target_type == "consent_event"
    assert audit[0].target_id == event.pk
    assert all("ash" not in a.payload for a in audit)


def _role_for(personas, user):
    board = AdvisoryBoard.objects.create(organization=personas.harbor, name="Board")
    role = BoardRole.objects.create(
        organization=personas.harbor,
        name="Board member",
        description="Come to meetings. Sharing your personal story is not expected.",
    )
    return RoleAssignment.objects.create(
        board=board,
        role=role,
        user=user,
        status=AssignmentStatus.ACTIVE,
        starts_on=START.date(),
    )


def test_after_expiry_the_private_setting_applies_and_roles_stay(personas):
    with travel(START):
        assignment = _role_for(personas, personas.ash)
        grant(personas)
        grant(personas, scope=ConsentScope.ATTRIBUTE_TO_STAFF)
    ends = START + dt.timedelta(days=365)

    with travel(ends - dt.timedelta(seconds=1)):
        assert expire_consents() == 0
        assert has_consent(personas.ash, personas.harbor, COUNT)

    with travel(ends):
        # Even before the job runs, a yes whose time is up no longer counts.
        assert not has_consent(personas.ash, personas.harbor, COUNT)
        assert expire_consents() == 2
        assert expire_consents() == 0  # idempotent
        choices = {c.scope: c for c in my_choices(personas.ash, personas.harbor, "en")}

    assert not has_consent(personas.ash, personas.harbor, COUNT, at=ends)
    assert choices[COUNT].granted is False
    assert ConsentEvent.objects.filter(action=ConsentAction.EXPIRED).count() == 2
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert assignment.ends_on is None
    assert consent_counts(personas.harbor, at=ends)[0].yes == 0


def test_saying_yes_again_renews_and_nothing_expires(personas):
    with travel(START):
        grant(personas)
    with travel(START + dt.timedelta(days=360)):
        grant(personas)
    with travel(START + dt.timedelta(days=366)):
        assert expire_consents() == 0
        assert has_consent(personas.ash, personas.harbor, COUNT)


# --- reminders ---------------------------------------------------------------------------


def test_at_most_two_reminders_then_it_goes_back_to_no(personas):
    with travel(START):
        grant(personas)
        grant(personas, scope=ConsentScope.ATTRIBUTE_TO_STAFF)
    ends = START + dt.timedelta(days=365)

    sent_on: list[dt.datetime] = []
    day = START
    while day <= ends + dt.timedelta(days=3):
        with travel(day):
            expire_consents_and_remind.apply()
            if OutboxMessage.objects.count() > len(sent_on):
                sent_on.append(day)
        day += dt.timedelta(days=1)

    # Two choices end on the same day: one update per person per run, two runs in all.
    assert sent_on == [ends - dt.timedelta(days=30), ends - dt.timedelta(days=7)]
    assert set(OutboxMessage.objects.values_list("kind", flat=True)) == {RENEWAL_KIND}
    assert ConsentReminder.objects.count() == 4
    assert set(ConsentReminder.objects.values_list("number", flat=True)) == {1, 2}
    assert not has_consent(personas.ash, personas.harbor, COUNT, at=ends)


def test_reminders_start_again_for_a_renewed_yes_only(personas):
    with travel(START):
        grant(personas)
    with travel(START + dt.timedelta(days=340)):
        assert send_consent_reminders() == 1
        grant(personas)  # renewed: the old grant is no longer current
        assert send_consent_reminders() == 0
    assert ConsentReminder.objects.count() == 1


def test_a_late_first_run_sends_only_the_last_reminder(personas):
    with travel(START):
        grant(personas)
    with travel(START + dt.timedelta(days=362)):
        assert send_consent_reminders() == 1
        assert send_consent_reminders() == 0
    assert list(ConsentReminder.objects.values_list("number", flat=True)) == [2]


def test_withdrawn_and_expired_choices_get_no_reminder(personas):
    with travel(START):
        grant(personas)
        withdraw_consent(user=personas.ash, organization=personas.harbor, scope=COUNT)
    with travel(START + dt.timedelta(days=360)):
        assert send_consent_reminders() == 0
    assert not OutboxMessage.objects.exists()


# --- counts ------------------------------------------------------------------------------


def test_counts_for_staff_are_numbers_of_survivor_leaders(personas):
    with travel(START):
        grant(personas, user=personas.ash)
        grant(personas, user=personas.river, scope=ConsentScope.QUOTE_ANONYMOUSLY)
        counts = {c.scope: (c.yes, c.of) for c in consent_counts(personas.harbor)}
    assert counts == {COUNT: (1, 2), ConsentScope.QUOTE_ANONYMOUSLY: (1, 2)}


def test_my_choices_reads_every_scope_in_few_queries(personas, django_assert_num_queries):
    with travel(START):
        grant(personas)
        # One query for the latest event of every scope, one for the words in force, one
        # for new words on the way: the same whatever the number of scopes.
        with django_assert_num_queries(3):
            choices = my_choices(personas.ash, personas.harbor, "en")
    # Every scope but contact by text message, which nothing sends yet.
    assert [c.scope for c in choices] == [
        scope for scope in ConsentScope.values if scope != ConsentScope.CONTACT_SMS
    ]
    assert [c.granted for c in choices] == [c.scope == COUNT for c in choices]


def test_the_expiry_job_never_undoes_a_yes_given_while_it_runs(personas, monkeypatch):
    """The job reads the lapsed yes; before it writes, the survivor says yes again. The
    expired event is dated when the old yes ran out, so the new yes stays the latest."""
    import accounts.services.consent as consent_services
    from accounts.selectors import consent as consent_selectors

    with travel(START):
        grant(personas)
    real = consent_selectors.lapsed_grants
    calls: list[dt.datetime] = []

    def lapsed_then_renewed(*, at):
        stale = list(real(at=at).values_list("pk", flat=True))
        if not calls:
            grant(personas)  # the survivor renews between the job's read and its write
        calls.append(at)
        return ConsentEvent.objects.filter(pk__in=stale)

    monkeypatch.setattr(consent_services, "lapsed_grants", lapsed_then_renewed)
    with time_machine.travel(START + dt.timedelta(days=366), tick=True):
        expire_consents()
        assert has_consent(personas.ash, personas.harbor, COUNT)


def test_consent_is_read_only_through_has_consent_and_consenting_ids():
    """The ledger's current state is worked out in one module; every other module asks it
    through `has_consent` or `consenting_ids`, so no rule about consent is written twice."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    selector = root / "accounts" / "selectors" / "consent.py"
    readers = [
        str(path.relative_to(root))
        for app in ("accounts", "meetings", "compensation", "opportunities", "advisory", "reports")
        for path in (root / app).rglob("*.py")
        if path != selector and "current_grants" in path.read_text()
    ]
    assert not readers
