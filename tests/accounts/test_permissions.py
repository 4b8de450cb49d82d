"""The authorization policy: what each standing may do, and how views and services ask."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from accounts.models import FunderAccess
from accounts.permissions import (
    POLICY,
    AuthenticatedRequest,
    Capability,
    Holder,
    allows,
    grants,
    holders_of,
    organization_for,
    require,
    standing_in,
)
from tests.factories import MembershipFactory
from tests.meetings.factories import board_member


def _request(user) -> AuthenticatedRequest:
    request = cast(AuthenticatedRequest, RequestFactory().get("/"))
    request.user = user
    return request


def test_every_capability_is_granted_to_someone():
    assert {capability for granted in POLICY.values() for capability in granted} == set(Capability)


def test_admins_do_not_record_attendance_but_staff_and_co_chairs_do():
    assert holders_of(Capability.RECORD_ATTENDANCE) == {Holder.STAFF, Holder.CO_CHAIR}


def test_grants_reads_only_the_membership_role():
    assert grants("admin", Capability.MANAGE_ORGANIZATION)
    assert not grants("staff", Capability.MANAGE_ORGANIZATION)
    assert not grants(None, Capability.USE_OWN_SEAT)


def test_a_survivor_leader_chairs_only_with_a_current_co_chair_role(personas):
    assert not allows(personas.ash, personas.harbor, Capability.CHAIR_BOARD)
    board_member(personas.ash, personas.harbor, co_chair=True)
    assert allows(personas.ash, personas.harbor, Capability.CHAIR_BOARD)
    assert allows(personas.ash, personas.harbor, Capability.RUN_MEETINGS)
    assert not allows(personas.ash, personas.second, Capability.CHAIR_BOARD)


def test_a_board_seat_lets_a_survivor_leader_recommend(personas):
    assert not allows(personas.river, personas.harbor, Capability.RECOMMEND)
    board_member(personas.river, personas.harbor)
    assert allows(personas.river, personas.harbor, Capability.RECOMMEND)
    assert not allows(personas.river, personas.harbor, Capability.CHAIR_BOARD)


def test_a_member_with_a_funder_link_is_not_a_funder_there(personas):
    FunderAccess.objects.create(user=personas.sam, organization=personas.harbor)
    assert allows(personas.faye, personas.harbor, Capability.READ_FUNDED_REPORTS)
    assert not allows(personas.sam, personas.harbor, Capability.READ_FUNDED_REPORTS)


def test_organization_for_is_404_outside_scope_and_never_403(personas):
    assert organization_for(_request(personas.ada), "harbor", Capability.MANAGE_ORGANIZATION)
    for who, slug in [("sam", "harbor"), ("ada", "second"), ("ada", "nowhere")]:
        with pytest.raises(Http404):
            organization_for(_request(getattr(personas, who)), slug, Capability.MANAGE_ORGANIZATION)


def test_funders_reach_only_what_they_fund(personas):
    request = _request(personas.faye)
    assert organization_for(request, "harbor", Capability.READ_FUNDED_REPORTS)
    with pytest.raises(Http404):
        organization_for(request, "second", Capability.READ_FUNDED_REPORTS)
    with pytest.raises(Http404):
        organization_for(request, "harbor", Capability.LOOK_AFTER_BOARD)


def test_require_refuses_with_permission_denied_or_the_words_given(personas):
    require(personas.fin, personas.harbor, Capability.HANDLE_PAY)
    with pytest.raises(PermissionDenied):
        require(personas.sam, personas.harbor, Capability.HANDLE_PAY)
    with pytest.raises(ValidationError) as refused:
        require(personas.sam, personas.harbor, Capability.HANDLE_PAY, invalid="Finance only.")
    assert refused.value.messages == ["Finance only."]


def test_a_standing_reads_each_fact_once(personas, django_assert_num_queries):
    board_member(personas.ash, personas.harbor, co_chair=True)
    standing = standing_in(personas.ash, personas.harbor)
    # The role, then the co-chair seat; asking again costs nothing.
    with django_assert_num_queries(2):
        assert standing.may(Capability.USE_OWN_SEAT)
        assert standing.may(Capability.CHAIR_BOARD)
        assert standing.may(Capability.POST_OPPORTUNITIES)
        assert not standing.may(Capability.HANDLE_PAY)


def test_a_role_read_already_is_not_read_again(personas, django_assert_num_queries):
    MembershipFactory.create(user=personas.otto, organization=personas.harbor, role="staff")
    with django_assert_num_queries(0):
        assert standing_in(personas.otto, personas.harbor, role="staff").may(
            Capability.LOOK_AFTER_BOARD
        )
