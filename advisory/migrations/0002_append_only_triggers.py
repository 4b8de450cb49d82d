"""Influence links and the decision timeline are append-only: database triggers refuse
UPDATE and DELETE, so revising a claim can only be a new row that supersedes the old one.

Uses the same trigger names and, on PostgreSQL, the same refusing function as accounts'
append-only tables (accounts/migrations/0002_append_only_triggers.py), so `flush` on SQLite
and the tests that lift triggers find these too.

Careful: on SQLite a later migration that rebuilds one of these tables must create its
triggers again (tests/advisory/test_influence.py fails if one is missing).
"""

from django.db import migrations

APPEND_ONLY_TABLES = (
    "advisory_influence",
    "advisory_decisionstatuschange",
)
OPERATIONS = ("UPDATE", "DELETE")


def _trigger_name(table: str, operation: str) -> str:
    return f"append_only_{table}_{operation.lower()}"


def _create(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {_trigger_name(table, op)} BEFORE {op} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION accounts_refuse_append_only_change();"
            for table in APPEND_ONLY_TABLES
            for op in OPERATIONS
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {_trigger_name(table, op)} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'The table {table} is append-only: {op} is refused.'); "
            "END;"
            for table in APPEND_ONLY_TABLES
            for op in OPERATIONS
        ]
    raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def _drop(vendor: str) -> list[str]:
    on = {"postgresql": lambda table: f" ON {table}", "sqlite": lambda table: ""}[vendor]
    return [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, op)}{on(table)};"
        for table in APPEND_ONLY_TABLES
        for op in OPERATIONS
    ]


def create_triggers(apps, schema_editor) -> None:
    for statement in _create(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor) -> None:
    for statement in _drop(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_append_only_triggers"),
        ("advisory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
