"""Promise 12: limits per account on both sign-in steps that changing source address cannot
dodge, with short growing delays that never keep the owner out for long.

Real Redis cache, real PostgreSQL; time moves with time_machine, never with sleep."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import sign_in_limits
from accounts.models import OutboxMessage, OutboxStatus, Role, SignInCounter
from accounts.outbox import send_pending_updates
from accounts.services.sign_in_notices import SIGN_IN_ATTEMPTS, tell_of_failed_sign_ins
from accounts.tasks import forget_old_sign_in_counters
from tests.celery_worker import default_queue_worker, wait_for  # noqa: F401  # the fixture
from tests.factories import PASSWORD, MembershipFactory
from tests.mfa import give_totp, sign_in, totp_code, wrong_totp_code

pytestmark = pytest.mark.django_db

WAIT = "Too many wrong tries. To keep the account safe, please wait"
PER_ADDRESS = "Too many failed login attempts"  # allauth's per-source-address limit
GUESS = "wrong-password"
WRONG_PASSWORD = "The email address and/or password you specified are not correct."
WRONG_CODE = "Incorrect code."
FOUR_ADDRESSES = ("192.0.2.1", "198.51.100.2", "203.0.113.3", "192.0.2.44")
START = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def addresses():
    """Each try from the next of four source addresses, round and round."""
    return itertools.cycle(FOUR_ADDRESSES)


def try_password(client, email, password=GUESS, **source):
    source = source or {"REMOTE_ADDR": "192.0.2.1"}
    return client.post(reverse("account_login"), {"login": email, "password": password}, **source)


def try_code(client, code, ip="192.0.2.1"):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=ip)


def errors(response) -> list[str]:
    """Every error the form shows, in order: what the person reads."""
    form = response.context["form"]
    return [message for field in form.errors.values() for message in field]


def waits(response) -> bool:
    return response.status_code == 200 and any(WAIT in error for error in errors(response))


def signed_in_as(client, user) -> bool:
    return bool(client.session.get("_auth_user_id") == str(user.pk))


def password_wait(email: str) -> int:
    limit = sign_in_limits.password_limit(email)
    assert limit is not None
    return limit.wait_seconds()


def at_the_code_step(user, ip="192.0.2.1") -> Client:
    client = Client()
    response = try_password(client, user.email, PASSWORD, REMOTE_ADDR=ip)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    return client


# --- the password step ---------------------------------------------------------------------


def test_wrong_passwords_from_four_addresses_are_limited_per_account(clock, personas):
    source = addresses()
    answers = [
        try_password(Client(), personas.ash.email, REMOTE_ADDR=next(source)) for _ in range(5)
    ]
    assert all(errors(answer) == [WRONG_PASSWORD] for answer in answers)

    refused = try_password(Client(), personas.ash.email, REMOTE_ADDR=next(source))
    assert errors(refused) == [f"{WAIT} 10 seconds, then try again."]
    # During the wait even the right password is refused, from a fresh address.
    owner = Client()
    right = try_password(owner, personas.ash.email, PASSWORD, REMOTE_ADDR="198.51.100.200")
    assert waits(right)
    assert not signed_in_as(owner, personas.ash)


def test_forwarded_addresses_behind_the_production_proxy_are_limited_per_account(
    clock, personas, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # as production.py: one proxy in front
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    source = addresses()
    for _ in range(5):
        answer = try_password(
            Client(), personas.ash.email, HTTP_X_FORWARDED_FOR=next(source), **proxy
        )
        assert errors(answer) == [WRONG_PASSWORD]
    refused = try_password(
        Client(), personas.ash.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99", **proxy
    )
    assert waits(refused)


def test_the_delay_doubles_up_to_five_minutes_and_then_the_owner_signs_in(clock, personas):
    source = addresses()
    for _ in range(5):
        try_password(Client(), personas.ash.email, REMOTE_ADDR=next(source))
    seen = []
    for _ in range(7):
        refused = try_password(Client(), personas.ash.email, REMOTE_ADDR=next(source))
        seen.append(errors(refused)[0].removeprefix(WAIT).removesuffix(", then try again."))
        clock.shift(password_wait(personas.ash.email))
        assert errors(try_password(Client(), personas.ash.email, REMOTE_ADDR=next(source))) == [
            WRONG_PASSWORD
        ]
    assert seen == [
        " 10 seconds",
        " 20 seconds",
        " 40 seconds",
        " 2 minutes",  # 80 seconds, in whole minutes
        " 3 minutes",  # 160 seconds
        " 5 minutes",  # the cap: 320 seconds would be longer
        " 5 minutes",
    ]

    clock.shift(4 * 60 + 59)
    owner = Client()
    assert waits(try_password(owner, personas.ash.email, PASSWORD, REMOTE_ADDR="192.0.2.200"))
    clock.shift(1)
    response = try_password(owner, personas.ash.email, PASSWORD, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 302
    assert signed_in_as(owner, personas.ash)


def test_tries_refused_during_a_wait_do_not_make_it_longer(clock, personas):
    for _ in range(5):
        try_password(Client(), personas.ash.email)
    for _ in range(30):
        assert waits(try_password(Client(), personas.ash.email, REMOTE_ADDR="203.0.113.7"))
    clock.shift(10)
    owner = Client()
    try_password(owner, personas.ash.email, PASSWORD, REMOTE_ADDR="192.0.2.200")
    assert signed_in_as(owner, personas.ash)


def test_an_unknown_address_gets_the_same_answers_and_the_same_delays(clock, personas):
    # A new source address for every try, so only the per-account limits are at work.
    fresh = (f"198.51.100.{n}" for n in itertools.count(1))

    def both() -> tuple[list[str], list[str]]:
        known = try_password(Client(), personas.ash.email, REMOTE_ADDR=next(fresh))
        unknown = try_password(Client(), "nobody-here@example.test", REMOTE_ADDR=next(fresh))
        return errors(known), errors(unknown)

    answers = [both() for _ in range(7)]
    clock.shift(10)
    answers += [both(), both()]
    clock.shift(20)
    answers.append(both())
    for known, unknown in answers:
        assert known == unknown
    assert [known for known, _ in answers] == (
        [[WRONG_PASSWORD]] * 5
        + [[f"{WAIT} 10 seconds, then try again."]] * 2
        + [[WRONG_PASSWORD], [f"{WAIT} 20 seconds, then try again."]]
        + [[WRONG_PASSWORD]]
    )


def test_addresses_count_alike_in_any_case_and_with_spaces(clock, personas):
    for typed in ("ASH@example.test", " ash@EXAMPLE.test ", "Ash@Example.Test"):
        try_password(Client(), typed)
        try_password(Client(), typed)
    assert waits(try_password(Client(), personas.ash.email, PASSWORD))


def test_the_right_password_resets_the_count(clock, personas):
    for _ in range(4):
        try_password(Client(), personas.ash.email)
    assert try_password(Client(), personas.ash.email, PASSWORD).status_code == 302
    answers = [try_password(Client(), personas.ash.email, REMOTE_ADDR="203.0.113.5")]
    answers += [try_password(Client(), personas.ash.email, REMOTE_ADDR="203.0.113.6")]
    answers += [try_password(Client(), personas.ash.email) for _ in range(3)]
    assert all(errors(answer) == [WRONG_PASSWORD] for answer in answers)
    assert waits(try_password(Client(), personas.ash.email))


def test_the_per_address_limit_still_applies_to_passwords(clock, personas):
    # Different accounts, none near its own limit: only the source address is.
    answers = [try_password(Client(), f"guess{n}@example.test") for n in range(10)]
    assert all(errors(answer) == [WRONG_PASSWORD] for answer in answers)
    assert PER_ADDRESS in errors(try_password(Client(), personas.ash.email, PASSWORD))[0]
    # That refusal checked no password, so it does not count for Ash: after four wrong
    # tries from elsewhere the right one still gets in (a fifth failure would not).
    for _ in range(4):
        try_password(Client(), personas.ash.email, REMOTE_ADDR="198.51.100.8")
    elsewhere = Client()
    try_password(elsewhere, personas.ash.email, PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert signed_in_as(elsewhere, personas.ash)


@pytest.mark.services
def test_neither_the_cache_nor_the_database_holds_the_address(clock, personas):
    for _ in range(6):
        try_password(Client(), personas.ash.email)
    keys = redis.Redis.from_url(settings.REDIS_URL).keys("*")
    assert keys  # allauth's per-address limit is there
    assert not [key for key in keys if personas.ash.email.encode() in key.lower()]
    counters = list(SignInCounter.objects.values_list("key", flat=True))
    assert counters  # the per-account counter is there
    assert not [key for key in counters if personas.ash.email in key.lower()]


def test_counters_are_forgotten_a_day_after_the_last_wrong_try(clock, personas):
    for _ in range(6):
        try_password(Client(), personas.ash.email)
    clock.shift(timedelta(hours=23))
    assert forget_old_sign_in_counters() == 0
    assert password_wait(personas.ash.email) == 0  # the last delay is long over
    clock.shift(timedelta(hours=1))

    assert forget_old_sign_in_counters() == 1

    assert not SignInCounter.objects.exists()


# --- with Redis away -------------------------------------------------------------------------


@pytest.fixture
def redis_away(settings):
    """The cache pointed at a port where nothing answers, as when Redis is down."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


