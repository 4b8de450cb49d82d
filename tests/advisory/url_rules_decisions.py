"""Access rules for advisory's decisions URLs, merged into tests/test_url_access.py's RULES."""

from __future__ import annotations

from tests.test_url_access import Rule

RULES: dict[str, Rule] = {}
