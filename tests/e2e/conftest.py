"""Browser tests: Playwright for Python driving the system Chromium.

Outside CI a machine without Chromium skips these tests with the reason; under
CI=true a missing browser is an error, never a skip.
"""

import functools
import os
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# What the Content-Security-Policy refused on each page, by page: every
# browser test fails on a refused inline script or style, or a resource from
# elsewhere (the policy is in purgequiz/settings.py).
_REFUSED: dict[int, list[str]] = {}


def _new_page(browser, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 600
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused = _REFUSED.setdefault(id(page), [])
    # Only what the app's own pages and scripts do: a script a test injects
    # (axe-core's accessibility checks set inline styles) has no location.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and message.location.get("url")
            and refused.append(f"{message.text} ({message.location['url']})")
        ),
    )
    return page


def _closed(page) -> None:
    refused = _REFUSED.pop(id(page), [])
    page.context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"


@pytest.fixture
def page(browser):
    page = _new_page(browser, 1280)
    yield page
    _closed(page)


@pytest.fixture
def phone_page(browser):
    page = _new_page(browser, 390)
    yield page
    _closed(page)


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(live_server):
    from tests.factories import PASSWORD

    def log_in(page, user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return log_in


@functools.cache
def teachers_migrations() -> list:
    """The migrations that make the Teachers group, each with the models as
    they stood when it ran."""
    loader = MigrationLoader(connection)
    return [
        (
            loader.get_migration("quizzes", name),
            loader.project_state(("quizzes", name)).apps,
        )
        for name in [
            "0002_teachers_group",
            "0004_teachers_quiz_permissions",
            "0009_teachers_class_permissions",
        ]
    ]


@pytest.fixture(autouse=True)
def teachers_group(request):
    """Browser tests run in transactions that end by emptying every table,
    the Teachers group a migration made with them: make it again, with the
    migrations' own code, so a teacher has the same rights as in production."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    for migration, apps in teachers_migrations():
        for operation in migration.operations:
            operation.code(apps, None)
