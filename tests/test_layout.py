"""The architecture of docs/architecture.md, kept by tests: each kind of code
stays in its layer, and no module or view grows past what a reader takes in."""

import ast
import inspect
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

APP = Path(__file__).resolve().parents[1] / "quizzes"
PURE = [
    "essays.py",
    "generation",
    "grading.py",
    "scheduling.py",
    "kinds.py",
    "charts.py",
    "analysis.py",
    "rosters.py",
    "quality.py",
    "interchange",
]
MAX_MODULE_LINES = 600
MAX_VIEW_LINES = 25


def modules(*names: str) -> list[Path]:
    found = []
    for name in names:
        path = APP / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def imported(path: Path) -> set[str]:
    """Every module the file imports, by its dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def relative(path: Path) -> str:
    return str(path.relative_to(APP.parent))


@pytest.mark.parametrize("path", modules(*PURE), ids=relative)
def test_pure_modules_import_no_django_and_no_models(path):
    bad = {
        name
        for name in imported(path)
        if name.startswith(("django", "quizzes.models", "quizzes.services"))
        or name.startswith(("quizzes.selectors", "quizzes.views"))
    }
    assert not bad, f"{relative(path)} is pure but imports {sorted(bad)}"


@pytest.mark.parametrize("path", modules("selectors"), ids=relative)
def test_selectors_never_reach_up_to_services_or_views(path):
    bad = {
        name
        for name in imported(path)
        if name.startswith(("quizzes.services", "quizzes.views", "quizzes.admin"))
    }
    assert not bad, f"{relative(path)} reads, but imports {sorted(bad)}"


@pytest.mark.parametrize("path", modules("models", "services"), ids=relative)
def test_models_and_services_know_nothing_of_requests(path):
    bad = {
        name
        for name in imported(path)
        if name.startswith(("quizzes.views", "quizzes.admin", "django.http"))
        or (path.parent.name == "models" and name.startswith("quizzes.selectors"))
    }
    assert not bad, f"{relative(path)} imports {sorted(bad)}"


def test_no_module_is_too_long_to_read():
    long = {
        relative(path): lines
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines()))
        > MAX_MODULE_LINES
    }
    assert not long, f"over {MAX_MODULE_LINES} lines: {long}"


def _views(patterns) -> list:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def _own_views() -> list:
    """The project's view functions behind every URL, decorators peeled off."""
    found = {}
    for callback in _views(get_resolver().url_patterns):
        view = inspect.unwrap(callback)
        if getattr(view, "__module__", "").startswith("quizzes.views"):
            found[f"{view.__module__}.{view.__name__}"] = view
    return sorted(found.items())


@pytest.mark.parametrize(
    ("name", "view"), _own_views(), ids=[n for n, _ in _own_views()]
)
def test_views_stay_short(name, view):
    source, _ = inspect.getsourcelines(view)
    body = [line for line in source if not line.lstrip().startswith("@")]
    # The signature and docstring count too: a view is read whole.
    assert len(body) <= MAX_VIEW_LINES + 1, f"{name} has {len(body) - 1} lines"


def test_every_view_is_typed_with_the_htmx_request():
    untyped = [
        name
        for name, view in _own_views()
        if "HtmxHttpRequest" not in str(inspect.signature(view).parameters["request"])
    ]
    assert not untyped
