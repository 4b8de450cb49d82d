"""Every URL the project serves, and who may reach it.

The walker lists every pattern under `config.urls` (allauth's included ones too) and needs
a rule in `RULES` for each: a new URL without a rule fails this file, so nothing is mounted
without someone deciding who may see it.

A rule says how to build the URL's arguments against the persona's *own* objects and what
each persona gets there; and, for URLs that take an object, how to build them against
objects the persona must never reach (another organization, another organization's
invitation, someone else's passkey). Against those, every signed-in persona gets 404.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.http import HttpResponseBase
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AuditEvent, Invitation, Membership, Organization, User
from accounts.permissions import Capability
from tests.advisory import (
    url_rules_decisions,
    url_rules_feedback,
    url_rules_influence,
    url_rules_recommendations,
)
from tests.compensation import url_rules_claims, url_rules_finance, url_rules_mypay, url_rules_rates
from tests.logs import logs_hold_no_secrets  # noqa: F401  # the fixture
from tests.mfa import sign_in
from tests.opportunities import url_rules_opportunities
from tests.reports import url_rules_report_board, url_rules_report_funder, url_rules_report_staff
from tests.support.db_writes import ALSO_WRITTEN_BY, only_access_records_written
from tests.url_walk import (
    ANONYMOUS,
    ANSWERED,
    FORBIDDEN,
    GONE,
    HOME,
    KEYS_IN_PATHS,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    SURVIVORS,
    Kwargs,
    Redirect,
    Rule,
    World,
    _attendance_meeting,
    _roles_board_role,
    _roles_survivor_in,
    _scheduling_meeting,
    allowed,
    build_world,
    everyone,
    my_input,
    my_pending_input,
    only,
    other_org,
    other_orgs_input,
    other_orgs_invitation,
    other_orgs_invitation_under_own_org,
    own_invitation,
    own_org,
    signed_in,
    someone_elses_input,
    someone_elses_pending_input,
    strangers_passkey,
    survivors_and,
    unknown_email_key,
    unknown_invitation_token,
    unknown_reset_key,
    unknown_undo_token,
)


@pytest.fixture
def world(personas) -> World:
    return build_world(personas)


# --- profile area: survivor leaders' profiles, as staff see them -------------------------


def _survivor_of(world: World, org: Organization) -> int:
    return int(world.personas.otto.pk if org == world.personas.second else world.personas.river.pk)


def own_orgs_survivor(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "user_id": _survivor_of(world, org)}


def other_orgs_survivor_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "user_id": _survivor_of(world, world.other_org(who))}


def own_orgs_survivor_under_other_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.other_org(who).slug, "user_id": _survivor_of(world, world.own_org(who))}


def staff_member_as_survivor(world: World, who: str) -> dict[str, Any]:
    """A member who is not a survivor leader has no profile page, even in the right org."""
    return {"org": world.own_org(who).slug, "user_id": world.personas.sam.pk}


def unknown_user_id(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "user_id": 987_654}


PUBLIC_PAGE = everyone(OK)

RULES: dict[str, Rule] = {
    # --- ours ------------------------------------------------------------------------
    "home": Rule(
        signed_in(Redirect("/o/", prefix=True)), why="one organization each: straight to it"
    ),
    "organization_home": Rule(signed_in(OK), kwargs=own_org, foreign=(other_org,)),
    "quick_exit": Rule(everyone(Redirect("https://example.org/")), why="public by design"),
    "staying_safer": Rule(PUBLIC_PAGE),
    "session_ended": Rule(PUBLIC_PAGE, why="signs out and says why"),
    "session_status": Rule(PUBLIC_PAGE, why="the idle poll; answers active true/false"),
    "healthz": Rule(PUBLIC_PAGE),
    "security_txt": Rule(PUBLIC_PAGE, why="RFC 9116: where to report a security problem"),
    "members": Rule(allowed(Capability.MANAGE_ORGANIZATION), kwargs=own_org, foreign=(other_org,)),
    "invite_person": Rule(
        allowed(Capability.MANAGE_ORGANIZATION, ANSWERED),
        method="POST",
        kwargs=own_org,
        foreign=(other_org,),
    ),
    "revoke_invitation": Rule(
        allowed(Capability.MANAGE_ORGANIZATION, ANSWERED),
        method="POST",
        kwargs=own_invitation,
        foreign=(other_orgs_invitation, other_orgs_invitation_under_own_org),
    ),
    "organization_settings": Rule(
        allowed(Capability.MANAGE_ORGANIZATION),
        kwargs=own_org,
        foreign=(other_org,),
        why="its admins only",
    ),
    "accept_invitation": Rule(everyone(GONE), kwargs=unknown_invitation_token),
    "continue_invitation": Rule(
        signed_in(HOME), why="back from signing in to accept; no link opened here: home"
    ),
    "undo_address_change": Rule(
        everyone(GONE), kwargs=unknown_undo_token, why="the link in the notice is the proof"
    ),
    # --- profile: My seat, staff view of profiles, who has seen my information --------
    "my_profile": Rule(allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,)),
    "my_payment_details": Rule(
        allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,)
    ),
    "who_has_seen": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="only the subject reads it",
    ),
    "people": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="finance: not yet",
    ),
    "survivor_profile": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_orgs_survivor,
        foreign=(
            other_orgs_survivor_under_own_org,
            own_orgs_survivor_under_other_org,
            staff_member_as_survivor,
            unknown_user_id,
        ),
        why="staff and admins of the survivor's own organization; each view is recorded",
    ),
    # --- allauth: signing in and out -------------------------------------------------
    "account_login": Rule(signed_in(HOME, anonymous=OK)),
    "account_logout": Rule(signed_in(OK, anonymous=HOME)),
    "account_inactive": Rule(PUBLIC_PAGE, why="allauth's 'this account is inactive' page"),
    "account_signup": Rule(
        signed_in(HOME, anonymous=OK),
        why="sign-up is closed: anonymous visitors see the 'closed' page (see the test below)",
    ),
    "account_confirm_login_code": Rule(
        signed_in(HOME), why="only mid-sign-in, and sign-in by e-mailed code is off"
    ),
    "account_reauthenticate": Rule(signed_in(OK)),
    "account_request_reauthentication_code": Rule(
        signed_in(FORBIDDEN),
        why="confirming it's you by an e-mailed code is off: the device may show the mailbox",
    ),
    "account_confirm_reauthentication_code": Rule(
        signed_in(FORBIDDEN), why="confirming it's you by an e-mailed code is off"
    ),
    # --- allauth: e-mail and password ------------------------------------------------
    "account_email": Rule(signed_in(OK)),
    "account_email_verification_sent": Rule(PUBLIC_PAGE),
    "account_confirm_email": Rule(PUBLIC_PAGE, kwargs=unknown_email_key, why="bad key page"),
    "account_change_password": Rule(signed_in(OK)),
    "account_set_password": Rule(signed_in(Redirect("account_change_password"))),
    "account_reset_password": Rule(signed_in(OK, anonymous=OK)),
    "account_reset_password_done": Rule(PUBLIC_PAGE),
    "account_reset_password_from_key": Rule(PUBLIC_PAGE, kwargs=unknown_reset_key),
    "account_reset_password_from_key_done": Rule(PUBLIC_PAGE),
    # --- allauth: second factor ------------------------------------------------------
    "mfa_index": Rule(signed_in(OK)),
    "mfa_authenticate": Rule(signed_in(HOME), why="only mid-sign-in"),
    "mfa_reauthenticate": Rule(
        survivors_and(Redirect("account_reauthenticate"), OK),
        why="without an authenticator, confirming it's you falls back to the password",
    ),
    "mfa_activate_totp": Rule(survivors_and(OK, Redirect("mfa_deactivate_totp"))),
    "mfa_deactivate_totp": Rule(survivors_and(NOT_FOUND, OK)),
    "mfa_view_recovery_codes": Rule(survivors_and(NOT_FOUND, OK)),
    "mfa_generate_recovery_codes": Rule(
        signed_in(OK), why="without an authenticator, the form explains codes need one first"
    ),
    "mfa_download_recovery_codes": Rule(survivors_and(NOT_FOUND, OK)),
    "mfa_list_webauthn": Rule(signed_in(OK)),
    "mfa_add_webauthn": Rule(signed_in(OK)),
    "mfa_reauthenticate_webauthn": Rule(
        signed_in(Redirect("account_reauthenticate")), why="nobody here has a passkey yet"
    ),
    # Nobody has a passkey of their own here, so these are only tried with someone else's.
    "mfa_remove_webauthn": Rule(signed_in(NOT_FOUND), kwargs=strangers_passkey),
    "mfa_edit_webauthn": Rule(signed_in(NOT_FOUND), kwargs=strangers_passkey),
    "mfa_login_webauthn": Rule(
        signed_in(HOME), why="a POST from the sign-in page's passkey button"
    ),
    # --- allauth: sessions -----------------------------------------------------------
    "usersessions_list": Rule(signed_in(OK)),
}


# --- updates: each person's own list ------------------------------------------------------
# Updates are made on demand, straight in the database, each pointing at the persona's own
# organization home; only the person it is for opens it (and is sent on to that page).


def _update_for(person: User, org: Organization) -> Any:
    from accounts.models import OutboxMessage

    return OutboxMessage.objects.create(
        recipient=person, organization=org, kind="meeting_changed", target=f"/o/{org.slug}/"
    )


def _persona(world: World, who: str) -> User:
    person: User = getattr(world.personas, "ash" if who == ANONYMOUS else who)
    return person


def own_update(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "public_id": _update_for(_persona(world, who), org).public_id}


def someone_elses_update(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    other = world.personas.river if who == "ash" else world.personas.ash
    return {"org": org.slug, "public_id": _update_for(other, org).public_id}


def own_update_under_other_org(world: World, who: str) -> dict[str, Any]:
    update = _update_for(_persona(world, who), world.own_org(who))
    return {"org": world.other_org(who).slug, "public_id": update.public_id}


RULES.update(
    {
        "updates": Rule(signed_in(OK), kwargs=own_org, foreign=(other_org,)),
        "open_update": Rule(
            signed_in(ANSWERED),
            method="POST",
            kwargs=own_update,
            foreign=(someone_elses_update, own_update_under_other_org),
            why="a button: marks the person's own update seen and goes on to its page",
        ),
        "mark_updates_seen": Rule(
            signed_in(ANSWERED), method="POST", kwargs=own_org, foreign=(other_org,)
        ),
        "sign_in_notice_read": Rule(
            signed_in(ANSWERED), method="POST", kwargs=own_org, foreign=(other_org,)
        ),
    }
)


# --- roles area: boards and roles as agreements ------------------------------------------
# Assignments and roles are made on demand, straight in the database (no audit events, so
# the "GET changes nothing" snapshot is unaffected).


def _roles_assignment(org: Organization, person: User) -> int:
    import datetime

    from accounts.models import AdvisoryBoard, RoleAssignment

    board, _created = AdvisoryBoard.objects.get_or_create(organization=org, name="Advisory board")
    assignment = RoleAssignment.objects.create(
        board=board,
        role=_roles_board_role(org),
        user=person,
        starts_on=datetime.date.today(),
    )
    return int(assignment.pk)


def own_board_role(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _roles_board_role(org).pk}


def other_orgs_board_role(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _roles_board_role(org).pk}


def other_orgs_board_role_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _roles_board_role(world.other_org(who)).pk}


def own_orgs_role_invitation(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _roles_assignment(org, _roles_survivor_in(world, org))}


def other_orgs_role_invitation(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _roles_assignment(org, _roles_survivor_in(world, org))}


def other_orgs_role_invitation_under_own_org(world: World, who: str) -> dict[str, Any]:
    other = world.other_org(who)
    pk = _roles_assignment(other, _roles_survivor_in(world, other))
    return {"org": world.own_org(who).slug, "pk": pk}


def my_role_invitation(world: World, who: str) -> dict[str, Any]:
    """A survivor's own invitation; for everyone else, a survivor's of their organization."""
    org = world.own_org(who)
    person = getattr(world.personas, who) if who in SURVIVORS else _roles_survivor_in(world, org)
    return {"org": org.slug, "pk": _roles_assignment(org, person), "action": "accept"}


def someone_elses_role_invitation(world: World, who: str) -> dict[str, Any]:
    """Another survivor's invitation in the persona's own organization's path."""
    person = world.personas.river if who == "ash" else world.personas.ash
    pk = _roles_assignment(world.personas.harbor, person)
    return {"org": world.own_org(who).slug, "pk": pk, "action": "accept"}


