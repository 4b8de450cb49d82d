"""Every organization has its consent texts from the day it is created. Organizations made
before that got them the first time someone opened a choices page (a GET that wrote);
this gives any that still lack them their first wording, as the organization service now
does, each with its audit event."""

from django.db import migrations, transaction
from django.utils import timezone

from accounts.audit import AUDIT_LOCK_KEY, GENESIS_HASH, canonical_json, chain_hash
from accounts.default_consent_texts import DEFAULT_TEXTS


def _record(apps, schema_editor, *, organization_id: int, text_id: int) -> None:
    """The audit append of `accounts.audit.record_event`, on the migration's models."""
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    sequence = last["sequence"] + 1 if last else 1
    prev_hash = last["hash"] if last else GENESIS_HASH
    created_at = timezone.now()
    fields = {
        "actor_id": None,
        "organization_id": organization_id,
        "action": "consent_text.created",
        "target_type": "consent_text",
        "target_id": text_id,
    }
    payload = canonical_json(
        {"sequence": sequence, "created_at": created_at.isoformat(), **fields}
    )
    AuditEvent.objects.create(
        sequence=sequence,
        created_at=created_at,
        payload=payload,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
        **fields,
    )


def give_default_texts(apps, schema_editor) -> None:
    Organization = apps.get_model("accounts", "Organization")
    ConsentText = apps.get_model("accounts", "ConsentText")
    now = timezone.now()
    with transaction.atomic(using=schema_editor.connection.alias):
        for organization in Organization.objects.order_by("pk"):
            existing = set(
                ConsentText.objects.filter(organization=organization).values_list(
                    "scope", "language"
                )
            )
            for language, texts in DEFAULT_TEXTS.items():
                for scope, words in texts.items():
                    if (scope, language) in existing:
                        continue
                    text = ConsentText.objects.create(
                        organization=organization,
                        scope=scope,
                        language=language,
                        version=1,
                        text=words,
                        created_at=now,
                        shown_to_board_at=now,
                        effective_at=now,
                    )
                    _record(apps, schema_editor, organization_id=organization.pk, text_id=text.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_update_targets_and_in_person_invitations"),
    ]

    operations = [
        migrations.RunPython(give_default_texts, migrations.RunPython.noop),
    ]
