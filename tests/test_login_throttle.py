"""Sign-in throttling: 10 failures for one account or from one address within 15 minutes, and
sign-ins for it get 429 with a clear message until the window has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from factcheck.login_throttle import client_ip
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(username: str, password: str, *, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("review:queue")


def test_ten_failures_for_one_account_pause_it(settings):
    factories.reviewer(username="rita")
    for attempt in range(9):
        response = sign_in("rita", "wrong", address=f"198.51.100.{attempt}")
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter a correct username and password" in response.content.decode()
    tenth = sign_in("rita", "wrong", address="198.51.100.9")
    assert tenth.status_code == 429
    # The right password, from yet another address: still paused, and said so.
    response = sign_in("rita", PASSWORD, address="192.0.2.50")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts for this account or from this address" in page
    assert "paused for 15 minutes" in page
    assert response["Retry-After"] == "900"
    assert 'class="site-header"' in page  # the site's page
    # Someone else from those addresses is not held up by rita's account.
    factories.reviewer(username="ed")
    assert signed_in(sign_in("ed", PASSWORD, address="198.51.100.3"))


def test_ten_failures_from_one_address_pause_it():
    factories.reviewer(username="rita")
    for attempt in range(10):
        sign_in(f"guess-{attempt}", "wrong", address="203.0.113.7")
    response = sign_in("rita", PASSWORD, address="203.0.113.7")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    # The account itself is fine from elsewhere.
    assert signed_in(sign_in("rita", PASSWORD, address="192.0.2.1"))


def test_the_pause_ends_when_the_window_passes():
    factories.reviewer(username="rita")
    for _ in range(10):
        sign_in("rita", "wrong")
    assert sign_in("rita", PASSWORD).status_code == 429
    # Attempts while paused do not extend it: move every counted failure back 15 minutes.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=15, seconds=1)
        )
    assert signed_in(sign_in("rita", PASSWORD))


def test_failures_spread_over_more_than_the_window_do_not_add_up():
    factories.reviewer(username="rita")
    for _ in range(9):
        sign_in("rita", "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    sign_in("rita", "wrong")  # the first of a new window
    assert signed_in(sign_in("rita", PASSWORD))


def test_the_admin_sign_in_is_throttled_too():
    factories.UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(10):
        Client(REMOTE_ADDR="203.0.113.9").post(
            reverse("admin:login"), {"username": "boss", "password": "wrong"}
        )
    response = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("admin:login"), {"username": "boss", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_the_address_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is the client's word
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not what the client sent
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: not trusted
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(garbage) == "10.0.0.2"