@pytest.mark.services
@pytest.mark.usefixtures("redis_away")
def test_with_redis_away_the_right_password_signs_in(clock, personas):
    client = Client()
    response = try_password(client, personas.ash.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client, personas.ash)


@pytest.mark.services
@pytest.mark.usefixtures("redis_away")
def test_with_redis_away_staff_sign_in_with_their_app_code(personas):
    give_totp(personas.sam)
    client = at_the_code_step(personas.sam)
    response = try_code(client, totp_code())
    assert response.status_code == 302
    assert signed_in_as(client, personas.sam)


@pytest.mark.services
@pytest.mark.usefixtures("redis_away")
def test_with_redis_away_the_limits_per_account_still_hold(clock, personas):
    source = addresses()
    for _ in range(5):
        try_password(Client(), personas.ash.email, REMOTE_ADDR=next(source))

    owner = Client()
    right = try_password(owner, personas.ash.email, PASSWORD, REMOTE_ADDR=next(source))

    assert errors(right) == [f"{WAIT} 10 seconds, then try again."]
    assert not signed_in_as(owner, personas.ash)


# --- the code step -------------------------------------------------------------------------


def test_wrong_codes_from_four_addresses_are_limited_per_account(clock, personas):
    """The review's case: the password known, 36 wrong codes from four source addresses."""
    give_totp(personas.sam)
    client = at_the_code_step(personas.sam)
    source = addresses()
    answers = [try_code(client, wrong_totp_code(), ip=next(source)) for _ in range(36)]
    checked = [answer for answer in answers if errors(answer) == [WRONG_CODE]]
    assert len(checked) == 5
    assert all(waits(answer) for answer in answers[5:])

    right = try_code(client, totp_code(), ip=next(source))
    assert errors(right) == [f"{WAIT} 10 seconds, then try again."]
    assert not signed_in_as(client, personas.sam)

    clock.shift(10)
    assert try_code(client, totp_code(), ip=next(source)).status_code == 302
    assert signed_in_as(client, personas.sam)


