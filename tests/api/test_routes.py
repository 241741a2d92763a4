"""Every route of the REST API refuses a caller without a session or a token (401), whatever
the id, so no API endpoint can be added that answers strangers; the schema and its docs are
the only public ones (tests/api/test_access.py). Per-user scoping is tested per endpoint in
the other files of this folder (others' objects 404, the page's own querysets)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {"api:schema", "api:docs"}


def api_routes(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            prefix = str(p.pattern)
            for name, route in api_routes(p.url_patterns, ns):
                yield name, prefix + route
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", str(p.pattern)


def concrete(route: str) -> str:
    """A path for the route with every parameter filled with 1."""
    route = route.replace("/?$", "/")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\.", ".").lstrip("/")


ROUTES = sorted(
    {
        (name, concrete(route))
        for name, route in api_routes()
        if name.startswith("api:") and "(?P<format>" not in route  # ".json" twins
    }
)


def test_the_api_has_routes():
    assert len(ROUTES) > 40


@pytest.mark.parametrize(("name", "path"), ROUTES)
def test_every_route_refuses_an_anonymous_caller(client, name, path):
    if name in PUBLIC:
        pytest.skip("public by design: the schema and its docs")
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code in (401, 405), (method, path, response.status_code)
        assert response.status_code != 200
