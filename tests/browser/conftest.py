"""Browser fixtures: Debian's Chromium through Playwright, against pytest-django's live server.

Skipped cleanly when /usr/bin/chromium or Playwright is missing. Never `playwright install`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that it is fine (it is: the test drives one browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None


# Why the browser tests were skipped, and how many, for the one line at the end of the run.
BROWSER_TESTS_SKIPPED = pytest.StashKey[tuple[str, int]]()


def pytest_collection_modifyitems(config, items):
    reason = None
    if sync_playwright is None:
        reason = "playwright is not installed"
    elif not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if reason:
        skip = pytest.mark.skip(reason=reason)
        skipped = [item for item in items if "browser" in item.keywords]
        for item in skipped:
            item.add_marker(skip)
        if skipped:
            config.stash[BROWSER_TESTS_SKIPPED] = (reason, len(skipped))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One clear line when the browser tests did not run: a skip among hundreds of passes is
    easy to miss, and then the pages were never tried in a browser."""
    if BROWSER_TESTS_SKIPPED in config.stash:
        reason, count = config.stash[BROWSER_TESTS_SKIPPED]
        terminalreporter.write_line(
            f"BROWSER TESTS SKIPPED ({count}): {reason}; they need Debian's chromium.",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _ensure_roles_and_scale() -> None:
    """Transactional tests flush the database, data migrations included: put back the roles
    (with their permissions) and the verdict scale that the app expects to find."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes

    from claims.models import VerdictRating
    from claims.roles import ensure_roles, ensure_verdict_scale

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    ensure_roles(Group, Permission)
    ensure_verdict_scale(VerdictRating)


@pytest.fixture
def inline_tasks(settings, transactional_db):
    """Run Celery tasks in the live server's thread, even where CI sets a broker."""
    from factcheck.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _ensure_roles_and_scale()
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


# Every page the browser tests open reports Content-Security-Policy violations here: the
# securitypolicyviolation event (through a binding, so that it survives navigation) and
# Chromium's console error for the same refusal.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} in ` +
    `${event.sourceFile || document.location.pathname}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """What the pages of this test's `new_page` contexts reported (the test may inspect it)."""
    return []


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """A fresh browser context (its own cookies) per call, signed in as `user` if given.

    Any Content-Security-Policy violation on any of its pages fails the test.
    """
    contexts = []

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def make(user=None, *, width: int = 1400, height: int = 900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        context.expose_function("reportCspViolation", lambda text: csp_violations.append(text))
        context.add_init_script(CSP_LISTENER)
        context.on("console", on_console)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("input[name=username]", user.get_username())
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url("**/review/")
        return page

    yield make
    for context in contexts:
        context.close()
    assert csp_violations == [], "Content-Security-Policy violations:\n" + "\n".join(csp_violations)