def test_guessers_in_other_browsers_share_the_accounts_code_counter(clock, personas):
    give_totp(personas.sam)
    for ip in FOUR_ADDRESSES:
        guesser = at_the_code_step(personas.sam, ip=ip)
        try_code(guesser, wrong_totp_code(), ip=ip)
        try_code(guesser, wrong_totp_code(), ip=ip)
    owner = at_the_code_step(personas.sam, ip="198.51.100.77")
    assert waits(try_code(owner, totp_code(), ip="198.51.100.77"))


def test_the_right_password_does_not_reset_the_code_counter(clock, personas):
    give_totp(personas.sam)
    guesser = at_the_code_step(personas.sam)
    for _ in range(5):
        try_code(guesser, wrong_totp_code())
    again = at_the_code_step(personas.sam, ip="203.0.113.50")
    assert waits(try_code(again, wrong_totp_code(), ip="203.0.113.50"))


def test_the_code_delay_grows_to_fifteen_minutes_and_the_owner_then_signs_in(clock, personas):
    give_totp(personas.sam)
    for _ in range(5):
        try_code(at_the_code_step(personas.sam), wrong_totp_code())
    limit = sign_in_limits.code_limit(personas.sam.pk)
    waited = []
    for _ in range(9):
        waited.append(limit.wait_seconds())
        clock.shift(waited[-1])
        client = at_the_code_step(personas.sam)
        assert errors(try_code(client, wrong_totp_code())) == [WRONG_CODE]
    assert waited == [10, 20, 40, 80, 160, 320, 640, 900, 900]

    owner = at_the_code_step(personas.sam, ip="198.51.100.77")
    assert errors(try_code(owner, totp_code(), ip="198.51.100.77")) == [
        f"{WAIT} 15 minutes, then try again."
    ]
    clock.shift(15 * 60)
    owner = at_the_code_step(personas.sam, ip="198.51.100.77")
    assert try_code(owner, totp_code(), ip="198.51.100.77").status_code == 302
    assert signed_in_as(owner, personas.sam)


