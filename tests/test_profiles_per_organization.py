"""A person in two organizations. Otto is a survivor leader in Second, with a full profile
there; then Harbor invites Otto. Each organization's pages, payment files and messages use
only what Otto gave that organization, Otto's data download holds both (each labelled),
and accepting Harbor's invitation never touched Otto's password."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Role, SurvivorProfile, User
from accounts.outbox import Decision, contact_decision
from accounts.selectors import hash_token
from accounts.services.consent import ensure_consent_texts, grant_consent
from accounts.services.data_rights import collect_personal_data, erase_account
from compensation.models import Approval, PaymentMethod
from compensation.services.payments import BatchOutcome, create_batch
from tests.compensation.factories import offer_methods, prefer
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    SurvivorProfileFactory,
    UserFactory,
)
from tests.mfa import give_totp, sign_in
from tests.support.pay import earned

if TYPE_CHECKING:
    from tests.support.personas import Personas

pytestmark = pytest.mark.django_db

# Everything Otto told Second. None of it may ever reach a Harbor page or file.
SECOND_PROFILE = {
    "chosen_name": "Ottilie Secondname",
    "pronouns": "xe/xem",
    "languages": "Cornish",
    "time_zone": "Europe/London",
    "expertise": ["research"],
    "availability": "Second's mornings only",
    "safe_channels": ["email"],
    "legal_name": "Otto Secondlegal",
    "phone": "+1 555 0199",
    "mailing_address": "1 Second Street, Elsewhere",
}
SECOND_WORDS = ("Secondname", "xe/xem", "Cornish", "Second's mornings", "Secondlegal", "0199")
HARBOR_PROFILE = {
    "chosen_name": "Otto Harborname",
    "pronouns": "he/him",
    "languages": "English",
    "time_zone": "America/Chicago",
    "availability": "Harbor evenings",
}
HARBOR_PAYMENT = {"legal_name": "Otto Harborlegal", "phone": "", "mailing_address": "9 Pier Rd"}
HARBOR_WORDS = ("Harborname", "he/him", "Harbor evenings", "Harborlegal", "9 Pier Rd")


@dataclass
class People:
    personas: Personas
    otto: User
    harbor_staff: Client
    harbor_finance: Client
    second_staff: Client
    second_finance: Client
    otto_client: Client


def signed_in(person: User) -> Client:
    if person.memberships.exclude(role=Role.SURVIVOR_LEADER).exists():
        give_totp(person)
    client = Client()
    sign_in(client, person)
    return client


def member_of_second(email: str, role: Role, second) -> User:
    person = UserFactory.create(email=email)
    MembershipFactory.create(user=person, organization=second, role=role)
    return person


@pytest.fixture
def otto_joins_harbor(personas) -> People:
    """Otto, with a full profile at Second, accepts Harbor's invitation signed in as Otto."""
    second = personas.second
    SurvivorProfileFactory.create(user=personas.otto, organization=second, **SECOND_PROFILE)
    token = services.new_token()
    InvitationFactory.create(
        organization=personas.harbor, email=personas.otto.email, token_hash=hash_token(token)
    )
    otto = signed_in(personas.otto)
    accept = reverse("accept_invitation", kwargs={"token": token})
    assert "Join Harbor?" in otto.get(accept).text
    response = otto.post(accept, {"password": "a-new-pass-phrase-7", "password_again": "x"})
    assert response["Location"] == reverse("organization_home", kwargs={"org": "harbor"})
    return People(
        personas=personas,
        otto=personas.otto,
        harbor_staff=signed_in(personas.sam),
        harbor_finance=signed_in(personas.fin),
        second_staff=signed_in(member_of_second("s.staff@example.test", Role.STAFF, second)),
        second_finance=signed_in(member_of_second("s.fin@example.test", Role.FINANCE, second)),
        otto_client=otto,
    )


def page(client: Client, name: str, org: str, **kwargs) -> str:
    response = client.get(reverse(name, kwargs={"org": org, **kwargs}))
    assert response.status_code == 200
    return response.text


def none_of(words: tuple[str, ...], text: str) -> bool:
    return not any(word in text for word in words)


