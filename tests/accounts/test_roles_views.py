"""The roles pages: who sees what, what each form refuses, and what only the survivor does."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import (
    AssignmentStatus,
    AuditEvent,
    BoardRole,
    OutboxMessage,
    RoleAssignment,
    RoleAssignmentChange,
)
from accounts.services import roles
from tests.factories import SurvivorProfileFactory
from tests.mfa import give_totp, sign_in
from tests.support.urls import url

pytestmark = pytest.mark.django_db

PEOPLE = ("ash", "river", "sam", "fin", "ada", "faye", "otto")
WITH_AUTHENTICATOR = ("sam", "fin", "ada", "faye")
STORY = "Sharing your personal story is not expected."
START = datetime.date(2026, 4, 1)


@pytest.fixture
def people(personas):
    for who in WITH_AUTHENTICATOR:
        give_totp(getattr(personas, who))
    return personas


@pytest.fixture
def member_role(people):
    return roles.create_board_role(
        organization=people.harbor,
        actor=people.ada,
        name="Board member",
        description="Come to meetings and say what you think.",
    )


def as_(client, people, who):
    sign_in(client, getattr(people, who))
    return client


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def written():
    return (
        RoleAssignment.objects.count(),
        RoleAssignmentChange.objects.count(),
        OutboxMessage.objects.count(),
        AuditEvent.objects.count(),
        list(RoleAssignment.objects.order_by("pk").values_list("status", flat=True)),
    )


def invited(people, role, person=None):
    return roles.invite_to_role(
        role=role, person=person or people.ash, invited_by=people.sam, starts_on=START
    )


def invite_data(person, role, **extra):
    return {"person": person.pk, "role": role.pk, "starts_on": "2026-04-01", **extra}


# --- who may see each page ---------------------------------------------------------------

PAGES = {
    "board_roles": ("ada",),
    "board": ("sam", "ada"),
    "my_roles": ("ash", "river"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("who", PEOPLE)
def test_each_page_is_there_only_for_its_people(client, people, name, who):
    response = as_(client, people, who).get(url(name))
    assert response.status_code == (200 if who in PAGES[name] else 404)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(client, people, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_otto_sees_his_own_roles_but_not_harbors(client, people):
    as_(client, people, "otto")
    assert client.get(url("my_roles", org="second")).status_code == 200
    assert client.get(url("my_roles")).status_code == 404


@pytest.mark.parametrize("who", ["ash", "sam", "fin", "faye", "otto"])
def test_only_the_admin_edits_a_role(client, people, member_role, who):
    response = as_(client, people, who).get(url("edit_board_role", pk=member_role.pk))
    assert response.status_code == 404


def test_another_organizations_role_is_not_found_for_its_admin(client, people):
    theirs = BoardRole.objects.create(organization=people.second, name="X", description="Y")
    response = as_(client, people, "ada").get(url("edit_board_role", pk=theirs.pk))
    assert response.status_code == 404


# --- the admin's roles -------------------------------------------------------------------


def test_with_no_roles_the_admin_is_offered_the_usual_ones_in_one_click(client, people):
    as_(client, people, "ada")
    page = client.get(url("board_roles")).content.decode()
    assert "Add the usual roles" in page
    assert STORY in page
    response = client.post(url("board_roles"), {"add_usual": "1"})
    assert response.status_code == 302
    assert BoardRole.objects.filter(organization=people.harbor).count() == 5
    page = client.get(url("board_roles")).content.decode()
    assert "Add the usual roles" not in page
    assert "Co-chairs the board" in page


def test_the_admin_adds_a_role_and_the_sentence_is_added(client, people):
    as_(client, people, "ada")
    response = client.post(
        url("board_roles"), {"name": "Reviewer", "description": "Read drafts and comment."}
    )
    assert response.status_code == 302
    role = BoardRole.objects.get(organization=people.harbor, name="Reviewer")
    assert role.description.endswith(STORY)
    assert not role.is_co_chair


def test_a_role_without_a_name_or_description_is_refused_with_a_message(client, people):
    response = as_(client, people, "ada").post(url("board_roles"), {"name": "", "description": ""})
    assert response.status_code == 200
    assert "Give the role a name" in response.content.decode()
    assert not BoardRole.objects.exists()


def test_a_second_role_with_the_same_name_is_refused_with_a_message(client, people, member_role):
    response = as_(client, people, "ada").post(
        url("board_roles"), {"name": "Board Member", "description": "Other words."}
    )
    assert response.status_code == 200
    assert "already a role with this name" in response.content.decode()
    assert BoardRole.objects.count() == 1


def test_the_admin_edits_a_role(client, people, member_role):
    as_(client, people, "ada")
    page = client.get(url("edit_board_role", pk=member_role.pk)).content.decode()
    assert STORY in page
    response = client.post(
        url("edit_board_role", pk=member_role.pk),
        {"name": "Co-chair", "description": "Help run meetings.", "is_co_chair": "on"},
    )
    assert response.status_code == 302
    member_role.refresh_from_db()
    assert (member_role.name, member_role.is_co_chair) == ("Co-chair", True)
    assert member_role.description == f"Help run meetings.\n\n{STORY}"


# --- the staff's board -------------------------------------------------------------------


def test_staff_invite_a_survivor_leader_to_a_role(client, people, member_role):
    response = as_(client, people, "sam").post(
        url("invite_to_role"), invite_data(people.ash, member_role, ends_on="2027-03-31")
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get()
    assert (assignment.user, assignment.status) == (people.ash, AssignmentStatus.INVITED)
    assert assignment.ends_on == datetime.date(2027, 3, 31)
    assert OutboxMessage.objects.get().kind == "role_invitation"


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye", "otto", "nobody"])
def test_an_invitation_to_someone_who_is_not_a_survivor_leader_here_writes_nothing(
    client, people, member_role, who
):
    person_pk = 987_654 if who == "nobody" else getattr(people, who).pk
    before = written()
    response = as_(client, people, "sam").post(
        url("invite_to_role"), {**invite_data(people.ash, member_role), "person": person_pk}
    )
    assert response.status_code == 200
    assert "Choose a survivor leader of this organization" in response.content.decode()
    assert written() == before


def test_a_role_of_another_organization_cannot_be_offered(client, people):
    theirs = BoardRole.objects.create(organization=people.second, name="X", description="Y")
    before = written()
    response = as_(client, people, "sam").post(
        url("invite_to_role"), invite_data(people.ash, theirs)
    )
    assert "Choose one of this organization" in response.content.decode()
    assert written() == before


def test_a_term_that_ends_before_it_starts_is_refused(client, people, member_role):
    before = written()
    response = as_(client, people, "sam").post(
        url("invite_to_role"), invite_data(people.ash, member_role, ends_on="2026-03-31")
    )
    assert response.status_code == 200
    assert "The end date must be on or after the start." in response.content.decode()
    assert written() == before


def test_the_same_role_twice_is_refused_with_a_message(client, people, member_role):
    invited(people, member_role)
    before = written()
    response = as_(client, people, "sam").post(
        url("invite_to_role"), invite_data(people.ash, member_role)
    )
    assert response.status_code == 200
    assert "already has this role" in response.content.decode()
    assert written() == before


def test_the_board_shows_chosen_names_never_email_addresses(client, people, member_role):
    SurvivorProfileFactory.create(user=people.ash, chosen_name="Ash Lantern")
    invited(people, member_role, people.ash)
    invited(people, member_role, people.river)
    page = as_(client, people, "sam").get(url("board")).content.decode()
    assert "Ash Lantern" in page
    assert "A board member without a name yet" in page
    assert "@example.test" not in page
    assert STORY in page


def test_staff_withdraw_an_unanswered_invitation(client, people, member_role):
    assignment = invited(people, member_role)
    response = as_(client, people, "sam").post(url("withdraw_role_invitation", pk=assignment.pk))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN


def test_staff_cannot_withdraw_a_role_the_survivor_accepted(client, people, member_role):
    assignment = invited(people, member_role)
    roles.change_my_role(assignment=assignment, person=people.ash, action="accept")
    before = written()
    response = as_(client, people, "sam").post(url("withdraw_role_invitation", pk=assignment.pk))
    assert response.status_code == 302
    assert "board member's choice" in " ".join(said(response))
    assert written() == before


def test_the_board_page_pins_its_query_count(
    client, people, member_role, django_assert_num_queries
):
    as_(client, people, "sam")
    for who in ("ash", "river"):
        SurvivorProfileFactory.create(user=getattr(people, who), chosen_name=who.title())
    invited(people, member_role, people.ash)
    client.get(url("board"))  # warm up: the session and sign-in checks settle
    # 11 queries, none of them per person (the count stays the same as the board grows,
    # below): session and user (2); the MFA check (1); the viewer's time zone (1); the
    # organization (1); the membership role, once for the page's gate and once in the scoped
    # selector (2); the assignments with role and profile in one join (1); whether any role
    # exists (1); the invitation form's two choice lists (2).
    with django_assert_num_queries(11) as first:
        client.get(url("board"))
    invited(people, member_role, people.river)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url("board"))


# --- the survivor's own roles ------------------------------------------------------------


def test_the_survivor_sees_each_role_with_its_description_dates_and_choices(
    client, people, member_role
):
    invited(people, member_role)
    page = as_(client, people, "ash").get(url("my_roles")).content.decode()
    assert "Come to meetings and say what you think." in page
    assert STORY in page
    assert "1 April 2026" in page
    assert "Invited" in page
    assert ">Accept<" in page
    assert "No, thank you" in page
    assert "Nothing bad happens if you say no." in page


def test_the_survivor_accepts_then_pauses_and_sees_the_history(client, people, member_role):
    assignment = invited(people, member_role)
    as_(client, people, "ash")
    accept = client.post(url("change_my_role", pk=assignment.pk, action="accept"))
    assert accept.status_code == 302
    assert "You accepted the role" in " ".join(said(accept))
    client.post(url("change_my_role", pk=assignment.pk, action="pause"))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PAUSED
    page = client.get(url("my_roles")).content.decode()
    assert "History of Board member" in page
    for status in ("Invited", "Active", "Paused"):
        assert status in page
    assert "Start again" in page


def test_an_invalid_move_gets_a_message_and_changes_nothing(client, people, member_role):
    assignment = invited(people, member_role)
    before = written()
    response = as_(client, people, "ash").post(
        url("change_my_role", pk=assignment.pk, action="pause")
    )
    assert response.status_code == 302
    assert "Only a role you are doing now can be paused." in said(response)
    assert written() == before


def test_an_unknown_action_is_not_found(client, people, member_role):
    assignment = invited(people, member_role)
    before = written()
    response = as_(client, people, "ash").post(
        url("change_my_role", pk=assignment.pk, action="promote")
    )
    assert response.status_code == 404
    assert written() == before


@pytest.mark.parametrize("who", ["river", "sam", "fin", "ada", "faye", "otto"])
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_nobody_else_can_answer_for_the_survivor(client, people, member_role, who, action):
    assignment = invited(people, member_role)
    before = written()
    response = as_(client, people, who).post(url("change_my_role", pk=assignment.pk, action=action))
    assert response.status_code == 404
    assert written() == before


@pytest.mark.parametrize("who", ["river", "sam", "ada"])
@pytest.mark.parametrize("action", ["pause", "step_down"])
def test_nobody_else_can_pause_or_end_a_survivors_role(client, people, member_role, who, action):
    assignment = invited(people, member_role)
    roles.change_my_role(assignment=assignment, person=people.ash, action="accept")
    before = written()
    response = as_(client, people, who).post(url("change_my_role", pk=assignment.pk, action=action))
    assert response.status_code == 404
    assert written() == before


def test_getting_an_action_url_changes_nothing(client, people, member_role):
    assignment = invited(people, member_role)
    before = written()
    response = as_(client, people, "ash").get(
        url("change_my_role", pk=assignment.pk, action="accept")
    )
    assert response.status_code == 405
    assert written() == before


def test_the_home_pages_link_to_the_roles_pages(client, people):
    for who, name in (("ash", "my_roles"), ("sam", "board"), ("ada", "board_roles")):
        client.logout()
        page = as_(client, people, who).get(url("organization_home")).content.decode()
        assert f'href="{url(name)}"' in page, who
