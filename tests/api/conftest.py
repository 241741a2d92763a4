"""API test helpers: a client per user, authenticated by an API token made through the
service (as a system would be given one), and the demo province."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from api.services import create_token
from councils.demo import seed_councils


def token_for(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    return create_token(user=user, by=user, name=f"test {username}").secret


def client_for(username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(username)}")
    return client


def error_of(response) -> dict:
    """The one error shape; asserts it is whole (both languages, a code)."""
    body = response.json()
    assert set(body) == {"code", "message", "field", "details"}, body
    assert body["message"]["vi"], body
    assert body["message"]["en"], body
    return body


@pytest.fixture
def api(demo):
    """client("th-hop-thanh.thiduakhenthuong") -> an APIClient acting as that demo user."""
    seed_councils()
    return client_for