def test_a_recovery_code_is_held_back_during_the_wait_too(clock, personas):
    from allauth.mfa.models import Authenticator

    give_totp(personas.sam)
    recovery = (
        Authenticator.objects.get(user=personas.sam, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()[0]
    )
    client = at_the_code_step(personas.sam)
    for _ in range(5):
        try_code(client, "12345678")
    assert waits(try_code(client, recovery))
    clock.shift(10)
    assert try_code(client, recovery).status_code == 302


def test_the_right_code_resets_the_count(clock, personas):
    give_totp(personas.sam)
    client = at_the_code_step(personas.sam)
    for _ in range(4):
        try_code(client, wrong_totp_code())
    assert try_code(client, totp_code()).status_code == 302
    clock.shift(30)  # the next code: a code is never accepted twice
    again = at_the_code_step(personas.sam)
    answers = [try_code(again, wrong_totp_code(), ip="203.0.113.5") for _ in range(5)]
    assert all(errors(answer) == [WRONG_CODE] for answer in answers)
    assert waits(try_code(again, wrong_totp_code()))


def test_the_per_address_limit_still_applies_to_codes(clock, personas):
    for person in (personas.sam, personas.fin, personas.ada):
        give_totp(person)
    # 4 + 4 + 2 wrong codes from one address: no account near its own limit. The clock
    # moves a little before each try: allauth takes back a right password's use of the
    # address's allowance by its time stamp, and a stopped clock would make every use match.
    for person, tries in ((personas.sam, 4), (personas.fin, 4), (personas.ada, 2)):
        clock.shift(0.01)
        client = at_the_code_step(person, ip="198.51.100.1")
        for _ in range(tries):
            clock.shift(0.01)
            assert errors(try_code(client, wrong_totp_code(), ip="198.51.100.1")) == [WRONG_CODE]
    refused = try_code(client, wrong_totp_code(), ip="198.51.100.1")
    assert PER_ADDRESS in errors(refused)[0]
    # That refusal checked no code, so it does not count for Ada: three more are free.
    elsewhere = at_the_code_step(personas.ada, ip="192.0.2.70")
    for _ in range(3):
        assert errors(try_code(elsewhere, wrong_totp_code(), ip="192.0.2.70")) == [WRONG_CODE]
    assert waits(try_code(elsewhere, wrong_totp_code(), ip="192.0.2.70"))


# --- confirming it is you again uses the same counters ------------------------------------


def test_confirming_with_a_password_counts_with_signing_in(clock, personas):
    client = Client()
    sign_in(client, personas.ash, recently_confirmed=False)
    url = reverse("account_reauthenticate")
    for _ in range(3):
        client.post(url, {"password": "wrong-password"}, REMOTE_ADDR="192.0.2.1")
    for _ in range(2):
        try_password(Client(), personas.ash.email, REMOTE_ADDR="203.0.113.1")
    assert waits(client.post(url, {"password": PASSWORD}, REMOTE_ADDR="198.51.100.3"))
    assert waits(try_password(Client(), personas.ash.email, PASSWORD))


def test_confirming_with_a_code_counts_with_signing_in(clock, personas):
    give_totp(personas.sam)
    client = Client()
    sign_in(client, personas.sam, recently_confirmed=False)
    url = reverse("mfa_reauthenticate")
    for _ in range(5):
        response = client.post(url, {"code": wrong_totp_code()}, REMOTE_ADDR="192.0.2.1")
        assert errors(response) == [WRONG_CODE]
    assert waits(client.post(url, {"code": totp_code()}, REMOTE_ADDR="198.51.100.3"))
    assert waits(try_code(at_the_code_step(personas.sam), totp_code()))
    clock.shift(10)
    response = client.post(url, {"code": totp_code()}, REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 302


# --- one try at a time per account ---------------------------------------------------------


def test_while_one_try_is_being_checked_another_on_the_same_account_waits(personas):
    limit = sign_in_limits.code_limit(personas.sam.pk)
    limit.begin()
    give_totp(personas.sam)
    client = at_the_code_step(personas.sam)
    assert errors(try_code(client, totp_code())) == [f"{WAIT} 1 second, then try again."]
    limit.abandon()
    assert try_code(client, totp_code()).status_code == 302


# --- the owner is told, once, in neutral words ---------------------------------------------


@pytest.mark.worker
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_owner_is_told_once_through_the_outbox(personas, default_queue_worker):  # noqa: F811
    give_totp(personas.sam)
    # An unknown address crossing the same line sends the same task, which tells nobody.
    for _ in range(5):
        try_password(Client(), "nobody-here@example.test", REMOTE_ADDR="203.0.113.20")
    # Someone with the password gets the code wrong, then the password too, the same day:
    # both steps cross their line, one update.
    client = at_the_code_step(personas.sam, ip="198.51.100.9")
    for _ in range(5):
        try_code(client, wrong_totp_code(), ip="198.51.100.9")
    for _ in range(5):
        try_password(Client(), personas.sam.email, REMOTE_ADDR="203.0.113.21")
    # Fin's update is sent last; the worker takes tasks in order, so once it is there, every
    # task about Sam has run.
    for _ in range(5):
        try_password(Client(), personas.fin.email, REMOTE_ADDR="203.0.113.22")
    wait_for(lambda: OutboxMessage.objects.filter(recipient=personas.fin).exists())

    told = OutboxMessage.objects.exclude(recipient=personas.fin).get()
    assert (told.recipient, told.organization, told.kind) == (
        personas.sam,
        personas.harbor,
        SIGN_IN_ATTEMPTS,
    )
    assert send_pending_updates() == 2
    message = next(message for message in mail.outbox if message.to == [personas.sam.email])
    assert message.subject == settings.SITE_DISPLAY_NAME
    assert "There is an update for you. Sign in to see it." in message.body
    for detail in ("203.0.113", "198.51.100", "sign in to your", "password", "code"):
        assert detail not in message.body.lower()


def test_at_most_one_update_a_day(personas):
    give_totp(personas.sam)
    with time_machine.travel(START, tick=False) as clock:
        assert tell_of_failed_sign_ins(user_id=personas.sam.pk) is not None
        assert tell_of_failed_sign_ins(user_id=personas.sam.pk) is None
        clock.shift(timedelta(hours=23))
        assert tell_of_failed_sign_ins(user_id=personas.sam.pk) is None
        clock.shift(timedelta(hours=1))
        assert tell_of_failed_sign_ins(user_id=personas.sam.pk) is not None
    assert OutboxMessage.objects.filter(kind=SIGN_IN_ATTEMPTS).count() == 2


def test_the_update_goes_where_the_person_can_be_reached(personas):
    # Otto: a survivor leader at Harbor who chose no channel there (the update would be
    # held), and staff at Second (work e-mail). One update, at Second, where it reaches them.
    assert personas.harbor.pk < personas.second.pk  # Harbor comes first
    MembershipFactory.create(
        user=personas.otto, organization=personas.harbor, role=Role.SURVIVOR_LEADER
    )
    personas.otto.memberships.filter(organization=personas.second).update(role=Role.STAFF)
    told = tell_of_failed_sign_ins(user_id=personas.otto.pk)
    assert told is not None
    assert told.organization == personas.second
    assert OutboxMessage.objects.count() == 1


def test_a_survivor_who_chose_no_channel_sees_it_on_their_home_page(client, personas):
    with time_machine.travel(START, tick=False):
        tell_of_failed_sign_ins(user_id=personas.ash.pk)
    send_pending_updates()
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxStatus.HELD

    client.force_login(personas.ash)
    home = reverse("organization_home", kwargs={"org": "harbor"})
    page = client.get(home).content.decode()
    assert "Someone tried to sign in to your account" in page
    assert "On March 4, 2026, someone typed the wrong password or the wrong code" in page
    assert "If this was you, you do not need to do anything." in page
    assert f'href="{reverse("account_change_password")}"' in page
    assert f'href="{reverse("usersessions_list")}"' in page
    assert "10:00" not in page  # no time finer than the day

    # Shown in full, never also counted as an update, until the person says they read it.
    assert "update for you" not in page
    assert "Someone tried to sign in" in client.get(home).content.decode()
    client.post(reverse("sign_in_notice_read", kwargs={"org": "harbor"}))
    again = client.get(home).content.decode()
    assert "Someone tried to sign in" not in again
    assert "update for you" not in again


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye"])
def test_every_home_page_shows_the_notice_to_its_owner_only(client, personas, who):
    person = getattr(personas, who)
    give_totp(person)
    tell_of_failed_sign_ins(user_id=person.pk)
    sign_in(client, personas.river)
    home = reverse("organization_home", kwargs={"org": "harbor"})
    assert "Someone tried to sign in" not in client.get(home).content.decode()
    sign_in(client, person)
    assert "Someone tried to sign in to your account" in client.get(home).content.decode()
