"""Everything sent goes through one outbox (promise 8): no other module in the project may
send mail, and allauth may not either. Checked by reading the source, so a new direct
`send_mail` fails the tests before it ever reaches anyone's inbox."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core import mail

from accounts.adapters import AccountAdapter

ROOT = Path(settings.BASE_DIR)
PACKAGES = (
    "accounts",
    "meetings",
    "compensation",
    "opportunities",
    "advisory",
    "reports",
    "config",
)
THE_OUTBOX = Path("accounts/outbox.py")
MAIL_MODULES = ("django.core.mail", "smtplib")
SENDING_CALLS = frozenset(
    {
        "send_mail",
        "send_mass_mail",
        "mail_admins",
        "mail_managers",
        "send_messages",
        "get_connection",
        "EmailMessage",
        "EmailMultiAlternatives",
    }
)
# allauth's adapter methods that send mail; ours must replace every one of them.
ALLAUTH_SENDERS = (
    "send_mail",
    "send_notification_mail",
    "send_confirmation_mail",
    "send_password_reset_mail",
    "send_account_already_exists_mail",
)


def mail_use(source: str) -> list[str]:
    """Where the source imports a mail module or calls something that sends mail."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            if any(name.startswith(MAIL_MODULES) for name in names):
                found.append(f"line {node.lineno}: imports {', '.join(names)}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in SENDING_CALLS:
                found.append(f"line {node.lineno}: calls {name}")
    return found


def project_modules() -> list[Path]:
    return sorted(
        path.relative_to(ROOT) for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    )


def test_only_the_outbox_sends_mail():
    senders = {
        str(path): use
        for path in project_modules()
        if path != THE_OUTBOX and (use := mail_use((ROOT / path).read_text(encoding="utf-8")))
    }
    assert not senders, f"Only {THE_OUTBOX} may send mail; also found in: {senders}"


def test_the_check_finds_mail_where_there_is_some():
    assert mail_use((ROOT / THE_OUTBOX).read_text(encoding="utf-8"))
    assert mail_use("from django.core.mail import send_mail\nsend_mail('a', 'b', None, ['c'])")
    assert mail_use("import smtplib\n")
    assert mail_use("from django.core import mail\nmail.mail_admins('a', 'b')")
    assert not mail_use("def send_mail(self, template_prefix, email, context):\n    pass\n")


@pytest.mark.parametrize("method", ALLAUTH_SENDERS)
def test_our_adapter_replaces_every_way_allauth_sends_mail(method):
    assert method in vars(AccountAdapter)
    assert getattr(AccountAdapter, method) is not getattr(DefaultAccountAdapter, method)


def test_allauths_own_mails_are_dropped_not_sent(db):
    AccountAdapter().send_mail("account/email/unknown_account", "someone@example.test", {})
    assert mail.outbox == []


def test_django_sends_no_error_mails():
    """Error mails to ADMINS would carry request details straight past the outbox."""
    assert settings.ADMINS == []
    assert settings.MANAGERS == []
