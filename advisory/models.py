"""The top floor: what the board advised and what it changed — "you said, we did", as the
survivors see it.

- `Decision`: what the program decided, by area, with its status timeline; "not adopted"
  and "partly adopted" carry a reason the board can read.
- `Influence`: a specific claim that a confirmed input shaped a decision, with a level and a
  rationale. Links are append-only: revising one writes a new row that supersedes the old;
  a withdrawn input's links are excluded by the selectors, never deleted.
- `InfluenceProposal`: a survivor proposes that their own input shaped a decision; staff
  accept it (an `Influence` is written) or answer why not.
- `InfluenceAnswer`: the author's answer to "Is this what you said?" — yes, not quite (with
  what they meant), or they'd rather not say. Only "yes" counts as confirmed influence.
- `Recommendation`: formal advice the board adopted; staff must answer within N days,
  always with reasons, and link the decisions that came of it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_ANSWER_DAYS = 30
DEFAULT_OUTCOME_DAYS = 60
# The smallest group any report figure may describe (docs/design.md promise 1). Same number as
# reports.protection.K_FLOOR; repeated here so models never import the rules module.
REPORT_K_FLOOR = 5


class SignOffRule(models.TextChoices):
    MAJORITY = "majority", _("More than half of the survivor leaders on the board approve")
    TWO_THIRDS = "two_thirds", _("At least two in three survivor leaders on the board approve")
    EVERYONE = "everyone", _("Every survivor leader on the board approves")


class AdvisorySettings(models.Model):
    """One per organization; defaults apply until someone changes them."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="advisory_settings"
    )
    recommendation_answer_days = models.PositiveIntegerField(
        _("days staff have to answer a recommendation"),
        default=DEFAULT_ANSWER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    input_outcome_days = models.PositiveIntegerField(
        _("days after which confirmed input with no outcome is shown to staff"),
        default=DEFAULT_OUTCOME_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    # Reports: the smallest group a figure may describe, and how the board signs
    # off. Only the board changes these (co-chairs, on the board's behalf).
    report_min_people = models.PositiveIntegerField(
        _("smallest number of people a report figure may describe"),
        default=REPORT_K_FLOOR,
        validators=[MinValueValidator(REPORT_K_FLOOR), MaxValueValidator(50)],
    )
    report_signoff_rule = models.CharField(
        _("who must approve a report before it is published"),
        max_length=16,
        choices=SignOffRule.choices,
        default=SignOffRule.MAJORITY,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "advisory settings"

    def __str__(self) -> str:
        return f"Advisory settings {self.pk}"


class DecisionArea(models.TextChoices):
    BUDGET = "budget", _("Budget")
    HIRING = "hiring", _("Hiring")
    SERVICES = "services", _("Services")
    INTAKE = "intake", _("Intake")
    TRAINING = "training", _("Training")
    EVALUATION = "evaluation", _("Evaluation")
    COMMUNICATIONS = "communications", _("Communications")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class DecisionStatus(models.TextChoices):
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    IMPLEMENTED = "implemented", _("Done")


# These statuses need a reason the board can read.
STATUSES_NEEDING_A_REASON = frozenset({DecisionStatus.PARTLY_ADOPTED, DecisionStatus.NOT_ADOPTED})


class Decision(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="decisions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what was decided"), blank=True)
    area = models.CharField(_("area"), max_length=24, choices=DecisionArea.choices)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=DecisionStatus.choices,
        default=DecisionStatus.UNDER_CONSIDERATION,
    )
    # Why it was not adopted, or adopted only in part: the board reads it.
    reason = models.TextField(_("reason"), blank=True)
    decided_on = models.DateField(_("date"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "-decided_on"], name="decision_org_date_idx"),
            models.Index(fields=["organization", "area"], name="decision_org_area_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["partly_adopted", "not_adopted"]) | ~Q(reason=""),
                name="decision_not_adopted_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DecisionStatusChange(models.Model):
    """The decision's timeline (append-only): each status with its reason and when."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=24, choices=DecisionStatus.choices)
    reason = models.TextField(blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.created_at:%Y-%m-%d}"


class InfluenceLevel(models.TextChoices):
    INFORMED = "informed", _("Informed it")
    SHAPED = "shaped", _("Shaped it")
    DECISIVE = "decisive", _("Decided it")


class InfluenceOrigin(models.TextChoices):
    STAFF = "staff", _("Linked by staff")
    PROPOSAL = "proposal", _("Proposed by the person who said it")


class Influence(models.Model):
    """A claim that one confirmed input shaped one decision. Append-only (database
    triggers refuse UPDATE and DELETE): a revision is a new row that `supersedes` the old,
    and the current claim is the one nothing supersedes. Holds ids, codes, the rationale
    staff wrote, and timestamps — never the input's words."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="influences")
    # No database constraint: the row is append-only, yet an input is deleted with its
    # author's account. A link whose input is gone (or withdrawn, or not confirmed) is left
    # out by every selector, so it vanishes from every page and count but is never deleted.
    input = models.ForeignKey(
        "meetings.Input",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="influences",
    )
    level = models.CharField(max_length=16, choices=InfluenceLevel.choices)
    rationale = models.TextField(_("how it shaped the decision, in plain words"))
    origin = models.CharField(
        max_length=16, choices=InfluenceOrigin.choices, default=InfluenceOrigin.STAFF
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    actor_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One current claim per decision and input: a revision supersedes, never adds.
            models.UniqueConstraint(
                fields=["decision", "input"],
                condition=Q(supersedes__isnull=True),
                name="influence_first_claim_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Influence {self.pk}"


class ProposalStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for staff")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")


class InfluenceProposal(models.Model):
    """A survivor says their own input shaped a decision. Staff accept it (an Influence is
    written) or answer why not."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="proposals")
    input = models.ForeignKey("meetings.Input", on_delete=models.CASCADE, related_name="proposals")
    note = models.TextField(_("how you think it shaped the decision"), blank=True)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.WAITING
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    influence = models.OneToOneField(
        Influence, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "input"],
                condition=Q(status="waiting"),
                name="influence_proposal_one_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(answer=""),
                name="influence_proposal_declined_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk}"


class AnswerChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NOT_QUITE = "not_quite", _("Not quite — here's what I meant")
    RATHER_NOT_SAY = "rather_not_say", _("I'd rather not say")


class InfluenceAnswer(models.Model):
    """The author's answer to "Is this what you said?" for one decision and one of their
    inputs. It survives revisions of the claim; the author can change it any time."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="answers")
    input = models.ForeignKey("meetings.Input", on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(max_length=16, choices=AnswerChoice.choices)
    comment = models.TextField(_("what you meant"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "input"], name="influence_answer_once"),
            models.CheckConstraint(
                condition=~Q(answer="not_quite") | ~Q(comment=""),
                name="influence_answer_not_quite_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class RecommendationResponse(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_IN_PART = "accepted_in_part", _("Accepted in part")
    DECLINED = "declined", _("Declined")


class Recommendation(models.Model):
    """Formal advice the board adopted. Staff must answer it by `due_on`, always with
    reasons, and link any decisions that came of it."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("what the board recommends"))
    area = models.CharField(_("area"), max_length=24, choices=DecisionArea.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("answer due by"))
    response = models.CharField(max_length=24, choices=RecommendationResponse.choices, blank=True)
    response_reason = models.TextField(_("reasons"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decisions = models.ManyToManyField(Decision, blank=True, related_name="recommendations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-adopted_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "due_on"], name="recommendation_org_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(response="") | ~Q(response_reason=""),
                name="recommendation_answer_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("adopted_on")),
                name="recommendation_due_after_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.pk}"


# --- open feedback and "What we changed" --------------------------------------------------


class Feedback(models.Model):
    """What works and what doesn't, told at any time outside meetings. Anonymous feedback
    keeps its author only so they can read the answer: no page, export or count shows it to
    staff, the board or other survivors."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    body = models.TextField(_("what works, or what doesn't"))
    anonymous = models.BooleanField(_("send it without my name"), default=True)
    # The author may let the board read the message and its answer.
    board_may_read = models.BooleanField(_("the board may read this and the answer"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["organization", "-created_at"], name="feedback_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="feedback_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"


class ProgramChange(models.Model):
    """An entry in "What we changed": a change the program made because of feedback or
    meeting input, linked to what prompted it. Those who gave it are told (outbox)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="program_changes"
    )
    title = models.CharField(_("what changed"), max_length=200)
    description = models.TextField(_("more about the change"), blank=True)
    changed_on = models.DateField(_("date of the change"))
    feedback = models.ManyToManyField(Feedback, blank=True, related_name="changes")
    inputs = models.ManyToManyField("meetings.Input", blank=True, related_name="program_changes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "-changed_on"], name="program_change_org_idx")
        ]

    def __str__(self) -> str:
        return self.title
