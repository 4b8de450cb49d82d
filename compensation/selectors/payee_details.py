"""Who has given what their way to be paid needs in the payment file
(`NEEDED_IN_PAYMENT_FILE`), read without reading a single value.

A detail counts as given when the person gave it in their profile for this organization,
or it was kept to pay out their deleted account: the two places the payment file reads
(`finance.batch_export_rows`). An empty detail is stored empty, never encrypted
(`accounts.fields.EncryptedTextField`), so the database answers "given or not" and nothing
is decrypted to find out. Pages built on this show chosen names and the names of missing
details — never a value.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Iterable, Sequence
from functools import reduce

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from accounts.models import Organization, SurvivorProfile, User
from compensation.models import NEEDED_IN_PAYMENT_FILE, FinalPayout, PayeeDetail


def needed_for(method: str) -> tuple[PayeeDetail, ...]:
    return NEEDED_IN_PAYMENT_FILE.get(method, ())


def missing_details(method: str, given: Collection[str]) -> tuple[PayeeDetail, ...]:
    """What a payment by `method` needs that is not among `given`, in the table's order."""
    return tuple(detail for detail in needed_for(method) if detail not in given)


def given_flag(detail: PayeeDetail) -> str:
    """The name `with_given_details` annotates each detail under."""
    return f"{detail.value}_given"


def _given(organization_id: int, detail: PayeeDetail, person: str) -> ExpressionWrapper[Q]:
    not_blank = ~Q(**{detail.value: ""})
    in_profile = SurvivorProfile.objects.filter(
        not_blank, organization_id=organization_id, user=OuterRef(person)
    )
    kept = FinalPayout.objects.filter(
        not_blank, organization_id=organization_id, user=OuterRef(person)
    )
    return ExpressionWrapper(Q(Exists(in_profile)) | Q(Exists(kept)), output_field=BooleanField())


def with_given_details(
    users: QuerySet[User], organization: Organization | int, *, person: str = "pk"
) -> QuerySet[User]:
    """Annotate each person with whether they gave each detail (`given_flag(detail)`),
    in the same query."""
    organization_id = organization if isinstance(organization, int) else organization.pk
    return users.annotate(
        **{given_flag(detail): _given(organization_id, detail, person) for detail in PayeeDetail}
    )


def lacking_any(details: Iterable[PayeeDetail]) -> Q:
    """Rows of `with_given_details` that lack at least one of `details` (none, if no
    details are asked about)."""
    lacking = [Q(**{given_flag(detail): False}) for detail in details]
    return reduce(operator.or_, lacking) if lacking else Q(pk__in=[])


def given_in_row(row: dict[str, object]) -> frozenset[str]:
    """The details given, from a `.values()` row of `with_given_details`."""
    return frozenset(detail.value for detail in PayeeDetail if row.get(given_flag(detail)))


def details_given(organization: Organization, user_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """The details each person has given: one query for everyone."""
    rows = with_given_details(User.objects.filter(pk__in=user_ids), organization).values(
        "pk", *(given_flag(detail) for detail in PayeeDetail)
    )
    return {row["pk"]: given_in_row(row) for row in rows}


def ways_that_take(
    *, chose: str, final: bool, final_method: str, offered: Collection[str]
) -> list[str]:
    """The ways to pay whose batch takes this person — the rule `payees.payees_for`
    applies in the database: their own choice; for a deleted account, the way kept for
    its last payment, or any way offered when that one is not (it must not wait for ever)."""
    if final:
        return [final_method] if final_method in offered else sorted(offered)
    return [chose] if chose in offered else []


def blocking_details(ways: Sequence[str], given: Collection[str]) -> tuple[PayeeDetail, ...]:
    """What keeps the person out of every batch that could take them: details each of
    those ways needs and they lack. Nothing, if some way needs nothing they lack."""
    if not ways:
        return ()
    blocking = set(missing_details(ways[0], given))
    for way in ways[1:]:
        blocking &= set(missing_details(way, given))
    return tuple(detail for detail in PayeeDetail if detail in blocking)


def details_in_words(details: Iterable[PayeeDetail]) -> str:
    """The details as words in a sentence, like "legal name and safe mailing address"."""
    return str(get_text_list([str(detail.label) for detail in details], _("and")))