def other_orgs_my_role_invitation(world: World, who: str) -> dict[str, Any]:
    return {**other_orgs_role_invitation(world, who), "action": "accept"}


RULES.update(
    {
        "board_roles": Rule(
            allowed(Capability.MANAGE_ORGANIZATION), kwargs=own_org, foreign=(other_org,)
        ),
        "edit_board_role": Rule(
            allowed(Capability.MANAGE_ORGANIZATION),
            kwargs=own_board_role,
            foreign=(other_orgs_board_role, other_orgs_board_role_under_own_org),
        ),
        "board": Rule(
            allowed(Capability.LOOK_AFTER_BOARD),
            kwargs=own_org,
            foreign=(other_org,),
            why="finance: no",
        ),
        "invite_to_role": Rule(
            allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
            method="POST",
            kwargs=own_org,
            foreign=(other_org,),
        ),
        "withdraw_role_invitation": Rule(
            allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
            method="POST",
            kwargs=own_orgs_role_invitation,
            foreign=(other_orgs_role_invitation, other_orgs_role_invitation_under_own_org),
        ),
        "my_roles": Rule(allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,)),
        "change_my_role": Rule(
            allowed(Capability.USE_OWN_SEAT, ANSWERED),
            method="POST",
            kwargs=my_role_invitation,
            foreign=(someone_elses_role_invitation, other_orgs_my_role_invitation),
            why="only the survivor decides about their own role; staff get 404",
        ),
    }
)


