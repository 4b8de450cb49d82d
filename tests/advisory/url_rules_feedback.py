"""Access rules for advisory's feedback URLs (issue 8), merged into test_url_access RULES."""

from __future__ import annotations

from tests.test_url_access import Rule

RULES: dict[str, Rule] = {}
