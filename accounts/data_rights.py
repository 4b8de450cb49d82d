"""The data-rights registry: what "Download my data" and "Delete my account" do with every
model that refers to a person.

Every model with a foreign key, one-to-one or many-to-many to the user model — in any
installed app, allauth's and Django's included — registers here; a test fails for one that
does not. An app registers its models in its own `data_rights.py` module, which is imported
on first use (as the admin discovers `admin.py`).

- `export(user)` returns JSON-able data about that person only, read through queries
  filtered by the owner; never another person's name, e-mail or text. `None` means the
  model holds nothing worth giving back (a link table, a secret).
- `erase(user, options)` deletes, anonymizes, or keeps the rows, with `reason` saying why.
  Append-only tables keep their rows, which then point at the tombstone user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccessRecord,
    AddressChange,
    AssignmentStatus,
    ConsentAction,
    ConsentEvent,
    ConsentReminder,
    DataExport,
    FunderAccess,
    Invitation,
    Membership,
    OutboxMessage,
    RoleAssignment,
    RoleAssignmentChange,
    SurvivorProfile,
    User,
)
from accounts.selectors import data_rights as owned
from accounts.selectors.consent import latest_consent_events

JSON = Any  # what `json.dumps` accepts


@dataclass(frozen=True)
class ErasureOptions:
    """Choices the person made on "Delete my account"."""

    # What they said in meetings: deleted (the default) or kept without their name.
    keep_input_anonymous: bool = False
    # Pay earned and not yet paid: paid out first (the default), or given up.
    forgo_unpaid_pay: bool = False


Exporter = Callable[[User], JSON]
Eraser = Callable[[User, ErasureOptions], None]


@dataclass(frozen=True)
class Handler:
    model: type[models.Model]
    export: Exporter | None
    erase: Eraser
    reason: str
    title: str
    # For a model that reaches the person through another registered model (role history
    # through its assignment): the name of that foreign key.
    via: str = ""
    # Lower runs first. The user row itself becomes the tombstone last, after every other
    # handler has seen the person's real e-mail address.
    order: int = 0

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[type[models.Model], Handler] = {}
_DISCOVERED: list[bool] = []  # other apps' data_rights modules, imported once

# What "Delete my account" must tell the person first, from apps above this one (pay owed,
# for instance): each returns a sentence, or None when it has nothing to say about them.
DeletionNotice = Callable[[User], str | None]
_DELETION_NOTICES: list[DeletionNotice] = []


def register(
    model: type[models.Model],
    *,
    export: Exporter | None,
    erase: Eraser,
    reason: str,
    title: str = "",
    via: str = "",
    order: int = 0,
) -> None:
    if model in _REGISTRY:
        raise ValueError(f"{model._meta.label} is already registered for data rights.")
    _REGISTRY[model] = Handler(
        model=model,
        export=export,
        erase=erase,
        reason=reason,
        title=title or str(model._meta.verbose_name_plural).capitalize(),
        via=via,
        order=order,
    )


def register_deletion_notice(notice: DeletionNotice) -> None:
    _DELETION_NOTICES.append(notice)


def deletion_notices(user: User) -> list[str]:
    """Sentences to show on "Delete my account" before the person decides."""
    handlers()  # the other apps' modules register their notices when discovered
    return [text for notice in _DELETION_NOTICES if (text := notice(user))]


def handlers() -> list[Handler]:
    """Every registration, in the order erasure runs them."""
    if not _DISCOVERED:
        autodiscover_modules("data_rights")
        _DISCOVERED.append(True)
    return sorted(_REGISTRY.values(), key=lambda handler: (handler.order, handler.key))


# --- helpers for registrations --------------------------------------------------------------


def plain(value: object) -> JSON:
    """Dates and times as ISO text, so every export is JSON. Times stop at the minute: no
    page shows seconds, and a download must not tell more than the pages do (seconds can
    line one person's action up with another's)."""
    if isinstance(value, datetime | time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def month(value: datetime | None) -> JSON:
    """Only the month, for things whose day or time could point at someone else's action."""
    return None if value is None else timezone.localtime(value).strftime("%Y-%m")


class ExportEncoder(DjangoJSONEncoder):
    """The one encoder for every section of a download: ids, money and times that a
    registration returns as they are become text, times to the minute, as `plain` gives."""

    def default(self, o: object) -> Any:
        if isinstance(o, datetime | date | time):
            return plain(o)
        return super().default(o)