# --- consent area: my choices, counts for staff, wording of the choices ------------------
# Wording is made on demand, straight in the database (no audit events, so the "GET changes
# nothing" snapshot is unaffected).


def _consent_text(org: Organization) -> int:
    from accounts.models import ConsentScope, ConsentText

    text, _created = ConsentText.objects.get_or_create(
        organization=org,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        language="en",
        version=99,
        defaults={"text": "Staff can see my name on what I say."},
    )
    return int(text.pk)


def own_choice(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "scope": "count_in_reports"}


def other_orgs_choice(world: World, who: str) -> dict[str, Any]:
    return {"org": world.other_org(who).slug, "scope": "count_in_reports"}


def unknown_choice(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "scope": "not_a_scope"}


def own_consent_text(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _consent_text(org)}


def other_orgs_consent_text(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _consent_text(org)}


def other_orgs_consent_text_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _consent_text(world.other_org(who))}


RULES.update(
    {
        "my_choices": Rule(allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,)),
        "change_choice": Rule(
            allowed(Capability.USE_OWN_SEAT, ANSWERED),
            method="POST",
            kwargs=own_choice,
            foreign=(other_orgs_choice, unknown_choice),
            data={"answer": "no"},
            why="only the survivor answers for themselves",
        ),
        "consent_overview": Rule(
            allowed(Capability.LOOK_AFTER_BOARD),
            kwargs=own_org,
            foreign=(other_org,),
            why="numbers only; finance: no",
        ),
        "consent_texts": Rule(
            allowed(Capability.MANAGE_ORGANIZATION), kwargs=own_org, foreign=(other_org,)
        ),
        "make_consent_text_effective": Rule(
            allowed(Capability.MANAGE_ORGANIZATION, ANSWERED),
            method="POST",
            kwargs=own_consent_text,
            foreign=(other_orgs_consent_text, other_orgs_consent_text_under_own_org),
        ),
    }
)


