"""Fixtures for the accounts tests, on top of the shared ones in tests/conftest.py."""

from tests.celery_worker import celery_worker  # noqa: F401  # registers the fixture here
