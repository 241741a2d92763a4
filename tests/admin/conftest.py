import pytest
from django.test import Client


@pytest.fixture
def operator(db, django_user_model):
    """The platform operator: the catalogue and the calendar are edited by a superuser."""
    return django_user_model.objects.create_superuser("operator", "op@example.vn", "x-Pass-123!")


@pytest.fixture
def as_operator(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def client_factory():
    """A fresh browser: no session, no cookies."""
    return Client