# --- data rights area: download my data, delete my account ------------------------------
# Exports are made on demand, ready to download, straight in the database.


def _data_rights_export_for(user) -> str:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.fields import field_fernet
    from accounts.models import DataExport, ExportStatus

    now = timezone.now()
    export = DataExport.objects.create(
        user=user,
        status=ExportStatus.READY,
        progress=100,
        content=field_fernet().encrypt(b"not really a zip"),
        ready_at=now,
        expires_at=now + timedelta(hours=1),
    )
    return str(export.public_id)


def _data_rights_person(world: World, who: str):
    return getattr(world.personas, "ash" if who == ANONYMOUS else who)


def own_export(world: World, who: str) -> dict[str, Any]:
    person = _data_rights_person(world, who)
    return {"org": world.own_org(who).slug, "public_id": _data_rights_export_for(person)}


def someone_elses_export(world: World, who: str) -> dict[str, Any]:
    """Another person's export, under my own organization: still not mine."""
    other = world.personas.river if who == "ash" else world.personas.ash
    return {"org": world.own_org(who).slug, "public_id": _data_rights_export_for(other)}


def own_export_under_other_org(world: World, who: str) -> dict[str, Any]:
    person = _data_rights_person(world, who)
    return {"org": world.other_org(who).slug, "public_id": _data_rights_export_for(person)}


