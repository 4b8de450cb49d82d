"""A published report version can never change: database triggers refuse UPDATE and DELETE
of a row whose status is "published" (drafts stay editable until then).

Named like the append-only triggers (prefix `append_only_`), so `flush` on SQLite and
`accounts.audit.append_only_triggers_lifted` find these too; on PostgreSQL they call the
same refusing function as accounts' append-only tables.
"""

from django.db import migrations

TABLE = "advisory_reportversion"
OPERATIONS = ("UPDATE", "DELETE")


def _name(operation: str) -> str:
    return f"append_only_{TABLE}_published_{operation.lower()}"


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for op in OPERATIONS:
        if vendor == "postgresql":
            sql = (
                f"CREATE TRIGGER {_name(op)} BEFORE {op} ON {TABLE} FOR EACH ROW "
                "WHEN (OLD.status = 'published') "
                "EXECUTE FUNCTION accounts_refuse_append_only_change();"
            )
        elif vendor == "sqlite":
            sql = (
                f"CREATE TRIGGER {_name(op)} BEFORE {op} ON {TABLE} "
                "WHEN OLD.status = 'published' "
                f"BEGIN SELECT RAISE(ABORT, 'A published report version is final: {op} is "
                "refused.'); END;"
            )
        else:
            raise NotImplementedError(f"No triggers written for {vendor}.")
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for op in OPERATIONS:
        on = f" ON {TABLE}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(op)}{on};", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_append_only_triggers"),
        ("advisory", "0003_reports"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