def rows(queryset: models.QuerySet[Any], *fields: str) -> list[dict[str, JSON]]:
    return [{key: plain(value) for key, value in row.items()} for row in queryset.values(*fields)]


def delete_rows(model: type[models.Model], field: str = "user") -> Eraser:
    """Erasure that deletes every row whose `field` is the person."""

    def erase(user: User, options: ErasureOptions) -> None:
        model._default_manager.filter(**{field: user}).delete()

    return erase


def forget(model: type[models.Model], *fields: str) -> Eraser:
    """Erasure that keeps the rows but removes the person's name from these fields."""

    def erase(user: User, options: ErasureOptions) -> None:
        for field in fields:
            model._default_manager.filter(**{field: user}).update(**{field: None})

    return erase


def keep(user: User, options: ErasureOptions) -> None:
    """Erasure that keeps the rows as they are: they hold ids, codes and dates only, and
    point at the tombstone user once the person is erased."""


# --- this app's models ----------------------------------------------------------------------


def _export_user(user: User) -> JSON:
    return {
        "email": user.email,
        "joined": plain(user.date_joined),
        "last_sign_in": plain(user.last_login),
    }


def _tombstone_user(user: User, options: ErasureOptions) -> None:
    """The row stays so that records that must be kept still point somewhere; nothing in
    it says who the person was."""
    user.email = f"erased-{user.pk}@erased.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _export_memberships(user: User) -> JSON:
    return rows(owned.memberships_of(user), "organization__name", "role", "joined_at")


def _export_funder_access(user: User) -> JSON:
    return rows(owned.funder_accesses_of(user), "organization__name", "granted_at")


def _export_invitations(user: User) -> JSON:
    return {
        "to_me": rows(
            owned.invitations_to(user),
            "organization__name",
            "role",
            "created_at",
            "accepted_at",
        ),
        # Only that they were sent: the addresses are other people's.
        "sent_by_me": rows(owned.invitations_sent_by(user), "role", "created_at"),
    }


def _erase_invitations(user: User, options: ErasureOptions) -> None:
    owned.invitations_to(user).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)


def _export_profiles(user: User) -> JSON:
    """One profile per organization, each labelled with the organization it was given to."""
    return [_export_profile(profile) for profile in owned.profiles_of(user)]


def _export_profile(profile: SurvivorProfile) -> JSON:
    return {
        "organization": profile.organization.name,
        "chosen_name": profile.chosen_name,
        "pronouns": profile.pronouns,
        "languages": profile.languages,
        "time_zone": profile.time_zone,
        "expertise": list(profile.expertise),
        "availability": profile.availability,
        "safe_channels": list(profile.safe_channels),
        "quiet_hours_start": plain(profile.quiet_hours_start),
        "quiet_hours_end": plain(profile.quiet_hours_end),
        "legal_name": profile.legal_name,
        "phone": profile.phone,
        "mailing_address": profile.mailing_address,
        "updated_at": plain(profile.updated_at),
    }


def _export_roles(user: User) -> JSON:
    # The role and its dates; not who invited them (that is someone else).
    return [
        {
            "organization": assignment.board.organization.name,
            "board": assignment.board.name,
            "role": assignment.role.name,
            "status": assignment.status,
            "starts_on": plain(assignment.starts_on),
            "ends_on": plain(assignment.ends_on),
            "history": [
                {"status": change.status, "at": plain(change.created_at)}
                for change in assignment.changes.all()
            ],
        }
        for assignment in owned.role_assignments_of(user)
    ]


# An agreement still open when the person leaves ends the way they would end it themselves.
_ENDING = {
    AssignmentStatus.INVITED: AssignmentStatus.DECLINED,
    AssignmentStatus.ACTIVE: AssignmentStatus.STEPPED_DOWN,
    AssignmentStatus.PAUSED: AssignmentStatus.STEPPED_DOWN,
}