RULES.update(
    {
        "my_data": Rule(
            signed_in(OK), kwargs=own_org, foreign=(other_org,), why="everyone's own data"
        ),
        "request_data_export": Rule(
            signed_in(ANSWERED), method="POST", kwargs=own_org, foreign=(other_org,)
        ),
        "data_export_status": Rule(
            signed_in(OK),
            kwargs=own_export,
            foreign=(someone_elses_export, own_export_under_other_org),
            why="only its owner; a ready file asks them to confirm it's them first",
        ),
        "download_data_export": Rule(
            signed_in(OK),
            kwargs=own_export,
            foreign=(someone_elses_export, own_export_under_other_org),
            why="only its owner, after confirming it's them (the walker has just confirmed)",
        ),
        "delete_account": Rule(
            allowed(Capability.USE_OWN_SEAT),
            kwargs=own_org,
            foreign=(other_org,),
            why="survivor leaders delete their own account after confirming it's them",
        ),
    }
)


# --- meetings: scheduling, replies and the agenda ----------------------------------------
# Meetings are made on demand, straight in the database (the board row too, so no audit
# event is written while building a URL). Ash, River and Otto are invited to their own
# organization's meetings; staff and admins see every meeting of theirs without an invitation.


def _scheduling_item(org: Organization, world: World, status: str) -> dict[str, Any]:
    from tests.meetings.factories import AgendaItemFactory

    item = AgendaItemFactory.create(meeting=_scheduling_meeting(org, world), status=status)
    return {"org": org.slug, "pk": item.meeting.pk, "item_pk": item.pk}


def own_meeting(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _scheduling_meeting(org, world).pk}


def other_orgs_meeting(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _scheduling_meeting(org, world).pk}


def other_orgs_meeting_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {
        "org": world.own_org(who).slug,
        "pk": _scheduling_meeting(world.other_org(who), world).pk,
    }


def own_proposed_item(world: World, who: str) -> dict[str, Any]:
    return _scheduling_item(world.own_org(who), world, "proposed")


def own_accepted_item(world: World, who: str) -> dict[str, Any]:
    return _scheduling_item(world.own_org(who), world, "accepted")


def other_orgs_item_under_own_meeting(world: World, who: str) -> dict[str, Any]:
    """My own meeting in the path, another organization's agenda item."""
    mine = own_meeting(world, who)
    theirs = _scheduling_item(world.other_org(who), world, "accepted")
    return mine | {"item_pk": theirs["item_pk"]}


def other_orgs_accepted_item(world: World, who: str) -> dict[str, Any]:
    return _scheduling_item(world.other_org(who), world, "accepted")


MEETING_PEOPLE = ("sam", "ada", *SURVIVORS)
MEETING_STAFF = ("sam", "ada")
MEETING_FOREIGN = (other_orgs_meeting, other_orgs_meeting_under_own_org)
ITEM_FOREIGN = (other_orgs_accepted_item, other_orgs_item_under_own_meeting)

