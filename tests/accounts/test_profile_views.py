"""My seat pages, the staff list of leaders and the staff view of a profile: who may see
each, what bad input gets, and what a staff member never sees."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from accounts.models import AccessRecord, AuditEvent, Organization, Role, SurvivorProfile
from accounts.services.profile import update_payment_details, update_profile
from tests.factories import MembershipFactory, UserFactory
from tests.support.clients import client_for
from tests.support.urls import url

pytestmark = pytest.mark.django_db

PINNED_QUERIES = 9
VALID = {
    "chosen_name": "Ash",
    "pronouns": "they/them",
    "languages": "English",
    "time_zone": "America/Chicago",
    "expertise": ["policy", "training"],
    "availability": "Weekday evenings",
    "safe_channels": ["email"],
    "quiet_hours_start": "21:00",
    "quiet_hours_end": "08:00",
}


def text(response) -> str:
    return str(response.content.decode())


# --- My profile ---------------------------------------------------------------------------


def test_only_channels_something_sends_on_are_offered(personas):
    """Text was offered and never sent: someone who ticked only text because e-mail is
    unsafe for them silently got nothing."""
    client = client_for(personas.ash)
    page = text(client.get(url("my_profile")))
    assert 'value="email"' in page
    assert 'value="sms"' not in page
    assert "Text message" not in page
    response = client.post(url("my_profile"), {**VALID, "safe_channels": ["sms"]})
    assert "Choose from the list." in text(response)
    assert not SurvivorProfile.objects.filter(user=personas.ash).exists()


def test_someone_who_chose_text_before_is_told_nothing_was_sent(personas):
    SurvivorProfile.objects.create(
        user=personas.ash, organization=personas.harbor, chosen_name="Ash", safe_channels=["sms"]
    )
    page = text(client_for(personas.ash).get(url("my_profile")))
    assert "We cannot send text messages, so none were sent" in page


def test_a_survivor_without_a_profile_sees_an_empty_form_that_reassures_them(personas):
    response = client_for(personas.ash).get(url("my_profile"))
    assert response.status_code == 200
    page = text(response)
    assert "You never have to share anything about your past." in page
    assert "It does not have to be your legal name." in page
    assert "Don't contact me — I'll check this site." in page


def test_saving_the_profile_creates_it_and_shows_the_saved_values(personas):
    client = client_for(personas.ash)
    response = client.post(url("my_profile"), VALID)
    assert response.status_code == 302
    profile = SurvivorProfile.objects.get(user=personas.ash)
    assert profile.safe_channels == ["email"]
    assert (profile.quiet_hours_start, profile.quiet_hours_end) == (time(21), time(8))
    page = text(client.get(url("my_profile")))
    assert 'value="Ash"' in page
    assert '<option value="America/Chicago" selected>' in page
    assert '<option value="21:00" selected>' in page


def test_the_time_zone_starts_as_the_programs_and_keeps_following_it(personas):
    Organization.objects.filter(pk=personas.harbor.pk).update(time_zone="America/Chicago")
    client = client_for(personas.ash)
    page = text(client.get(url("my_profile")))
    assert (
        '<option value="" selected>The program&#x27;s time zone (America/Chicago)</option>' in page
    )
    client.post(url("my_profile"), {**VALID, "time_zone": ""})
    assert SurvivorProfile.objects.get().time_zone == ""
    Organization.objects.filter(pk=personas.harbor.pk).update(time_zone="America/Denver")
    page = text(client.get(url("my_profile")))
    assert (
        '<option value="" selected>The program&#x27;s time zone (America/Denver)</option>' in page
    )


def test_no_channel_ticked_means_nobody_contacts_them(personas):
    client = client_for(personas.ash)
    client.post(url("my_profile"), VALID)
    client.post(url("my_profile"), {**VALID, "safe_channels": []})
    assert SurvivorProfile.objects.get().safe_channels == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"chosen_name": ""}, "Type the name you want us to use."),
        ({"quiet_hours_end": ""}, "Choose both a start and an end for quiet hours"),
        ({"time_zone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
        ({"expertise": ["policy", "not_a_topic"]}, "Choose areas from the list."),
        ({"safe_channels": ["carrier_pigeon"]}, "Choose from the list."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_written(personas, change, message):
    response = client_for(personas.ash).post(url("my_profile"), {**VALID, **change})
    assert response.status_code == 200
    assert message in text(response)
    assert "Nothing was saved yet." in text(response)
    assert not SurvivorProfile.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye"])
def test_my_seat_pages_do_not_exist_for_anyone_but_survivor_leaders(personas, who):
    client = client_for(getattr(personas, who))
    for name in ("my_profile", "my_payment_details", "who_has_seen"):
        assert client.get(url(name)).status_code == 404
        assert client.post(url(name), VALID).status_code == 404
    assert not SurvivorProfile.objects.exists()


def test_a_survivor_cannot_reach_my_seat_in_another_organization(personas):
    assert client_for(personas.otto).post(url("my_profile"), VALID).status_code == 404
    assert not SurvivorProfile.objects.exists()


def test_home_greets_by_chosen_name_and_links_to_my_seat(personas):
    client = client_for(personas.ash)
    page = text(client.get(reverse("organization_home", kwargs={"org": "harbor"})))
    assert url("my_profile") in page
    assert url("my_payment_details") in page
    assert "Hello," not in page
    update_profile(user=personas.ash, organization=personas.harbor, chosen_name="Ashley")
    page = text(client.get(reverse("organization_home", kwargs={"org": "harbor"})))
    assert "Hello, Ashley." in page


# --- payment details ----------------------------------------------------------------------


def test_payment_details_page_says_why_and_saves_and_clears(personas):
    update_profile(user=personas.ash, organization=personas.harbor, chosen_name="Ash")
    client = client_for(personas.ash)
    page = text(client.get(url("my_payment_details")))
    assert "a cheque must carry your legal name" in page
    assert "Leave them empty if you don't need them." in page
    details = {"legal_name": "Ash Legal", "phone": "555 0100", "mailing_address": "PO Box 1"}
    assert client.post(url("my_payment_details"), details).status_code == 302
    assert SurvivorProfile.objects.get().legal_name == "Ash Legal"
    assert 'value="Ash Legal"' in text(client.get(url("my_payment_details")))
    empty = {"legal_name": "", "phone": "", "mailing_address": ""}
    assert client.post(url("my_payment_details"), empty).status_code == 302
    profile = SurvivorProfile.objects.get()
    assert (profile.legal_name, profile.phone, profile.mailing_address) == ("", "", "")


def test_payment_details_before_a_profile_point_to_the_profile(personas):
    client = client_for(personas.ash)
    page = text(client.get(url("my_payment_details")))
    assert "First save your profile." in page
    response = client.post(url("my_payment_details"), {"legal_name": "Ash Legal"})
    assert response.status_code == 200
    assert not SurvivorProfile.objects.exists()


# --- staff: the list and one profile ------------------------------------------------------


def river_profile(personas) -> SurvivorProfile:
    profile = update_profile(
        user=personas.river,
        organization=personas.harbor,
        chosen_name="River",
        pronouns="she/her",
        expertise=["outreach"],
        availability="Mornings",
        safe_channels=["email"],
    )
    update_payment_details(
        user=personas.river,
        organization=personas.harbor,
        legal_name="Canary Legal",
        phone="555 0199",
        mailing_address="Canary Street",
    )
    return profile


@pytest.mark.parametrize("who", ["sam", "ada"])
def test_staff_see_a_profile_without_payment_details_or_email(personas, who):
    river_profile(personas)
    client = client_for(getattr(personas, who))
    response = client.get(url("survivor_profile", user_id=personas.river.pk))
    assert response.status_code == 200
    page = text(response)
    assert "River" in page
    assert "she/her" in page
    assert "Outreach" in page
    assert "Mornings" in page
    for secret in ("Canary", "555 0199", personas.river.email):
        assert secret not in page


def test_each_staff_view_writes_one_access_record(personas):
    river_profile(personas)
    client = client_for(personas.sam)
    for expected in (1, 2):
        client.get(url("survivor_profile", user_id=personas.river.pk))
        assert AccessRecord.objects.count() == expected
    record = AccessRecord.objects.first()
    assert record is not None
    assert (record.viewer, record.subject, record.organization, record.what) == (
        personas.sam,
        personas.river,
        personas.harbor,
        "profile",
    )


def test_the_list_and_refused_profiles_write_no_access_record(personas):
    client = client_for(personas.sam)
    assert client.get(url("people")).status_code == 200
    assert client.get(url("survivor_profile", user_id=personas.otto.pk)).status_code == 404
    assert client.get(url("survivor_profile", user_id=personas.fin.pk)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_survivor_without_a_profile_is_shown_without_their_email(personas):
    client = client_for(personas.sam)
    page = text(client.get(url("survivor_profile", user_id=personas.ash.pk)))
    assert "has not filled in their profile yet" in page
    assert personas.ash.email not in page


@pytest.mark.parametrize("who", ["ash", "river", "fin", "faye", "otto"])
def test_only_staff_and_admins_see_leaders_profiles(personas, who):
    client = client_for(getattr(personas, who))
    assert client.get(url("people")).status_code == 404
    assert client.get(url("survivor_profile", user_id=personas.river.pk)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_staff_of_another_organization_get_404(personas):
    other_staff = UserFactory.create(email="second-staff@example.test")
    MembershipFactory.create(user=other_staff, organization=personas.second, role=Role.STAFF)
    client = client_for(other_staff)
    assert client.get(url("survivor_profile", user_id=personas.river.pk)).status_code == 404
    assert (
        client.get(url("survivor_profile", org="second", user_id=personas.river.pk)).status_code
        == 404
    )
    assert (
        client.get(url("survivor_profile", org="second", user_id=personas.otto.pk)).status_code
        == 200
    )


def test_the_list_shows_leaders_by_chosen_name_only(personas):
    river_profile(personas)
    page = text(client_for(personas.sam).get(url("people")))
    assert "River" in page
    assert "Has not chosen a name yet" in page  # ash
    assert url("survivor_profile", user_id=personas.river.pk) in page
    for hidden in (personas.ash.email, personas.river.email, "otto", "Canary"):
        assert hidden not in page


def test_the_list_is_paginated(personas):
    for number in range(30):
        survivor = UserFactory.create(email=f"leader{number}@example.test")
        MembershipFactory.create(user=survivor, organization=personas.harbor)
    client = client_for(personas.sam)
    first = text(client.get(url("people")))
    assert "Page 1 of 2" in first
    assert first.count('<li><a href="/o/harbor/people/') == 25
    second = text(client.get(url("people") + "?page=2"))
    assert second.count('<li><a href="/o/harbor/people/') == 7  # 30 + ash + river


def test_the_list_costs_the_same_queries_however_many_leaders(personas, django_assert_num_queries):
    client = client_for(personas.sam)
    client.get(url("people"))  # the first request of a session also records the session
    # PINNED_QUERIES = 9. Any signed-in staff request costs 3 before the view runs: the
    # session and the user; the MFA middleware's check for an authenticator. Reading a page
    # writes nothing after it ends. An organization's page
    # costs 1 more for the viewer's time zone (the middleware's). The page itself costs
    # 5: the organization, the viewer's membership, the selector's own role check, then the
    # page's count and its rows with each profile joined in. Nothing is asked per row.
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(url("people")).status_code == 200
    for number in range(20):
        survivor = UserFactory.create(email=f"leader{number}@example.test")
        MembershipFactory.create(user=survivor, organization=personas.harbor)
        update_profile(user=survivor, organization=personas.harbor, chosen_name=f"L{number}")
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(url("people")).status_code == 200
