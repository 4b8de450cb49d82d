"""Each access rule written as `allowed(capability)` names the capability its view asks the
policy for: the walk and the view read one rule, not two that happen to agree today."""

from __future__ import annotations

import pytest

from accounts import permissions
from tests.test_url_access import RULES, request, world  # noqa: F401  # the fixture
from tests.url_walk import ANONYMOUS, NOT_FOUND, Allowed

FROM_THE_POLICY = sorted(name for name, rule in RULES.items() if isinstance(rule.expect, Allowed))


def test_most_rules_come_from_the_policy():
    assert len(FROM_THE_POLICY) > 100


@pytest.mark.parametrize("name", FROM_THE_POLICY)
def test_the_view_asks_for_the_capability_its_rule_names(name, world, monkeypatch):  # noqa: F811
    rule = RULES[name]
    expect = rule.expect
    assert isinstance(expect, Allowed)
    asked = []
    scoped_organization = permissions.scoped_organization

    def spy(user, slug, capability):
        asked.append(capability)
        return scoped_organization(user, slug, capability)

    monkeypatch.setattr(permissions, "scoped_organization", spy)
    who = next(who for who, outcome in expect.items() if who != ANONYMOUS and outcome != NOT_FOUND)
    request(world, who, name, rule, rule.kwargs)
    assert asked[:1] == [expect.capability]