RULES.update(
    {
        "meetings": Rule(
            allowed(Capability.TAKE_PART_IN_MEETINGS),
            kwargs=own_org,
            foreign=(other_org,),
            why="survivors see only meetings they are invited to; finance and funders: no",
        ),
        "schedule_meeting": Rule(
            allowed(Capability.RUN_MEETINGS),
            kwargs=own_org,
            foreign=(other_org,),
            why="staff and survivor co-chairs (none in this world)",
        ),
        "meeting": Rule(
            allowed(Capability.TAKE_PART_IN_MEETINGS), kwargs=own_meeting, foreign=MEETING_FOREIGN
        ),
        "edit_meeting": Rule(
            allowed(Capability.RUN_MEETINGS), kwargs=own_meeting, foreign=MEETING_FOREIGN
        ),
        "cancel_meeting": Rule(
            allowed(Capability.RUN_MEETINGS, ANSWERED),
            method="POST",
            kwargs=own_meeting,
            foreign=MEETING_FOREIGN,
        ),
        "set_meeting_roles": Rule(
            allowed(Capability.RUN_MEETINGS, ANSWERED),
            method="POST",
            kwargs=own_meeting,
            foreign=MEETING_FOREIGN,
            why="staff and survivor co-chairs (none in this world) set roles",
        ),
        "reply_to_meeting": Rule(
            only(SURVIVORS, ANSWERED),
            method="POST",
            kwargs=own_meeting,
            foreign=MEETING_FOREIGN,
            data={"reply": "yes"},
            why="only invitees answer; staff are not invited",
        ),
        "answer_meeting_role": Rule(
            only(SURVIVORS, ANSWERED),
            method="POST",
            kwargs=own_meeting,
            foreign=MEETING_FOREIGN,
            data={"answer": "no"},
            why="only the invitee answers a meeting role offered to them",
        ),
        "propose_agenda_item": Rule(
            allowed(Capability.TAKE_PART_IN_MEETINGS, ANSWERED),
            method="POST",
            kwargs=own_meeting,
            foreign=MEETING_FOREIGN,
            data={"title": "A topic"},
        ),
        "decide_agenda_item": Rule(
            allowed(Capability.RUN_MEETINGS, ANSWERED),
            method="POST",
            kwargs=own_proposed_item,
            foreign=ITEM_FOREIGN,
            data={"decision": "accept"},
        ),
        "skip_agenda_item": Rule(
            only(SURVIVORS, ANSWERED),
            method="POST",
            kwargs=own_accepted_item,
            foreign=ITEM_FOREIGN,
            why="anyone invited; staff are not invited",
        ),
    }
)


# --- meetings: minutes -------------------------------------------------------------------
# A meeting with draft minutes is made on demand, straight in the database (no audit
# event). Ash and River are invited to Harbor's, Otto to Second's; nobody is a co-chair or
# note-taker here, so survivors read and comment, and approving answers with a refusal.


def _minutes_meeting(org: Organization, world: World) -> int:
    from accounts.models import AdvisoryBoard
    from meetings.models import MeetingInvitation, Minutes
    from tests.meetings.factories import MeetingFactory

    board, _created = AdvisoryBoard.objects.get_or_create(organization=org, name="Board")
    meeting = MeetingFactory.create(organization=org, board=board)
    people = ("otto",) if org == world.personas.second else ("ash", "river")
    for name in people:
        MeetingInvitation.objects.create(meeting=meeting, user=getattr(world.personas, name))
    Minutes.objects.create(meeting=meeting, body="Draft notes.")
    return int(meeting.pk)


def own_minutes(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _minutes_meeting(org, world)}


def other_orgs_minutes(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _minutes_meeting(org, world)}


def other_orgs_minutes_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _minutes_meeting(world.other_org(who), world)}


MINUTES_READERS = ("sam", "ada", *SURVIVORS)
MINUTES_FOREIGN = (other_orgs_minutes, other_orgs_minutes_under_own_org)

RULES.update(
    {
        "minutes": Rule(
            only(MINUTES_READERS),
            kwargs=own_minutes,
            foreign=MINUTES_FOREIGN,
            why="invited survivors and staff; finance and funders: no",
        ),
        "edit_minutes": Rule(
            only(("sam", "ada")),
            kwargs=own_minutes,
            foreign=MINUTES_FOREIGN,
            why="staff or the meeting's note-taker (none in this world)",
        ),
        "comment_on_minutes": Rule(
            only(MINUTES_READERS, ANSWERED),
            method="POST",
            kwargs=own_minutes,
            foreign=MINUTES_FOREIGN,
            data={"body": "Looks right to me."},
        ),
        "approve_minutes": Rule(
            only(MINUTES_READERS, ANSWERED),
            method="POST",
            kwargs=own_minutes,
            foreign=MINUTES_FOREIGN,
            why="readers get the page back; only a survivor co-chair's approval counts",
        ),
    }
)


# --- meetings: attendance ----------------------------------------------------------------
# A meeting that has started, with the organization's survivor invited, made on demand
# straight in the database (no audit events). Nobody in the walker is a co-chair, so only
# staff reach the sheet; tests/meetings/test_attendance_views.py covers co-chairs.


