import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_quick_exit_ends_the_session_and_clears_site_data(client, personas):
    client.force_login(personas.ash)
    response = client.get(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/"
    assert '"cookies"' in response["Clear-Site-Data"]
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert reverse("account_login") in home["Location"]


def test_every_html_page_is_no_store(client):
    response = client.get(reverse("staying_safer"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_a_missing_page_keeps_the_quick_exit_and_says_what_to_do(client, personas):
    client.force_login(personas.ash)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'id="quick-exit"' in response.text
    assert "Go to your home page" in response.text