def otto_fills_in_harbor(people: People) -> None:
    otto = people.otto_client
    profile = otto.post(reverse("my_profile", kwargs={"org": "harbor"}), HARBOR_PROFILE)
    assert profile.status_code == 302
    payment = otto.post(reverse("my_payment_details", kwargs={"org": "harbor"}), HARBOR_PAYMENT)
    assert payment.status_code == 302


# --- accepting ---------------------------------------------------------------------------


def test_accepting_kept_ottos_password_and_brought_nothing_along(otto_joins_harbor):
    otto = otto_joins_harbor.otto
    otto.refresh_from_db()
    assert otto.check_password(PASSWORD)
    assert not otto.check_password("a-new-pass-phrase-7")
    fresh = Client()
    signing_in = fresh.post(reverse("account_login"), {"login": otto.email, "password": PASSWORD})
    assert signing_in.status_code == 302
    assert fresh.session["_auth_user_id"] == str(otto.pk)
    assert list(SurvivorProfile.objects.filter(user=otto).values_list("organization__slug")) == [
        ("second",)
    ]


# --- pages -------------------------------------------------------------------------------


def test_before_otto_gives_harbor_anything_harbor_sees_nothing(otto_joins_harbor):
    people = otto_joins_harbor
    seen_by_staff = page(people.harbor_staff, "people", "harbor") + page(
        people.harbor_staff, "survivor_profile", "harbor", user_id=people.otto.pk
    )
    assert "Profile not filled in yet" in seen_by_staff
    assert "Has not chosen a name yet" in seen_by_staff
    home = page(people.otto_client, "organization_home", "harbor")
    assert "You have not filled in your profile for Harbor yet." in home
    assert reverse("my_profile", kwargs={"org": "harbor"}) in home
    own_pages = home + page(people.otto_client, "my_profile", "harbor")
    own_pages += page(people.otto_client, "my_payment_details", "harbor")
    assert "First save your profile" in own_pages
    for text in (seen_by_staff, own_pages):
        assert none_of(SECOND_WORDS, text)
        assert "Europe/London" not in re.sub(r"<option[^>]*>[^<]*</option>", "", text)


def test_each_organization_sees_only_what_otto_gave_it(otto_joins_harbor):
    people = otto_joins_harbor
    otto_fills_in_harbor(people)
    harbor = page(people.harbor_staff, "people", "harbor") + page(
        people.harbor_staff, "survivor_profile", "harbor", user_id=people.otto.pk
    )
    second = page(people.second_staff, "people", "second") + page(
        people.second_staff, "survivor_profile", "second", user_id=people.otto.pk
    )
    assert "Otto Harborname" in harbor
    assert "Harbor evenings" in harbor
    assert none_of(SECOND_WORDS, harbor)
    assert "Ottilie Secondname" in second
    assert "Second&#x27;s mornings only" in second
    assert none_of(HARBOR_WORDS, second)
    harbor_home = page(people.otto_client, "organization_home", "harbor")
    assert "Hello, Otto Harborname." in harbor_home
    assert "Hello, Ottilie Secondname." in page(people.otto_client, "organization_home", "second")
    # Saving for Harbor changed nothing Otto gave Second.
    kept = SurvivorProfile.objects.get(user=people.otto, organization=people.personas.second)
    assert {name: getattr(kept, name) for name in SECOND_PROFILE} == SECOND_PROFILE


# --- payment files -----------------------------------------------------------------------


def owed_by_check(organization, person: User) -> None:
    offer_methods(organization, PaymentMethod.CHECK)
    prefer(person, organization, PaymentMethod.CHECK, schedule="per_meeting")
    Approval.objects.create(entry=earned(person, organization, "60.00"))


def check_batch(organization) -> BatchOutcome:
    finance_person = organization.memberships.get(role=Role.FINANCE).user
    return create_batch(organization=organization, by=finance_person, method="check")


def payment_file(finance: Client, organization, person: User) -> list[list[str]]:
    owed_by_check(organization, person)
    batch = check_batch(organization).batch
    assert batch is not None
    url = reverse("batch_csv", kwargs={"org": organization.slug, "public_id": batch.public_id})
    body = finance.get(url).getvalue().decode()
    return list(csv.reader(io.StringIO(body)))


