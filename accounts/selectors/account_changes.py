"""Reads for undoing an address change. The link is the only proof, so an unknown, used,
voided and expired change all read the same: None."""

from __future__ import annotations

import uuid

from accounts.models import AddressChange


def get_open_address_change(public_id: uuid.UUID | None) -> AddressChange | None:
    if public_id is None:
        return None
    change = AddressChange.objects.filter(public_id=public_id).first()
    return change if change is not None and change.is_open else None