def _erase_roles(user: User, options: ErasureOptions) -> None:
    """Kept for the stipend ledger (ids, codes and dates only); open agreements end."""
    today = timezone.localdate()
    for assignment in RoleAssignment.objects.filter(user=user, status__in=_ENDING):
        assignment.status = _ENDING[AssignmentStatus(assignment.status)]
        if assignment.ends_on is None or assignment.ends_on > today:
            assignment.ends_on = max(today, assignment.starts_on)
        assignment.save(update_fields=["status", "ends_on", "updated_at"])
        RoleAssignmentChange.objects.create(
            assignment=assignment, status=assignment.status, actor_id=user.pk
        )
    RoleAssignment.objects.filter(invited_by=user).update(invited_by=None)


def _export_consent(user: User) -> JSON:
    return rows(
        owned.consent_events_of(user),
        "organization__name",
        "scope",
        "action",
        "text__version",
        "language",
        "expires_at",
        "created_at",
    )


def _erase_consent(user: User, options: ErasureOptions) -> None:
    """The ledger is append-only and kept. Every consent still given is withdrawn by a new
    event, so the tombstone is never counted, quoted or contacted."""
    # A yes whose time ran out before the expiry job wrote it down is withdrawn too.
    still_given = latest_consent_events().filter(user=user, action=ConsentAction.GRANTED)
    for grant in still_given:
        ConsentEvent.objects.create(
            user=user,
            organization_id=grant.organization_id,
            scope=grant.scope,
            action=ConsentAction.WITHDRAWN,
            language=grant.language,
        )


def _export_reminders(user: User) -> JSON:
    return rows(owned.consent_reminders_of(user), "grant__scope", "number", "created_at")


def _export_access_records(user: User) -> JSON:
    # Who looked is given as their role, not their name: the viewer is someone else.
    return rows(
        owned.access_records_about(user), "organization__name", "what", "created_at", "viewer_role"
    )


def _erase_access_records(user: User, options: ErasureOptions) -> None:
    AccessRecord.objects.filter(subject=user).delete()
    # Records of what they looked at stay for the person they looked at, without the name.
    AccessRecord.objects.filter(viewer=user).update(viewer=None)


def _export_data_exports(user: User) -> JSON:
    return rows(owned.exports_of(user), "status", "created_at", "ready_at", "expires_at")


def _export_outbox(user: User) -> JSON:
    """Months only: staff are told of anonymous feedback through the outbox, and its inbox
    shows only the month such feedback was sent."""
    return [
        {**row, "created_at": month(row["created_at"]), "sent_at": month(row["sent_at"])}
        for row in owned.outbox_messages_of(user).values("kind", "status", "created_at", "sent_at")
    ]


def _export_address_changes(user: User) -> JSON:
    # Days only, and no addresses: an address may be someone else's (whoever took over).
    changes = AddressChange.objects.filter(user=user).annotate(
        changed_on=TruncDate("created_at"),
        undo_until=TruncDate("expires_at"),
        closed_on=TruncDate("closed_at"),
    )
    return rows(changes, "changed_on", "undo_until", "closed_on")


# --- allauth's and Django's models ----------------------------------------------------------


def _export_email_addresses(user: User) -> JSON:
    from allauth.account.models import EmailAddress

    return rows(EmailAddress.objects.filter(user=user), "email", "verified", "primary")


def _export_authenticators(user: User) -> JSON:
    from allauth.mfa.models import Authenticator

    # The kind and dates only: secrets and codes never leave the database.
    return rows(Authenticator.objects.filter(user=user), "type", "created_at", "last_used_at")


def _export_user_sessions(user: User) -> JSON:
    from allauth.usersessions.models import UserSession

    return rows(
        UserSession.objects.filter(user=user), "created_at", "last_seen_at", "ip", "user_agent"
    )


