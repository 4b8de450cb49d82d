"""Addresses of an organization's pages, and reading a page that must open."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def url(name: str, org: str = "harbor", **kwargs: Any) -> str:
    """The address of the page `name` in organization `org` (Harbor unless said)."""
    return reverse(name, kwargs={"org": org, **kwargs})


def live_url(live_server: Any, name: str, **kwargs: Any) -> str:
    """The same on the browser tests' live server."""
    base: str = live_server.url
    return base + url(name, **kwargs)


def page(client: Client, address: str) -> str:
    """The HTML of a page that must open (200)."""
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.content.decode()
