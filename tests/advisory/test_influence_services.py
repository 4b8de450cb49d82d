"""Influence links as services: what may be linked (confirmed input of the organization
only, once), revisions that supersede and never update, survivors' proposals and staff's
answers, "Is this what you said?", and authors told only through the outbox."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent, OutboxMessage
from advisory.models import (
    AnswerChoice,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    InfluenceOrigin,
    InfluenceProposal,
    ProposalStatus,
)
from advisory.notify import INPUT_LINKED, LINK_PROPOSED, PROPOSAL_ANSWERED
from advisory.selectors.links import answer_counts, current_links
from advisory.services import influence as services
from meetings.models import InputStatus, InputVisibility
from meetings.services.input import withdraw_input
from tests.advisory.factories import DecisionFactory, confirmed_input, link

pytestmark = pytest.mark.django_db

SHAPED = InfluenceLevel.SHAPED
RATIONALE = "We moved meetings to the evening, as they asked."


@pytest.fixture
def decision(personas):
    return DecisionFactory.create(organization=personas.harbor, title="Evening meetings")


@pytest.fixture
def said(personas):
    return confirmed_input(personas.ash, personas.harbor, body="Evening meetings suit me.")


def link_it(decision, input, by, **kwargs):
    values = {"level": SHAPED, "rationale": RATIONALE} | kwargs
    return services.link_input(decision=decision, input=input, by=by, **values)


def nothing_written(before_audit: int) -> None:
    assert not Influence.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert AuditEvent.objects.count() == before_audit


# --- linking ------------------------------------------------------------------------------


def test_staff_link_confirmed_input_and_the_author_is_told(personas, decision, said):
    made = link_it(decision, said, personas.sam)
    assert (made.level, made.rationale, made.origin) == (SHAPED, RATIONALE, InfluenceOrigin.STAFF)
    assert made.actor_id == personas.sam.pk
    assert list(current_links(personas.harbor)) == [made]
    told = OutboxMessage.objects.get()
    assert (told.recipient, told.organization, told.kind) == (
        personas.ash,
        personas.harbor,
        INPUT_LINKED,
    )
    event = AuditEvent.objects.filter(action="influence.linked").get()
    assert (event.actor_id, event.target_id) == (personas.sam.pk, made.pk)


def test_admins_link_too(personas, decision, said):
    assert link_it(decision, said, personas.ada).actor_id == personas.ada.pk


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (InputStatus.PENDING, "still waiting for its author"),
        (InputStatus.WITHDRAWN, "withdrew"),
        (InputStatus.REJECTED, "not what they said"),
    ],
)
def test_input_that_does_not_count_is_refused_and_nothing_written(
    personas, decision, status, words
):
    waiting = confirmed_input(personas.ash, personas.harbor, status=status)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=words):
        link_it(decision, waiting, personas.sam)
    nothing_written(before)


def test_another_organizations_input_is_refused(personas, decision):
    elsewhere = confirmed_input(personas.otto, personas.second)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="another organization"):
        link_it(decision, elsewhere, personas.sam)
    nothing_written(before)


def test_a_second_current_link_to_the_same_input_is_refused(personas, decision, said):
    first = link_it(decision, said, personas.sam)
    with pytest.raises(ValidationError, match="already linked — revise it instead"):
        link_it(decision, said, personas.sam, level=InfluenceLevel.DECISIVE)
    services.revise_link(link=first, by=personas.sam, level=InfluenceLevel.DECISIVE, rationale="x")
    with pytest.raises(ValidationError, match="revise it instead"):
        link_it(decision, said, personas.sam)
    assert Influence.objects.count() == 2


def test_the_database_constraint_backs_up_the_check(personas, decision, said, monkeypatch):
    """If two submits ever got past the lock, the partial unique constraint refuses the
    second, and staff read a clear message instead of an error page."""
    link_it(decision, said, personas.sam)
    monkeypatch.setattr(services, "_has_current_link", lambda decision, input: False)
    with pytest.raises(ValidationError, match="revise it instead"):
        link_it(decision, said, personas.sam)
    assert Influence.objects.count() == 1


def test_the_same_input_may_shape_several_decisions(personas, decision, said):
    other = DecisionFactory.create(organization=personas.harbor)
    link_it(decision, said, personas.sam)
    link_it(other, said, personas.sam)
    assert current_links(personas.harbor).count() == 2


@pytest.mark.parametrize("who", ["ash", "river", "fin", "faye", "otto"])
def test_only_staff_and_admins_link(personas, decision, said, who):
    with pytest.raises(PermissionDenied):
        link_it(decision, said, getattr(personas, who))
    assert not Influence.objects.exists()


@pytest.mark.parametrize(
    ("level", "rationale"), [("huge", RATIONALE), (SHAPED, ""), (SHAPED, "   ")]
)
def test_a_level_and_a_rationale_are_needed(personas, decision, said, level, rationale):
    with pytest.raises(ValidationError):
        link_it(decision, said, personas.sam, level=level, rationale=rationale)
    assert not Influence.objects.exists()


# --- revising -----------------------------------------------------------------------------


def test_revising_writes_a_new_row_and_keeps_the_answer(personas, decision, said):
    first = link_it(decision, said, personas.sam)
    services.answer_link(link=first, by=personas.ash, answer=AnswerChoice.NOT_QUITE, comment="Me")
    OutboxMessage.objects.all().delete()
    revised = services.revise_link(
        link=first, by=personas.ada, level=InfluenceLevel.INFORMED, rationale="It informed it."
    )
    assert revised.supersedes == first
    assert (revised.level, revised.rationale, revised.actor_id) == (
        InfluenceLevel.INFORMED,
        "It informed it.",
        personas.ada.pk,
    )
    first.refresh_from_db()
    assert (first.level, first.rationale) == (SHAPED, RATIONALE)  # never updated
    assert list(current_links(personas.harbor)) == [revised]
    assert InfluenceAnswer.objects.get().answer == AnswerChoice.NOT_QUITE
    assert OutboxMessage.objects.get().recipient == personas.ash
    assert AuditEvent.objects.filter(action="influence.revised", target_id=revised.pk).exists()


def test_a_link_already_revised_is_not_revised_again(personas, decision, said):
    first = link_it(decision, said, personas.sam)
    services.revise_link(link=first, by=personas.sam, level=SHAPED, rationale="Newer words.")
    with pytest.raises(ValidationError, match="Someone changed this link"):
        services.revise_link(link=first, by=personas.sam, level=SHAPED, rationale="Other words.")
    assert Influence.objects.count() == 2


def test_a_revision_that_changes_nothing_is_refused(personas, decision, said):
    first = link_it(decision, said, personas.sam)
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.revise_link(link=first, by=personas.sam, level=SHAPED, rationale=RATIONALE)


def test_a_withdrawn_inputs_link_is_not_revised(personas, decision, said):
    first = link_it(decision, said, personas.sam)
    withdraw_input(input=said, author=personas.ash)
    with pytest.raises(ValidationError, match="withdrew"):
        services.revise_link(link=first, by=personas.sam, level=SHAPED, rationale="New.")


def test_survivors_do_not_revise(personas, decision, said):
    first = link_it(decision, said, personas.sam)
    with pytest.raises(PermissionDenied):
        services.revise_link(link=first, by=personas.ash, level=SHAPED, rationale="Mine.")


def test_links_refuse_update_and_delete(personas, decision, said):
    made = link(decision, said)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Influence.objects.filter(pk=made.pk).update(rationale="Rewritten.")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Influence.objects.filter(pk=made.pk).delete()
    made.refresh_from_db()
    assert made.rationale == "It shaped the plan."


# --- withdrawn input ----------------------------------------------------------------------


def test_withdrawing_input_removes_its_links_from_counts_but_keeps_the_rows(
    personas, decision, said
):
    made = link_it(decision, said, personas.sam)
    services.answer_link(link=made, by=personas.ash, answer=AnswerChoice.YES)
    assert answer_counts(personas.harbor, [decision.pk])[decision.pk].yes == 1
    withdraw_input(input=said, author=personas.ash)
    counts = answer_counts(personas.harbor, [decision.pk])[decision.pk]
    assert (counts.links, counts.yes, counts.no_answer) == (0, 0, 0)
    assert not current_links(personas.harbor).exists()
    assert Influence.objects.filter(pk=made.pk).exists()


# --- proposals ----------------------------------------------------------------------------


def test_a_survivor_proposes_a_link_from_their_own_input(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash, note=" Me ")
    assert (proposal.status, proposal.note) == (ProposalStatus.WAITING, "Me")
    event = AuditEvent.objects.filter(action="influence_proposal.made").get()
    assert event.actor_id is None  # anonymous input: the audit log never names its author


def test_attributed_input_names_its_author_in_the_audit_log(personas, decision):
    named = confirmed_input(personas.ash, personas.harbor, visibility=InputVisibility.ATTRIBUTED)
    services.propose_link(decision=decision, input=named, by=personas.ash)
    assert AuditEvent.objects.get(action="influence_proposal.made").actor_id == personas.ash.pk


def test_nobody_proposes_from_someone_elses_input(personas, decision, said):
    with pytest.raises(PermissionDenied):
        services.propose_link(decision=decision, input=said, by=personas.river)
    assert not InfluenceProposal.objects.exists()


def test_proposals_need_input_that_counts_and_a_decision_of_the_organization(
    personas, decision, said
):
    pending = confirmed_input(personas.ash, personas.harbor, status=InputStatus.PENDING)
    with pytest.raises(ValidationError, match="counts"):
        services.propose_link(decision=decision, input=pending, by=personas.ash)
    elsewhere = DecisionFactory.create(organization=personas.second)
    with pytest.raises(ValidationError, match="this organization"):
        services.propose_link(decision=elsewhere, input=said, by=personas.ash)
    assert not InfluenceProposal.objects.exists()


def test_no_proposal_for_a_link_that_exists_or_twice(personas, decision, said):
    services.propose_link(decision=decision, input=said, by=personas.ash)
    with pytest.raises(ValidationError, match="already proposed"):
        services.propose_link(decision=decision, input=said, by=personas.ash)
    other = DecisionFactory.create(organization=personas.harbor)
    link_it(other, said, personas.sam)
    with pytest.raises(ValidationError, match="already linked"):
        services.propose_link(decision=other, input=said, by=personas.ash)
    assert InfluenceProposal.objects.count() == 1


def test_accepting_a_proposal_links_it_and_tells_the_author(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash)
    answered = services.answer_proposal(
        proposal=proposal, by=personas.sam, accept=True, level=SHAPED, rationale=RATIONALE
    )
    assert answered.status == ProposalStatus.ACCEPTED
    assert answered.answered_by == personas.sam
    made = current_links(personas.harbor).get()
    assert (made.origin, made.rationale, answered.influence) == (
        InfluenceOrigin.PROPOSAL,
        RATIONALE,
        made,
    )
    assert list(
        OutboxMessage.objects.exclude(kind=LINK_PROPOSED).values_list("recipient", "kind")
    ) == [(personas.ash.pk, PROPOSAL_ANSWERED)]


def test_accepting_needs_a_level_and_a_rationale(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash)
    with pytest.raises(ValidationError):
        services.answer_proposal(proposal=proposal, by=personas.sam, accept=True, level=SHAPED)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WAITING
    assert not Influence.objects.exists()


def test_declining_needs_an_answer_the_author_reads(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash)
    with pytest.raises(ValidationError, match="Say why not"):
        services.answer_proposal(proposal=proposal, by=personas.sam, accept=False, answer=" ")
    answered = services.answer_proposal(
        proposal=proposal, by=personas.sam, accept=False, answer="It came before the meeting."
    )
    assert (answered.status, answered.answer) == (
        ProposalStatus.DECLINED,
        "It came before the meeting.",
    )
    assert not Influence.objects.exists()
    assert OutboxMessage.objects.exclude(kind=LINK_PROPOSED).get().kind == PROPOSAL_ANSWERED


def test_a_proposal_is_answered_once(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash)
    services.answer_proposal(proposal=proposal, by=personas.sam, accept=False, answer="No.")
    with pytest.raises(ValidationError, match="already answered"):
        services.answer_proposal(
            proposal=proposal, by=personas.ada, accept=True, level=SHAPED, rationale="Yes."
        )
    assert not Influence.objects.exists()


def test_a_proposal_from_input_withdrawn_meanwhile_cannot_be_accepted(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash)
    withdraw_input(input=said, author=personas.ash)
    with pytest.raises(ValidationError, match="withdrew"):
        services.answer_proposal(
            proposal=proposal, by=personas.sam, accept=True, level=SHAPED, rationale="Yes."
        )


def test_survivors_do_not_answer_proposals(personas, decision, said):
    proposal = services.propose_link(decision=decision, input=said, by=personas.ash)
    with pytest.raises(PermissionDenied):
        services.answer_proposal(proposal=proposal, by=personas.river, accept=False, answer="No")


# --- "Is this what you said?" -------------------------------------------------------------


def test_the_author_answers_and_can_change_the_answer(personas, decision, said):
    made = link(decision, said)
    services.answer_link(link=made, by=personas.ash, answer=AnswerChoice.YES)
    services.answer_link(
        link=made, by=personas.ash, answer=AnswerChoice.NOT_QUITE, comment="Only on weekdays."
    )
    answer = InfluenceAnswer.objects.get()
    assert (answer.answer, answer.comment) == (AnswerChoice.NOT_QUITE, "Only on weekdays.")
    services.answer_link(
        link=made, by=personas.ash, answer=AnswerChoice.RATHER_NOT_SAY, comment="Ignored."
    )
    answer.refresh_from_db()
    assert (answer.answer, answer.comment) == (AnswerChoice.RATHER_NOT_SAY, "")
    assert InfluenceAnswer.objects.count() == 1


def test_not_quite_needs_what_they_meant(personas, decision, said):
    made = link(decision, said)
    with pytest.raises(ValidationError, match="Say what you meant"):
        services.answer_link(link=made, by=personas.ash, answer=AnswerChoice.NOT_QUITE)
    assert not InfluenceAnswer.objects.exists()


def test_only_the_author_answers(personas, decision, said):
    made = link(decision, said)
    for someone in (personas.river, personas.sam):
        with pytest.raises(PermissionDenied):
            services.answer_link(link=made, by=someone, answer=AnswerChoice.YES)
    assert not InfluenceAnswer.objects.exists()


def test_no_answer_for_withdrawn_input(personas, decision, said):
    made = link(decision, said)
    withdraw_input(input=said, author=personas.ash)
    with pytest.raises(ValidationError, match="withdrew"):
        services.answer_link(link=made, by=personas.ash, answer=AnswerChoice.YES)


# --- notifications ------------------------------------------------------------------------


def test_notices_go_through_the_outbox_and_carry_no_content(personas, decision, said, mailoutbox):
    made = link_it(decision, said, personas.sam)
    services.revise_link(link=made, by=personas.sam, level=SHAPED, rationale="Secret words.")
    proposal = services.propose_link(
        decision=DecisionFactory.create(organization=personas.harbor),
        input=said,
        by=personas.ash,
        note="My own note.",
    )
    services.answer_proposal(proposal=proposal, by=personas.sam, accept=False, answer="Why not.")
    assert mailoutbox == []  # nothing is sent straight away: the beat job drains the outbox
    messages = list(OutboxMessage.objects.values())
    assert sorted(m["kind"] for m in messages) == sorted(
        # the proposal tells staff (sam and ada) there is one to answer
        [INPUT_LINKED, INPUT_LINKED, LINK_PROPOSED, LINK_PROPOSED, PROPOSAL_ANSWERED]
    )
    words = (said.body, RATIONALE, "Secret words.", "My own note.", "Why not.", decision.title)
    for message in messages:
        assert not any(word in str(value) for value in message.values() for word in words)
    assert {field.name for field in OutboxMessage._meta.get_fields()} <= {
        "id",
        "public_id",
        "recipient",
        "organization",
        "kind",
        "status",
        "created_at",
        "sent_at",
        "seen_at",
        # the page an update is about (a path of ids), and for account messages only an
        # old address and the id a link is made from when sent: none holds any content
        "target",
        "address",
        "reference_id",
    }
    assert {m["target"] for m in messages} == {
        f"/o/{personas.harbor.slug}/my-seat/outcomes/",
        f"/o/{personas.harbor.slug}/decisions/proposals/",
    }
    assert {(m["address"], m["reference_id"]) for m in messages} == {("", None)}
