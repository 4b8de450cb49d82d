"""Organization settings: its admins set the time zone every page shows times in. Who may
reach the page, what an unknown zone gets, and that nothing else is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Organization
from accounts.services.organization import update_organization_settings
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def settings_url(org: str = "harbor") -> str:
    return reverse("organization_settings", kwargs={"org": org})


def zone_of(organization: Organization) -> str:
    return str(Organization.objects.get(pk=organization.pk).time_zone)


def test_an_admin_sets_the_time_zone_and_it_is_audited_with_ids_only(personas):
    ada = client_for(personas.ada)
    response = ada.post(settings_url(), {"time_zone": "America/Chicago"})
    assert response.status_code == 302
    assert response["Location"] == settings_url()
    assert zone_of(personas.harbor) == "America/Chicago"
    event = AuditEvent.objects.get(action="organization.settings_updated")
    assert (event.actor_id, event.organization_id, event.target_type, event.target_id) == (
        personas.ada.pk,
        personas.harbor.pk,
        "organization",
        personas.harbor.pk,
    )
    page = ada.get(settings_url()).content.decode()
    assert "Saved. Times are now shown in America/Chicago." in page
    assert "Now: America/Chicago." in page
    assert '<option value="America/Chicago" selected>' in page
    assert zone_of(personas.second) == "UTC"  # another organization is untouched


def test_the_page_is_a_plain_list_that_works_without_javascript(personas):
    page = client_for(personas.ada).get(settings_url()).content.decode()
    assert '<select name="time_zone"' in page
    assert '<option value="America/New_York">America/New York</option>' in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("typed", ["Mars/Olympus_Mons", "america/chicago", "CST", ""])
def test_an_unknown_zone_is_refused_with_a_clear_error_and_nothing_is_written(personas, typed):
    response = client_for(personas.ada).post(settings_url(), {"time_zone": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check the form. Nothing was saved yet." in page
    expected = "Choose the time zone the program works in." if not typed else "is not a time zone"
    assert expected in page
    assert zone_of(personas.harbor) == "UTC"
    assert not AuditEvent.objects.filter(action="organization.settings_updated").exists()


@pytest.mark.parametrize("typed", ["Mars/Olympus_Mons", "", " ", "UTC+5"])
def test_the_service_refuses_an_unknown_zone_and_writes_nothing(personas, typed):
    with pytest.raises(ValidationError) as caught:
        update_organization_settings(organization=personas.harbor, by=personas.ada, time_zone=typed)
    assert "time_zone" in caught.value.message_dict
    assert zone_of(personas.harbor) == "UTC"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["ash", "sam", "fin", "faye", "otto"])
def test_the_service_refuses_anyone_but_the_organizations_admins(personas, who):
    with pytest.raises(PermissionDenied):
        update_organization_settings(
            organization=personas.harbor, by=getattr(personas, who), time_zone="Asia/Tokyo"
        )
    assert zone_of(personas.harbor) == "UTC"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["ash", "river", "sam", "fin", "faye", "otto"])
def test_only_admins_reach_the_page_everyone_else_gets_404(personas, who):
    client = client_for(getattr(personas, who))
    assert client.get(settings_url()).status_code == 404
    assert client.post(settings_url(), {"time_zone": "Asia/Tokyo"}).status_code == 404
    assert zone_of(personas.harbor) == "UTC"
    assert not AuditEvent.objects.filter(action="organization.settings_updated").exists()


def test_an_admin_cannot_reach_another_organizations_settings(personas):
    client = client_for(personas.ada)
    assert client.get(settings_url("second")).status_code == 404
    assert client.post(settings_url("second"), {"time_zone": "Asia/Tokyo"}).status_code == 404
    assert zone_of(personas.second) == "UTC"


def test_anonymous_visitors_are_sent_to_sign_in(client, personas):
    response = client.get(settings_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_admins_home_page_links_to_the_settings(personas):
    page = client_for(personas.ada).get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert f'href="{settings_url()}"' in page.content.decode()
    staff_page = client_for(personas.sam).get(
        reverse("organization_home", kwargs={"org": "harbor"})
    )
    assert settings_url() not in staff_page.content.decode()
