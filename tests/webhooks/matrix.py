"""An endpoint for the permission matrix's rows (tests/test_permission_matrix.py)."""

from tests import factories as f
from webhooks import services
from webhooks.models import Endpoint, Event


def endpoint_of(objects: dict) -> Endpoint:
    """Xã Hợp Thành's endpoint, registered by its secretariat once per test."""
    if "endpoint" not in objects:
        from organisations.models import Organisation  # noqa: PLC0415 -- lazy, test helper

        objects["endpoint"] = services.register_endpoint(
            by=f.user("hop-thanh.vanphong"),
            organisation=Organisation.objects.get(code="hop-thanh"),
            url="https://1.1.1.1/khenthuong",  # a global address: no DNS lookup in tests
            events=[Event.TRANSITION],
        )
    return objects["endpoint"]
