"""What booked work was is written once with the entry that paid it, and is as append-only
as the entry: the same triggers (names and, on PostgreSQL, refusing function) as
0002_append_only_triggers, so `flush` and the tests that lift triggers find them too."""

from django.db import migrations

TABLE = "compensation_bookedwork"
OPERATIONS = ("UPDATE", "DELETE")


def _name(operation: str) -> str:
    return f"append_only_{TABLE}_{operation.lower()}"


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for op in OPERATIONS:
        if vendor == "postgresql":
            statement = (
                f"CREATE TRIGGER {_name(op)} BEFORE {op} ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION accounts_refuse_append_only_change();"
            )
        elif vendor == "sqlite":
            statement = (
                f"CREATE TRIGGER {_name(op)} BEFORE {op} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'The table {TABLE} is append-only: {op} is refused.'); "
                "END;"
            )
        else:
            raise NotImplementedError(f"No append-only triggers written for {vendor}.")
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor) -> None:
    on = f" ON {TABLE}" if schema_editor.connection.vendor == "postgresql" else ""
    for op in OPERATIONS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(op)}{on};", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("compensation", "0003_booked_work"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
