"""Database triggers that refuse UPDATE and DELETE on the append-only tables.

The audit chain, the consent ledger, role history and the recorded audit heads are only ever
added to. The application never changes or removes a row of them; these triggers make the
database refuse it too, so a mistake or a stray query cannot rewrite history quietly.
(Someone with rights to drop a trigger can still tamper: `verify_audit_log` notices that.)

PostgreSQL: one plpgsql function raises; a row trigger per table and operation calls it.
TRUNCATE fires no row triggers, so `manage.py flush` (and test teardown) still works there.
SQLite: `RAISE(ABORT, ...)` triggers. SQLite's flush deletes rows, so our `flush` command
(`accounts/management/commands/flush.py`) lifts these triggers for the flush and puts them
back in the same transaction.

Both vendors report a refused change as an integrity error.

Careful: on SQLite, Django rebuilds a table (new table, copy, drop, rename) for most
ALTERs, and dropping the old table drops its triggers. A later migration that alters one of
these tables must create the SQLite triggers again (the tests in tests/accounts/test_audit.py
fail if a trigger is missing).
"""

from django.db import migrations

APPEND_ONLY_TABLES = (
    "accounts_auditevent",
    "accounts_consentevent",
    "accounts_roleassignmentchange",
    "accounts_audithead",
)
OPERATIONS = ("UPDATE", "DELETE")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_refuse_append_only_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The table % is append-only: % is refused.', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def _trigger_name(table: str, operation: str) -> str:
    return f"append_only_{table}_{operation.lower()}"


def _postgresql_create() -> list[str]:
    statements = [POSTGRESQL_FUNCTION]
    for table in APPEND_ONLY_TABLES:
        for operation in OPERATIONS:
            statements.append(
                f"CREATE TRIGGER {_trigger_name(table, operation)} BEFORE {operation} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION accounts_refuse_append_only_change();"
            )
    return statements


def _postgresql_drop() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, operation)} ON {table};"
        for table in APPEND_ONLY_TABLES
        for operation in OPERATIONS
    ]
    statements.append("DROP FUNCTION IF EXISTS accounts_refuse_append_only_change();")
    return statements


def _sqlite_create() -> list[str]:
    return [
        f"CREATE TRIGGER {_trigger_name(table, operation)} BEFORE {operation} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'The table {table} is append-only: {operation} is refused.'); "
        "END;"
        for table in APPEND_ONLY_TABLES
        for operation in OPERATIONS
    ]


def _sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, operation)};"
        for table in APPEND_ONLY_TABLES
        for operation in OPERATIONS
    ]


STATEMENTS = {
    "postgresql": (_postgresql_create, _postgresql_drop),
    "sqlite": (_sqlite_create, _sqlite_drop),
}


def _run(schema_editor, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"No append-only triggers written for {vendor}.")
    for statement in STATEMENTS[vendor][which]():
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
