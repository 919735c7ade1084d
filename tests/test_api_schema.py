"""Schema-driven test of the API: schemathesis reads /api/openapi.json and calls every operation
(through the WSGI app) with data it generates from the schema, valid and not, anonymously and
with a reviewer's token. No answer may be a server error, have an undeclared status code or
content type, or break its declared schema.

`pytest -s tests/test_api_schema.py` prints how many calls each operation got.
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from claims.services.api_tokens import api_token_create
from tests import factories
from tests.publishing import publish

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CALLS: collections.Counter[str] = collections.Counter()
STATUSES: collections.Counter[str] = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def _print_counts():
    yield
    if CALLS:
        probes = sum(n for label, n in CALLS.items() if label.startswith("other method"))
        print(
            f"\nschemathesis: {sum(CALLS.values())} calls, {len(CALLS) - 1} operations "
            f"({probes} of them with methods the API does not declare)"
        )
        for label, calls in sorted(CALLS.items()):
            print(f"  {label}: {calls}")
        print("  statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(STATUSES.items())))


@pytest.fixture
def _connections_kept_open():
    """The WSGI handler closes database connections when a request ends, which would end the
    test's transaction on PostgreSQL; Django's own test client switches that off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, settings, _connections_kept_open):
    """A few published verdicts, a claim in review with evidence, and a reviewer's token."""
    settings.API_ANON_RATE_LIMIT = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reviewer = factories.reviewer(username="schema-reviewer")
    editor = factories.editor(username="schema-editor")
    speaker = factories.SpeakerFactory(name="Ann Example", slug="ann-example")
    for content in ("the bridge cost four billion", "the tunnel opened in May"):
        publish(author=reviewer, approver=editor, speaker=speaker, content=content)
    claim = factories.ClaimFactory()
    factories.EvidenceFactory(claim=claim)
    return api_token_create(user=reviewer)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, api_data):
    for headers in ({}, {"Authorization": f"Bearer {api_data}"}):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        label = case.operation.label
        CALLS[label if case.method == case.operation.method.upper() else "other method"] += 1
        STATUSES[str(response.status_code)] += 1