def _register_ours() -> None:
    register(
        User,
        export=_export_user,
        erase=_tombstone_user,
        reason="Becomes a tombstone: kept only so records that must stay point somewhere.",
        title=str(_("Your account")),
        order=100,
    )
    through_reason = "Django's permission links; this app gives nobody any."
    register(
        User.groups.through,
        export=None,
        erase=delete_rows(User.groups.through),
        reason=through_reason,
    )
    register(
        User.user_permissions.through,
        export=None,
        erase=delete_rows(User.user_permissions.through),
        reason=through_reason,
    )
    register(
        Membership,
        export=_export_memberships,
        erase=delete_rows(Membership),
        reason="Deleted: the person no longer belongs to the organization.",
        title=str(_("Where you are a member")),
    )
    register(
        FunderAccess,
        export=_export_funder_access,
        erase=delete_rows(FunderAccess),
        reason="Deleted: the person no longer sees reports.",
        title=str(_("Reports you could see")),
    )
    register(
        Invitation,
        export=_export_invitations,
        erase=_erase_invitations,
        reason="Invitations to the person (they hold the address) are deleted; "
        "invitations they sent stay without their name.",
        title=str(_("Invitations")),
    )
    register(
        SurvivorProfile,
        export=_export_profiles,
        erase=delete_rows(SurvivorProfile),
        reason="Deleted, in every organization: every detail in them is the person's own.",
        title=str(_("My seat")),
    )
    register(
        RoleAssignment,
        export=_export_roles,
        erase=_erase_roles,
        reason="Kept (PROTECT) for the stipend ledger: codes and dates pointing at the "
        "tombstone. Open agreements end; roles they invited others to lose their name.",
        title=str(_("Your roles")),
    )
    register(
        RoleAssignmentChange,
        export=None,  # part of the roles section above
        erase=keep,
        reason="Append-only role history: status codes and dates of a kept agreement.",
        via="assignment",
    )
    register(
        ConsentEvent,
        export=_export_consent,
        erase=_erase_consent,
        reason="Append-only ledger, kept (PROTECT); consents still given are withdrawn.",
        title=str(_("Your choices about your information")),
    )
    register(
        ConsentReminder,
        export=_export_reminders,
        erase=keep,
        reason="Numbers and dates of reminders about a kept consent event.",
        title=str(_("Reminders about your choices")),
        via="grant",
    )
    register(
        AccessRecord,
        export=_export_access_records,
        erase=_erase_access_records,
        reason="Records about the person are theirs alone and are deleted; records of "
        "what they looked at stay for the people they looked at, without their name.",
        title=str(_("Who has seen your information")),
    )
    register(
        DataExport,
        export=_export_data_exports,
        erase=delete_rows(DataExport),
        reason="Deleted: each holds a copy of the person's data.",
        title=str(_("Downloads you prepared")),
    )
    register(
        OutboxMessage,
        export=_export_outbox,
        erase=delete_rows(OutboxMessage, "recipient"),
        reason="Deleted: updates for a person who is gone.",
        title=str(_("Updates for you")),
    )
    register(
        AddressChange,
        export=_export_address_changes,
        erase=delete_rows(AddressChange),
        reason="Deleted: each holds two addresses, and an erased account has nothing to undo.",
        title=str(_("Changes to your e-mail address")),
    )
    _register_third_party()


def _register_third_party() -> None:
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    register(
        EmailAddress,
        export=_export_email_addresses,
        erase=delete_rows(EmailAddress),
        reason="Deleted: the address is personal.",
        title=str(_("E-mail addresses")),
    )
    register(
        EmailConfirmation,
        export=None,
        erase=keep,  # deleted with its address (CASCADE)
        reason="A one-time code for an address; goes with the address.",
        via="email_address",
    )
    register(
        Authenticator,
        export=_export_authenticators,
        erase=delete_rows(Authenticator),
        reason="Deleted: sign-in apps, recovery codes and passkeys of the person.",
        title=str(_("Sign-in security")),
    )
    register(
        UserSession,
        export=_export_user_sessions,
        erase=delete_rows(UserSession),
        reason="Deleted once every session has ended.",
        title=str(_("Where you were signed in")),
    )
    if apps.is_installed("django.contrib.admin"):
        from django.contrib.admin.models import LogEntry

        register(
            LogEntry,
            export=None,
            erase=delete_rows(LogEntry),
            reason="The development-only admin's log; not used in production.",
        )


def user_relations(model: type[models.Model]) -> list[str]:
    """Names of the model's fields that point at the user model."""
    user_model = apps.get_model(User._meta.label)
    return [
        field.name
        for field in model._meta.get_fields(include_hidden=True)
        if field.concrete
        and field.is_relation
        and field.related_model is user_model
        and (field.many_to_one or field.one_to_one or field.many_to_many)
    ]


_register_ours()

__all__ = [
    "ErasureOptions",
    "Handler",
    "delete_rows",
    "handlers",
    "keep",
    "plain",
    "register",
    "rows",
    "user_relations",
]
