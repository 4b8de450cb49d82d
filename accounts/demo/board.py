"""The board half of the demo: profiles, roles and a mix of choices, written through the
same services the pages use. Only made-up, everyday details — nothing about anyone's past."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from accounts.models import (
    AssignmentStatus,
    BoardRole,
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    Organization,
    RoleAssignment,
    SurvivorProfile,
    User,
)
from accounts.selectors.consent import current_consent_text
from accounts.services.consent import ensure_consent_texts, grant_consent, withdraw_consent
from accounts.services.profile import update_profile
from accounts.services.roles import add_usual_roles, change_my_role, invite_to_role

# name: (pronouns, languages, expertise, availability, role, status)
PROFILES = {
    "Ash": (
        "they/them",
        "English",
        ["policy", "training"],
        "Weekday evenings",
        "Co-chair",
        AssignmentStatus.ACTIVE,
    ),
    "River": (
        "she/her",
        "English, Spanish",
        ["outreach", "language_access"],
        "Tuesday and Thursday afternoons",
        "Co-chair",
        AssignmentStatus.ACTIVE,
    ),
    "Sky": (
        "he/him",
        "English",
        ["evaluation", "research"],
        "Mornings",
        "Board member",
        AssignmentStatus.ACTIVE,
    ),
    "Jules": (
        "",
        "English, French",
        ["communications"],
        "Weekends",
        "Board member",
        AssignmentStatus.ACTIVE,
    ),
    "Noor": (
        "she/her",
        "English, Arabic",
        ["program_design", "peer_support"],
        "Wednesday evenings",
        "Mentor",
        AssignmentStatus.ACTIVE,
    ),
    "Rey": ("", "Spanish", ["hiring"], "Flexible", "Board member", AssignmentStatus.INVITED),
    "Kai": (
        "they/them",
        "English",
        ["technology"],
        "Evenings",
        "Reviewer",
        AssignmentStatus.PAUSED,
    ),
    "Sol": (
        "he/him",
        "English, Portuguese",
        ["budget"],
        "Monday mornings",
        "Speaker",
        AssignmentStatus.ACTIVE,
    ),
}
# Survivor leaders who chose a time zone of their own in their profile.
OWN_TIME_ZONES = {"River": "America/New_York", "Noor": "America/New_York"}
ACTIONS_TO = {
    AssignmentStatus.ACTIVE: ["accept"],
    AssignmentStatus.PAUSED: ["accept", "pause"],
    AssignmentStatus.INVITED: [],
}


def seed_board(organization: Organization, admin: User, staff: User) -> None:
    survivors = {name: User.objects.get(email=f"{name.lower()}@demo.test") for name in PROFILES}
    for name, person in survivors.items():
        _seed_profile(organization, name, person)
    if not BoardRole.objects.filter(organization=organization).exists():
        add_usual_roles(organization=organization, actor=admin)
    roles = {role.name: role for role in BoardRole.objects.filter(organization=organization)}
    for name, person in survivors.items():
        *_, role_name, status = PROFILES[name]
        if RoleAssignment.objects.filter(user=person, role=roles[role_name]).exists():
            continue
        assignment = invite_to_role(
            role=roles[role_name],
            person=person,
            invited_by=staff,
            starts_on=timezone.localdate() - timedelta(days=90),
            ends_on=timezone.localdate() + timedelta(days=275),
        )
        for action in ACTIONS_TO[status]:
            assignment = change_my_role(assignment=assignment, person=person, action=action)
    if not ConsentEvent.objects.filter(organization=organization).exists():
        _seed_choices(organization, survivors)


def _seed_profile(organization: Organization, name: str, person: User) -> None:
    if SurvivorProfile.objects.filter(user=person, organization=organization).exists():
        return
    pronouns, languages, expertise, availability, *_ = PROFILES[name]
    update_profile(
        user=person,
        organization=organization,
        chosen_name=name,
        pronouns=pronouns,
        languages=languages,
        # Most follow the program's zone (America/Chicago); two chose their own.
        time_zone=OWN_TIME_ZONES.get(name, ""),
        expertise=expertise,
        availability=availability,
        safe_channels=["email"] if name in ("Ash", "Sky", "Noor") else [],
        quiet_hours_start=time(21, 0) if name == "Ash" else None,
        quiet_hours_end=time(7, 0) if name == "Ash" else None,
    )


def _seed_choices(organization: Organization, survivors: dict[str, User]) -> None:
    """A mix: most count in reports, some allow quotes and e-mail; River withdrew one
    choice; Sky's "count me in reports" runs out in twelve days."""
    ensure_consent_texts(organization=organization)
    yes = {
        ConsentScope.COUNT_IN_REPORTS: ["Ash", "River", "Jules", "Noor", "Kai", "Sol"],
        ConsentScope.ATTRIBUTE_TO_STAFF: ["Ash", "Jules", "Sol"],
        ConsentScope.QUOTE_ANONYMOUSLY: ["Ash", "Noor", "River"],
        ConsentScope.CONTACT_EMAIL: ["Ash", "Sky", "Noor"],
    }
    for scope, names in yes.items():
        text = current_consent_text(organization, scope, "en")
        assert text is not None  # noqa: S101  # ensure_consent_texts just wrote every scope
        for name in names:
            grant_consent(
                user=survivors[name],
                organization=organization,
                scope=scope,
                text_version=text.version,
                language="en",
            )
    withdraw_consent(
        user=survivors["River"], organization=organization, scope=ConsentScope.QUOTE_ANONYMOUSLY
    )
    # A "yes" given almost a year ago, so the demo shows a renewal coming up. The ledger is
    # append-only, so the grant is written once with its original dates.
    now = timezone.now()
    ConsentEvent.objects.create(
        user=survivors["Sky"],
        organization=organization,
        scope=ConsentScope.COUNT_IN_REPORTS,
        action=ConsentAction.GRANTED,
        text=current_consent_text(organization, ConsentScope.COUNT_IN_REPORTS, "en"),
        language="en",
        created_at=now - timedelta(days=353),
        expires_at=now + timedelta(days=12),
    )
