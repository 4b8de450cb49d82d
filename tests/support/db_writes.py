"""A GET request writes nothing but the access records that transparency requires.

`only_access_records_written` captures the SQL a block runs and fails if it inserts into,
updates or deletes from any other table. Wrap a request in it, not the signing in before
it: signing in writes the session, and that is not the page's doing."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessRecord

# Each staff or finance view of a survivor's information is recorded (docs/design.md,
# promise 7): the one write a page that only shows something makes.
ACCESS_RECORD_TABLES = frozenset({AccessRecord._meta.db_table})

# Pages that write more, and why. Each is a URL name, as the URL walker knows them.
ALSO_WRITTEN_BY = {
    # Leaving ends the session: that is the point of these two pages (promise 9).
    "quick_exit": {"django_session"},
    "session_ended": {"django_session"},
    # Opening payment details or downloading one's own data is recorded in the audit log,
    # next to the access records (promises 7 and 12).
    "batch_csv": {"accounts_auditevent"},
    "download_data_export": {"accounts_auditevent"},
    # allauth's own pages, reached only through its hooks: setting up an authenticator
    # keeps the new secret or the passkey challenge in the session until it is confirmed,
    # and showing the recovery codes notes that they were shown.
    "mfa_activate_totp": {"django_session"},
    "mfa_add_webauthn": {"django_session"},
    "mfa_view_recovery_codes": {"mfa_authenticator"},
    "mfa_download_recovery_codes": {"mfa_authenticator"},
    # allauth's "Where I'm signed in" forgets the rows of sessions that have already ended.
    "usersessions_list": {"usersessions_usersession"},
}

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"(?P<quoted>[^"]+)"|(?P<bare>\w+))',
    re.IGNORECASE,
)


def written_tables(sql_statements: Collection[str]) -> list[str]:
    """The table each INSERT, UPDATE or DELETE writes to, in order."""
    tables = []
    for sql in sql_statements:
        match = _WRITE.match(sql)
        if match:
            tables.append(match["quoted"] or match["bare"])
    return tables


@contextmanager
def only_access_records_written(
    what: str = "the request", *, also: Collection[str] = ()
) -> Iterator[CaptureQueriesContext]:
    """Fail if the block writes to a table other than the access records (or `also`)."""
    allowed = ACCESS_RECORD_TABLES | set(also)
    with CaptureQueriesContext(connection) as captured:
        yield captured
    statements = [query["sql"] for query in captured.captured_queries]
    wrong = sorted({table for table in written_tables(statements) if table not in allowed})
    assert not wrong, f"{what} wrote to {', '.join(wrong)}"
