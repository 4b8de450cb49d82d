"""Validate once: a service names the rules across a form's fields (a last day before the
first, a fixed amount left out) as field-keyed errors; a form shows them with this, so a
rule and its words are written only in the service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def show_rule_errors(form: forms.Form, errors: Mapping[str, StrOrPromise]) -> None:
    """Each error on its field, unless the form could not read that field: then the
    field already says why, and one message is enough."""
    for field, message in errors.items():
        if field not in form.errors:
            form.add_error(field, message)
