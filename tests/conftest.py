"""Shared fixtures: one client per role, and published-verdict helpers."""

from __future__ import annotations

import socket

import pytest
from django.test import Client

from claims import fetching
from tests import factories


@pytest.fixture(autouse=True)
def _tasks_inline_unless_real_worker(request):
    """Run Celery tasks inline in every test but those that start real workers.

    Under CI a broker is configured, so without this a task sent by a view test would sit in
    Redis. Tests marked `worker` exercise the real broker and worker processes instead.
    """
    from factcheck.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, and
    with it the public site's version, so a page cached by one test could match another's."""
    from django.core.cache import cache

    from claims import api, public_cache

    cache.clear()
    public_cache._lease.drop()  # and the pages this process holds under its lease
    api._limiter.cache_clear()  # and the API's rate-limit counts (in memory unless CI's Redis)
    yield
    cache.clear()
    public_cache._lease.drop()


@pytest.fixture
def reviewer_user(db):
    return factories.reviewer(username="rita-reviewer")


@pytest.fixture
def editor_user(db):
    return factories.editor(username="ed-editor")


@pytest.fixture
def other_editor_user(db):
    return factories.editor(username="eve-editor")


@pytest.fixture
def admin_user_with_role(db):
    from claims import roles

    return factories.UserFactory(username="ada-admin", is_staff=True, role=roles.ADMIN)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_client(reviewer_user) -> Client:
    return _client_for(reviewer_user)


@pytest.fixture
def editor_client(editor_user) -> Client:
    return _client_for(editor_user)


@pytest.fixture
def plain_user_client(db) -> Client:
    return _client_for(factories.UserFactory(username="no-role"))


def publish(claim, *, reviewer, editor, explanation: str):
    """Take ``claim`` through the whole workflow to a published "True" verdict."""
    from claims.models import VerdictRating
    from claims.services.claims import claim_accept
    from claims.services.verdicts import verdict_approve, verdict_submit

    claim = claim_accept(claim=claim, by=reviewer)
    verdict = verdict_submit(
        claim=claim,
        by=reviewer,
        rating=VerdictRating.objects.get(slug="true"),
        explanation=explanation,
    )
    return verdict_approve(verdict=verdict, by=editor)


@pytest.fixture
def published_verdict(db, reviewer_user, editor_user):
    """A claim taken through the whole workflow to a published verdict."""
    return publish(
        factories.ClaimFactory(content="The strikes hit three targets in Iraq"),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="The Pentagon confirmed five targets, three of them in Iraq.",
    )


@pytest.fixture
def allow_private(settings):
    """Let fetches reach the test's own HTTP server on 127.0.0.1."""
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    return settings


@pytest.fixture
def fake_dns(monkeypatch):
    """Resolve chosen test names to chosen addresses; anything else goes to the real resolver."""
    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(fetching.socket, "getaddrinfo", getaddrinfo)
    return names


from tests.corroboration_web import web  # noqa: E402, F401 - a fixture for the evidence tests