def own_attendance_meeting(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _attendance_meeting(world, org)}


def other_orgs_attendance_meeting(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _attendance_meeting(world, org)}


def other_orgs_attendance_meeting_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _attendance_meeting(world, world.other_org(who))}


RULES.update(
    {
        "record_attendance": Rule(
            allowed(Capability.RECORD_ATTENDANCE),
            kwargs=own_attendance_meeting,
            foreign=(other_orgs_attendance_meeting, other_orgs_attendance_meeting_under_own_org),
            why="staff and survivor co-chairs; admins, finance and other survivors: no",
        ),
        "my_attendance": Rule(
            allowed(Capability.USE_OWN_SEAT),
            kwargs=own_org,
            foreign=(other_org,),
            why="only their own",
        ),
    }
)


# --- meetings: input -----------------------------------------------------------------------
# Input is made on demand, straight in the database, on the meetings the scheduling rules
# build. Only the author reaches their input's pages: staff, other survivors and other
# organizations get 404, and pending input is the author's alone to check.


INPUT_FOREIGN = (someone_elses_input, other_orgs_input)

RULES.update(
    {
        "meeting_input": Rule(
            only(MEETING_PEOPLE),
            kwargs=own_meeting,
            foreign=MEETING_FOREIGN,
            why="invited survivor leaders and staff; each sees only what they may",
        ),
        "record_input_on_behalf": Rule(
            only(MEETING_STAFF), kwargs=own_meeting, foreign=MEETING_FOREIGN
        ),
        "inputs_to_check": Rule(
            allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,)
        ),
        "edit_input": Rule(only(SURVIVORS), kwargs=my_input, foreign=INPUT_FOREIGN),
        "input_history": Rule(
            only(SURVIVORS),
            kwargs=my_input,
            foreign=INPUT_FOREIGN,
            why="edit history is the author's alone",
        ),
        "withdraw_input": Rule(
            only(SURVIVORS, ANSWERED), method="POST", kwargs=my_input, foreign=INPUT_FOREIGN
        ),
        "confirm_input": Rule(
            only(SURVIVORS),
            kwargs=my_pending_input,
            foreign=(someone_elses_pending_input, other_orgs_input),
            why="pending input is seen only by its author (and the staff member who wrote it)",
        ),
        "input_overview": Rule(
            allowed(Capability.LOOK_AFTER_BOARD),
            kwargs=own_org,
            foreign=(other_org,),
            why="staff read confirmed input across meetings; names only with consent",
        ),
    }
)


# --- pay (compensation): each area keeps its rules in its own module ----------------------
# (Each module imports only tests/url_walk.py, never this file.)
for _area in (url_rules_rates, url_rules_mypay, url_rules_finance, url_rules_claims):
    RULES.update(_area.RULES)

# --- advice and what came of it (advisory) ------------------------------------------------
for _area in (
    url_rules_decisions,
    url_rules_influence,
    url_rules_recommendations,
    url_rules_report_board,
    url_rules_report_staff,
    url_rules_report_funder,
    url_rules_opportunities,
    url_rules_feedback,
):
    RULES.update(_area.RULES)


# --- the walk ----------------------------------------------------------------------------


