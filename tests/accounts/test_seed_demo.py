from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command

from accounts.models import (
    AssignmentStatus,
    AuditEvent,
    ConsentEvent,
    ConsentScope,
    FunderAccess,
    Membership,
    Organization,
    Role,
    RoleAssignment,
    SurvivorProfile,
    User,
)
from accounts.permissions import is_co_chair
from accounts.selectors.consent import has_consent
from accounts.selectors.profile import viewer_time_zone
from tests.mfa import totp_code

pytestmark = pytest.mark.django_db

SURVIVORS = ["ash", "river", "sky", "jules", "noor", "rey", "kai", "sol"]
WITH_AUTHENTICATOR = [
    "staff@demo.test",
    "finance@demo.test",
    "admin@demo.test",
    "funder@demo.test",
    "other.staff@demo.test",
]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_creates_both_programs_and_everyone_in_their_place(debug):
    seed()
    harbor = Organization.objects.get(slug="harbor-light")
    second = Organization.objects.get(slug="second-program")
    assert harbor.name == "Harbor Light Program"
    assert second.name == "Second Program"

    roles = dict(Membership.objects.filter(organization=harbor).values_list("user__email", "role"))
    assert roles == {
        **{f"{name}@demo.test": Role.SURVIVOR_LEADER for name in SURVIVORS},
        "staff@demo.test": Role.STAFF,
        "finance@demo.test": Role.FINANCE,
        "admin@demo.test": Role.ADMIN,
    }
    assert dict(
        Membership.objects.filter(organization=second).values_list("user__email", "role")
    ) == {"other.survivor@demo.test": Role.SURVIVOR_LEADER, "other.staff@demo.test": Role.STAFF}

    funder = User.objects.get(email="funder@demo.test")
    assert not funder.memberships.exists()
    assert FunderAccess.objects.filter(user=funder, organization=harbor).exists()

    for user in User.objects.all():
        assert user.check_password(debug.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()
        assert not user.is_staff
        assert not user.is_superuser


def test_authenticators_only_for_roles_that_need_them(debug):
    seed()
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert with_totp == set(WITH_AUTHENTICATOR)
    with_codes = Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES)
    assert set(with_codes.values_list("user__email", flat=True)) == set(WITH_AUTHENTICATOR)


def test_a_code_from_the_published_secret_verifies(debug):
    seed()
    authenticator = Authenticator.objects.get(
        user__email="admin@demo.test", type=Authenticator.Type.TOTP
    )
    assert authenticator.data["secret"] != debug.DEMO_TOTP_SECRET  # stored encrypted
    assert TOTP(authenticator).validate_code(totp_code(debug.DEMO_TOTP_SECRET))


def test_running_twice_is_harmless(debug):
    seed()
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        FunderAccess.objects.count(),
        EmailAddress.objects.count(),
        Authenticator.objects.count(),
    )
    user = User.objects.get(email="ash@demo.test")
    user.set_password("changed-while-clicking-around")
    user.save()

    seed()

    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        FunderAccess.objects.count(),
        EmailAddress.objects.count(),
        Authenticator.objects.count(),
    )
    assert counts[0] == 14  # eight survivor leaders, staff, finance, admin, funder, two others
    user.refresh_from_db()
    assert user.check_password(debug.DEMO_PASSWORD)
    authenticator = Authenticator.objects.get(
        user__email="staff@demo.test", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(totp_code(debug.DEMO_TOTP_SECRET))


def test_prints_the_sign_ins_and_where_to_go(debug):
    output = seed()
    assert "/accounts/login/" in output
    for email in [f"{name}@demo.test" for name in SURVIVORS] + WITH_AUTHENTICATOR:
        assert email in output
    assert debug.DEMO_PASSWORD in output
    secret_lines = [line for line in output.splitlines() if debug.DEMO_TOTP_SECRET in line]
    assert sorted(line.split()[0] for line in secret_lines) == sorted(WITH_AUTHENTICATOR)


def test_the_board_has_profiles_co_chairs_and_a_mix_of_choices(debug):
    seed()
    harbor = Organization.objects.get(slug="harbor-light")
    names = set(SurvivorProfile.objects.values_list("chosen_name", flat=True))
    assert names == {name.capitalize() for name in SURVIVORS}
    ash, river, sky = (User.objects.get(email=f"{n}@demo.test") for n in ("ash", "river", "sky"))
    assert is_co_chair(ash, harbor)
    assert is_co_chair(river, harbor)
    assert not is_co_chair(sky, harbor)
    statuses = set(RoleAssignment.objects.values_list("status", flat=True))
    assert {AssignmentStatus.ACTIVE, AssignmentStatus.INVITED, AssignmentStatus.PAUSED} <= statuses
    # River withdrew a choice; Sky's "count me in reports" runs out within two weeks.
    assert not has_consent(river, harbor, ConsentScope.QUOTE_ANONYMOUSLY)
    assert ConsentEvent.objects.filter(user=river, action="withdrawn").exists()
    sky_grant = ConsentEvent.objects.get(user=sky, scope=ConsentScope.COUNT_IN_REPORTS)
    assert sky_grant.expires_at is not None
    assert (sky_grant.expires_at - sky_grant.created_at).days > 300
    assert has_consent(sky, harbor, ConsentScope.COUNT_IN_REPORTS)


def test_seeding_the_board_twice_adds_nothing(debug):
    seed()
    counts = [m.objects.count() for m in (SurvivorProfile, RoleAssignment, ConsentEvent)]
    seed()
    assert [m.objects.count() for m in (SurvivorProfile, RoleAssignment, ConsentEvent)] == counts
    assert AuditEvent.objects.exists()


def test_the_demo_runs_on_us_time_with_some_survivors_in_their_own_zone(debug):
    seed()
    harbor = Organization.objects.get(slug="harbor-light")
    assert harbor.time_zone == "America/Chicago"
    assert Organization.objects.get(slug="second-program").time_zone == "America/Denver"
    zones = {
        user.email.split("@")[0]: str(viewer_time_zone(user, harbor))
        for user in User.objects.filter(memberships__organization=harbor)
    }
    assert zones["river"] == zones["noor"] == "America/New_York"  # chosen in their profiles
    others = {name: zone for name, zone in zones.items() if name not in ("river", "noor")}
    assert set(others.values()) == {"America/Chicago"}  # the program's: nobody chose UTC
    assert len(others) == 9  # six more survivor leaders, staff, finance and the admin


def test_seeding_again_keeps_a_time_zone_the_demo_admin_chose(debug):
    seed()
    Organization.objects.filter(slug="harbor-light").update(time_zone="America/Phoenix")
    seed()
    assert Organization.objects.get(slug="harbor-light").time_zone == "America/Phoenix"
