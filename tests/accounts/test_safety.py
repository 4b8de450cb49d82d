"""Safety in the browser (DESIGN promise 9) and the neutral name (promise 8), checked on
every page the URL walker knows about, as every persona sees it."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.core import context
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.adapters import AccountAdapter, MFAAdapter
from accounts.middleware import LAST_ACTIVITY_KEY, PASSIVE_HEADER, STARTED_KEY
from accounts.models import User
from accounts.tasks import drain_outbox
from tests.factories import PASSWORD, UserFactory
from tests.test_url_access import walk_pages
from tests.url_walk import NOT_FOUND, PERSONAS, build_world

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
REVEALING_WORDS = ("trafficking", "survivor", "equal seat", "exploitation", "victim")


def html(response) -> str:
    return str(response.content.decode())


def csp_directives(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def csp_nonce(response) -> str:
    nonces = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


# --- what every page promises (each check returns what is wrong, or nothing) --------------


def is_no_store(response) -> str | None:
    if "no-store" not in response.get("Cache-Control", ""):
        return "the browser may keep a copy (no Cache-Control: no-store)"
    return None


def has_strict_csp(response) -> str | None:
    directives = csp_directives(response)
    sources = {source for values in directives.values() for source in values}
    # Nothing inline without the nonce, no eval, and no other site trusted for anything:
    # no CDN, no analytics, no web fonts.
    allowed = {"'self'", "'none'", "data:", f"'nonce-{csp_nonce(response)}'"}
    if directives.get("default-src") != ["'none'"] or not sources <= allowed:
        return (
            f"CSP allows {sorted(sources - allowed)} / default-src {directives.get('default-src')}"
        )
    return None


def scripts_are_ours_and_nonced(response) -> str | None:
    nonce = csp_nonce(response)
    for tag in SCRIPT_TAG.findall(html(response)):
        if 'type="application/json"' in tag:
            continue  # data for a script, never run
        src = re.search(r'\ssrc="([^"]*)"', tag)
        if (src and not src.group(1).startswith("/static/")) or (
            not src and f'nonce="{nonce}"' not in tag
        ):
            return f"script not ours or without the nonce: {tag}"
    return None


def has_no_style_attribute(response) -> str | None:
    # The CSP forbids inline styles, so a `style=` attribute would silently not apply.
    found = re.search(r"<[^>]*\sstyle\s*=[^>]*>", html(response))
    return f"inline style: {found.group(0)}" if found else None


def switches_off_browser_features(response) -> str | None:
    policy = response.get("Permissions-Policy", "")
    if not all(f"{feature}=()" in policy for feature in ("camera", "microphone", "geolocation")):
        return f"Permissions-Policy is {policy!r}"
    return None


def refuses_to_be_framed(response) -> str | None:
    if response.get("X-Frame-Options") != "DENY":
        return "may be framed (X-Frame-Options)"
    if csp_directives(response).get("frame-ancestors") != ["'none'"]:
        return "may be framed (frame-ancestors)"
    return None


def title_is_neutral(response) -> str | None:
    title = TITLE.search(html(response))
    if not title:
        return "no <title>"
    text = title.group(1).strip()
    if not text.endswith(f"· {settings.SITE_DISPLAY_NAME}"):
        return f"title {text!r} does not end with the site name"
    if any(word in text.lower() for word in REVEALING_WORDS):
        return f"title {text!r} says what this site is about"
    return None


def quick_exit_comes_first(response) -> str | None:
    first_link = re.search(r"<a\b[^>]*>", html(response).split("<body", 1)[-1])
    if not first_link or f'href="{reverse("quick_exit")}"' not in first_link.group(0):
        return "the quick exit is not the first link"
    return None


PAGE_PROMISES = (
    is_no_store,
    has_strict_csp,
    scripts_are_ours_and_nonced,
    has_no_style_attribute,
    switches_off_browser_features,
    refuses_to_be_framed,
    title_is_neutral,
    quick_exit_comes_first,
)


def test_every_page_keeps_the_browser_safety_promises(personas):
    """One walk over every page each persona may see (the URL walker's rules), every
    promise checked on each."""
    pages = [
        (who, name, response)
        for who, name, response in walk_pages(build_world(personas))
        if response["Content-Type"].startswith("text/html")
    ]
    assert {who for who, _name, _response in pages} == set(PERSONAS)  # not vacuous
    assert len(pages) > 50
    broken = [
        f"{promise.__name__}: {who} on {name}: {problem}"
        for who, name, response in pages
        for promise in PAGE_PROMISES
        if (problem := promise(response))
    ]
    assert not broken, "\n".join(broken)


def test_a_not_found_page_has_a_neutral_title(client, personas):
    client.force_login(personas.ash)
    response = client.get(reverse("organization_home", kwargs={"org": personas.second.slug}))
    assert NOT_FOUND.matches(response)
    assert is_no_store(response) is None
    title = TITLE.search(html(response))
    assert title is None or not any(w in title.group(1).lower() for w in REVEALING_WORDS)


def test_site_name_setting_renames_every_visible_place(client, settings, personas):
    settings.SITE_DISPLAY_NAME = "Book club"
    page = client.get(reverse("staying_safer"))
    assert title_is_neutral(page) is None
    assert MFAAdapter().get_totp_issuer() == "Book club"
    assert "issuer=Book%20club" in MFAAdapter().build_totp_url(personas.ash, "A" * 32)
    request = RequestFactory().get("/")
    with context.request_context(request):
        assert MFAAdapter().get_public_key_credential_rp_entity()["name"] == "Book club"
    assert AccountAdapter().format_email_subject("Password reset") == "Book club"


def test_emails_carry_only_the_neutral_subject(client, personas):
    client.post(reverse("account_reset_password"), {"email": personas.sam.email})
    drain_outbox()  # the beat job: the request itself sends nothing
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == settings.SITE_DISPLAY_NAME


# --- sessions ----------------------------------------------------------------------------


def signed_in_ago(client, user, *, idle: timedelta, started: timedelta | None = None):
    client.force_login(user)
    assert client.get(reverse("staying_safer")).status_code == 200  # starts the clocks
    session = client.session
    now = timezone.now()
    session[LAST_ACTIVITY_KEY] = (now - idle).isoformat()
    session[STARTED_KEY] = (now - (started or idle)).isoformat()
    session.save()


def assert_signed_out_to_sign_in(response, client):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_a_session_idle_for_longer_than_the_limit_ends(client, personas):
    signed_in_ago(client, personas.ash, idle=settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1))
    assert_signed_out_to_sign_in(client.get(reverse("home")), client)


def test_an_idle_page_sent_to_signed_out_hears_why(client, personas):
    signed_in_ago(client, personas.ash, idle=settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1))
    response = client.get(reverse("session_ended"))
    assert response.status_code == 200
    assert "You have been signed out" in response.text
    assert "_auth_user_id" not in client.session


def test_a_session_idle_for_less_than_the_limit_goes_on(client, personas):
    signed_in_ago(client, personas.ash, idle=settings.SESSION_IDLE_TIMEOUT - timedelta(minutes=1))
    response = client.get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert response.status_code == 200


def test_the_idle_limit_is_thirty_minutes_by_default():
    assert timedelta(minutes=30) == settings.SESSION_IDLE_TIMEOUT
    assert timedelta(hours=12) == settings.SESSION_ABSOLUTE_LIFETIME


def test_even_an_active_session_ends_after_twelve_hours(client, personas):
    signed_in_ago(
        client, personas.ash, idle=timedelta(minutes=1), started=timedelta(hours=12, minutes=1)
    )
    assert_signed_out_to_sign_in(client.get(reverse("home")), client)


def test_the_background_poll_does_not_keep_a_session_alive(client, personas):
    idle = settings.SESSION_IDLE_TIMEOUT - timedelta(minutes=5)
    signed_in_ago(client, personas.ash, idle=idle)
    before = client.session[LAST_ACTIVITY_KEY]
    response = client.get(reverse("session_status"), headers={PASSIVE_HEADER: "1"})
    assert response.json() == {"active": True}
    assert client.session[LAST_ACTIVITY_KEY] == before


def test_a_real_request_counts_as_activity(client, personas):
    signed_in_ago(client, personas.ash, idle=timedelta(minutes=10))
    before = client.session[LAST_ACTIVITY_KEY]
    client.get(reverse("session_status"))
    assert client.session[LAST_ACTIVITY_KEY] > before


def test_activity_is_written_down_at_most_once_a_minute(client, personas):
    """Reading pages does not write the session each time: within a minute of the activity
    written down nothing changes, and the idle limit still counts from it."""
    from allauth.usersessions.models import UserSession

    signed_in_ago(client, personas.ash, idle=timedelta(seconds=30))
    before = client.session[LAST_ACTIVITY_KEY]
    listed = UserSession.objects.create(
        user=personas.ash, session_key=client.session.session_key, ip="127.0.0.1"
    )
    seen_before = listed.last_seen_at
    client.get(reverse("staying_safer"))
    assert client.session[LAST_ACTIVITY_KEY] == before
    listed.refresh_from_db()
    assert listed.last_seen_at == seen_before  # "Where I'm signed in" is written with it

    signed_in_ago(client, personas.ash, idle=timedelta(minutes=1))
    client.get(reverse("staying_safer"))
    assert client.session[LAST_ACTIVITY_KEY] > before
    listed = UserSession.objects.get(session_key=client.session.session_key)
    assert listed.last_seen_at > seen_before


def test_signing_in_starts_the_session_clocks(client, personas):
    client.force_login(personas.ash)
    assert client.session[STARTED_KEY] == client.session[LAST_ACTIVITY_KEY]


def test_the_page_counts_idle_time_from_the_activity_written_down(client, personas):
    """Activity may have been written down up to a minute ago; the page's idle warning
    counts from then, so the page and the server end the session together."""
    signed_in_ago(client, personas.ash, idle=timedelta(seconds=40))
    html = client.get(reverse("staying_safer")).content.decode()
    left = int(re.search(r'data-idle-seconds="(\d+)"', html)[1])  # type: ignore[index]
    limit = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
    assert limit - 45 <= left <= limit - 40


def test_the_background_poll_learns_when_the_session_has_ended(client, personas):
    """The idle warning's poll reads JSON; once the session is over it must say so, so
    the open page can leave rather than keep showing private things."""
    signed_in_ago(client, personas.ash, idle=settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1))
    response = client.get(reverse("session_status"), headers={PASSIVE_HEADER: "1"})
    assert response.json() == {"active": False}
    assert "_auth_user_id" not in client.session


def test_session_cookie_ends_with_the_browser_and_is_not_readable_by_scripts():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert not settings.ACCOUNT_SESSION_REMEMBER


# --- quick exit --------------------------------------------------------------------------


def test_quick_exit_signs_out_clears_the_site_and_goes_somewhere_ordinary(client, personas):
    client.force_login(personas.ash)
    response = client.get(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.QUICK_EXIT_URL
    cleared = {part.strip() for part in response["Clear-Site-Data"].split(",")}
    assert {'"cache"', '"cookies"', '"storage"'} <= cleared
    assert "no-store" in response["Cache-Control"]
    assert "_auth_user_id" not in client.session


def test_quick_exit_works_without_signing_in(client, db):
    response = client.get(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.QUICK_EXIT_URL


def test_quick_exit_is_get_only(client, personas):
    client.force_login(personas.ash)
    assert client.post(reverse("quick_exit")).status_code == 405


# --- the admin and staff flags -----------------------------------------------------------


def test_the_django_admin_is_not_mounted_without_debug(client, personas):
    assert not settings.DEBUG
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert client.get("/dev-admin/").status_code == 404
    client.force_login(personas.ash)
    assert client.get("/dev-admin/").status_code == 404


def test_no_role_uses_the_staff_flag(personas, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    flagged = User.objects.filter(is_staff=True) | User.objects.filter(is_superuser=True)
    assert not flagged.exists()


def test_app_code_never_checks_the_staff_flag():
    """Roles come from Membership and FunderAccess; `is_staff` exists only for the
    development admin, so no permission may ever depend on it."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for app in (
        "accounts",
        "meetings",
        "compensation",
        "opportunities",
        "advisory",
        "reports",
        "config",
        "templates",
    ):
        for path in (root / app).rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"\bis_staff\b|\bis_superuser\b", line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    allowed = {"accounts/models.py"}  # the field itself, and create_superuser for the admin
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []


def test_a_new_person_has_no_staff_flag(db):
    person = UserFactory.create(email="new@example.test", password=PASSWORD)
    assert not person.is_staff
    assert not person.is_superuser
