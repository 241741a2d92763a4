"""schemathesis against the live test server, from the schema the server itself serves:
every operation gets generated requests (valid ones, and for a few, invalid ones), each sent
over HTTP with a demo proposer's API token. No answer may be a 5xx, and every answer must
match the schema (status code declared, content type, body shape).

Bounded for CI: a few examples per operation, no shrinking, one database (well under two
minutes on the CI machine; the time is printed)."""

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from councils.demo import seed_councils
from tests import factories as f

from .conftest import token_for

pytestmark = [pytest.mark.django_db(transaction=True)]

EXAMPLES = 6
NEGATIVE_EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def run_operation(operation, *, base_url: str, headers: dict, mode, examples: int) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

    check()


def test_no_server_error_and_no_schema_violation(demo, live_server):
    seed_councils()
    f.make_draft(demo["th-hop-thanh"], "giay-khen-xa", nominees=2)  # something to find
    headers = {"Authorization": f"Token {token_for('th-hop-thanh.thiduakhenthuong')}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    base_url = live_server.url
    started = time.monotonic()
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        modes = [(GenerationMode.POSITIVE, EXAMPLES)]
        if operation.method.upper() in ("POST", "PATCH"):
            modes.append((GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES))
        for mode, examples in modes:
            try:
                run_operation(
                    operation, base_url=base_url, headers=headers, mode=mode, examples=examples
                )
            except BaseException as error:  # an ExceptionGroup of failures: all reported
                if isinstance(error, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.method.upper()} {operation.path} [{mode}]: {error}")
    print(f"schemathesis: {operations} operations in {time.monotonic() - started:.1f} s")
    assert operations > 50
    assert not failures, "\n\n".join(failures)