def url_patterns(patterns=None, namespace: str | None = None) -> Iterator[tuple[str, str]]:
    """(rule key, route) for every pattern, following includes: the key is the URL name
    (with its namespace), or the route for an unnamed pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            for key, route in url_patterns(pattern.url_patterns, inner):
                yield key, f"{pattern.pattern}{route}"
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            key = pattern.name or route
            yield (f"{namespace}:{key}" if namespace and pattern.name else key), route


def mounted() -> set[str]:
    return {key for key, _route in url_patterns()}


def test_every_url_has_an_access_rule():
    missing = sorted(mounted() - RULES.keys())
    assert not missing, f"URLs without a rule in tests/test_url_access.py: {missing}"


def test_every_rule_is_for_a_mounted_url():
    stale = sorted(RULES.keys() - mounted())
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


# Everything else sends an anonymous visitor to sign in. Making a page public is a decision
# taken here, on purpose, not a side effect of a forgotten decorator.
PUBLIC = {
    "quick_exit",
    "staying_safer",
    "session_ended",
    "session_status",
    "healthz",
    "security_txt",
    "accept_invitation",
    "undo_address_change",
    "account_login",
    "account_logout",  # sends a signed-out visitor home, which then asks them to sign in
    "account_inactive",
    "account_signup",  # only to say sign-up is closed
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
}


def test_only_the_listed_pages_are_public():
    public = {name for name, rule in RULES.items() if rule.expect[ANONYMOUS] != LOGIN}
    assert public == PUBLIC


def test_rules_cover_every_persona():
    incomplete = {name: set(PERSONAS) - rule.expect.keys() for name, rule in RULES.items()}
    assert not {name: who for name, who in incomplete.items() if who}


def request(world: World, who: str, name: str, rule: Rule, kwargs: Kwargs):
    client = Client()
    if who != ANONYMOUS:
        sign_in(client, getattr(world.personas, who))
    url = reverse(name, kwargs=kwargs(world, who))
    if rule.method == "POST":
        return client.post(url, dict(rule.data))
    with only_access_records_written(f"GET {name} as {who}", also=ALSO_WRITTEN_BY.get(name, ())):
        return client.get(url)


def walk_pages(world: World, personas: tuple[str, ...] = PERSONAS):
    """(persona, URL name, response) for every page a persona may GET, per the rules.
    Used by the safety tests, so each promise is checked on every page there is."""
    for name, rule in sorted(RULES.items()):
        if rule.method != "GET":
            continue
        for who in personas:
            if rule.expect[who] == OK:
                yield who, name, request(world, who, name, rule, rule.kwargs)


def describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" -> {location}" if location else "")


# A valid HTML date, or date and time with a zone; seconds may have at most three decimals.
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?"
)


def invalid_times(response: HttpResponseBase) -> list[str]:
    """Machine-readable times that are not valid HTML (`date:'c'` writes microseconds)."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode(errors="replace")  # type: ignore[attr-defined]
    return [
        f"invalid datetime {value!r}"
        for value in re.findall(r'datetime="([^"]*)"', html)
        if not HTML_DATETIME.fullmatch(value)
    ]


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(name, world, logs_hold_no_secrets):  # noqa: F811  # the fixture
    """...and, with every logger at DEBUG, no log line holds a key, address or name."""
    logs_hold_no_secrets.update(KEYS_IN_PATHS)
    rule = RULES[name]
    wrong = []
    for who in PERSONAS:
        response = request(world, who, name, rule, rule.kwargs)
        if not rule.expect[who].matches(response):
            wrong.append(f"{who}: expected {rule.expect[who]}, got {describe(response)}")
        wrong.extend(f"{who}: {problem}" for problem in invalid_times(response))
        for foreign in rule.foreign:
            expected = rule.expect[ANONYMOUS] if who == ANONYMOUS else NOT_FOUND
            response = request(world, who, name, rule, foreign)
            if not expected.matches(response):
                wrong.append(
                    f"{who} via {foreign.__name__}: expected {expected}, got {describe(response)}"
                )
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


def test_reversing_every_rule_with_its_kwargs_works(world):
    """A rule whose kwargs no longer fit its URL would otherwise fail confusingly."""
    broken = []
    for name, rule in RULES.items():
        for kwargs in (rule.kwargs, *rule.foreign):
            try:
                reverse(name, kwargs=kwargs(world, "ash"))
            except NoReverseMatch:
                broken.append(f"{name} with {kwargs.__name__}")
    assert not broken


def test_nobody_can_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.test",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.test").exists()


def database_snapshot() -> tuple[object, ...]:
    return (
        list(Invitation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        len(mail.outbox),
    )


@pytest.mark.parametrize("name", sorted(n for n, rule in RULES.items() if rule.method == "POST"))
def test_actions_change_nothing_on_get(name, world):
    """A link, a prefetch or a crawler must never change anything: GET on an action is
    refused (405) or sent elsewhere, and leaves the database as it was."""
    rule = RULES[name]
    allowed = [who for who, outcome in rule.expect.items() if outcome == ANSWERED]
    assert allowed
    as_get = Rule(rule.expect, kwargs=rule.kwargs)
    for who in allowed:
        before = database_snapshot()
        response = request(world, who, name, as_get, rule.kwargs)
        assert response.status_code in (302, 303, 405), f"{who}: {describe(response)}"
        assert database_snapshot() == before, who
