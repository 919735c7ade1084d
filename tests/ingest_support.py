"""Fixtures for the ingestion tests; loaded with `pytest_plugins = ["tests.ingest_support"]`."""

from __future__ import annotations

import socket

import pytest

from claims import fetching


@pytest.fixture
def allow_private(settings):
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
