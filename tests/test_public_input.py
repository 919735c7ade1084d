"""Input the database cannot hold (a NUL character) in a public page's filters or an API call
is refused or ignored, never a server error (PostgreSQL refuses NUL in text; SQLite did not
show it)."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/verdicts/?q=a%00b",
        "/verdicts/?speaker=a%00b",
        "/verdicts/?outlet=a%00b",
        "/verdicts/?rating=a%00b",
        "/speakers/?q=a%00b",
    ],
)
def test_pages_ignore_a_nul_in_their_filters(url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/verdicts?q=a%00b",
        "/api/verdicts?speaker=a%00b",
        "/api/verdicts?outlet=a%00b",
        "/api/verdicts?rating=a%00b",
        "/api/speakers?q=a%00b",
        "/api/verdicts/a%00b",
        "/api/speakers/a%00b",
    ],
)
def test_api_refuses_a_nul_as_invalid_input(url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_api_refuses_a_nul_in_staff_input(reviewer_user):
    token = api_token_create(user=reviewer_user)[1]
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/claims?speaker=a%00b").status_code == 422
    for payload in (
        {"rating": "false", "explanation": "a\x00b"},
        {"rating": "fa\x00lse", "explanation": "No."},
    ):
        response = client.post("/api/claims/1/verdict", payload, content_type="application/json")
        assert response.status_code == 422
    # Article text is cleaned by the ingest service (control characters dropped).
    response = client.post(
        "/api/articles", {"text": "Text " * 50 + "\x00"}, content_type="application/json"
    )
    assert response.status_code < 500