def test_harbors_payment_file_never_carries_what_otto_gave_second(otto_joins_harbor):
    people = otto_joins_harbor
    harbor = people.personas.harbor
    owed_by_check(harbor, people.otto)
    # Nothing given to Harbor yet: nothing to pay under, and Second's details never stand
    # in. Otto is left out, and Harbor's finance see what is missing, not Second's values.
    before = check_batch(harbor)
    assert (before.batch, before.left_out) == (None, 1)
    dashboard = page(people.harbor_finance, "finance_dashboard", "harbor")
    assert "legal name and safe mailing address" in dashboard
    assert none_of(SECOND_WORDS, dashboard)
    otto_fills_in_harbor(people)
    batch = check_batch(harbor).batch
    assert batch is not None
    url = reverse("batch_csv", kwargs={"org": "harbor", "public_id": batch.public_id})
    rows = list(csv.reader(io.StringIO(people.harbor_finance.get(url).getvalue().decode())))
    assert rows[1][1:4] == ["Otto Harborlegal", "9 Pier Rd", "60.00"]
    assert none_of(SECOND_WORDS, json.dumps(rows))


def test_seconds_payment_file_never_carries_what_otto_gave_harbor(otto_joins_harbor):
    people = otto_joins_harbor
    otto_fills_in_harbor(people)
    rows = payment_file(people.second_finance, people.personas.second, people.otto)
    assert rows[1][1:4] == ["Otto Secondlegal", "1 Second Street, Elsewhere", "60.00"]
    assert none_of(HARBOR_WORDS, json.dumps(rows))


# --- messages ----------------------------------------------------------------------------


def yes_to_email(person: User, organization) -> None:
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=person, organization=organization, scope="contact_email", text_version=1, language="en"
    )


def decisions(people: People) -> tuple[Decision, Decision]:
    """What the outbox would do with an e-mail now: about Harbor, and about Second."""
    harbor, second = (
        contact_decision(user=people.otto, organization=org, channel="email")
        for org in (people.personas.harbor, people.personas.second)
    )
    return harbor, second


def test_the_outbox_uses_each_organizations_own_safe_contact_rules(otto_joins_harbor):
    people = otto_joins_harbor
    for organization in (people.personas.harbor, people.personas.second):
        yes_to_email(people.otto, organization)
    # Second's "e-mail is safe" is not Harbor's: no profile at Harbor, no contact there.
    assert decisions(people) == (Decision.HOLD, Decision.SEND)
    otto_fills_in_harbor(people)  # at Harbor, no channel ticked
    assert decisions(people) == (Decision.HOLD, Decision.SEND)
    SurvivorProfile.objects.filter(user=people.otto, organization=people.personas.harbor).update(
        safe_channels=["email"], quiet_hours_start=dt.time(21, 0), quiet_hours_end=dt.time(7, 0)
    )
    # 04:00 UTC is 22:00 or 23:00 in Chicago: quiet, by Harbor's rules. Second set none.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=4, minute=0), tick=False):
        assert decisions(people) == (Decision.LATER, Decision.SEND)


# --- data rights -------------------------------------------------------------------------


def test_ottos_download_holds_both_profiles_each_labelled_and_erasure_removes_both(
    otto_joins_harbor,
):
    people = otto_joins_harbor
    otto_fills_in_harbor(people)
    sections = {s["key"]: s["data"] for s in collect_personal_data(people.otto)["sections"]}
    profiles = {p["organization"]: p for p in sections["accounts.survivorprofile"]}
    assert set(profiles) == {"Harbor", "Second"}
    assert profiles["Harbor"]["chosen_name"] == "Otto Harborname"
    assert profiles["Harbor"]["legal_name"] == "Otto Harborlegal"
    assert profiles["Second"]["chosen_name"] == "Ottilie Secondname"
    assert profiles["Second"]["legal_name"] == "Otto Secondlegal"
    erase_account(user=people.otto, keep_input_anonymous=False)
    assert not SurvivorProfile.objects.filter(user=people.otto).exists()
