"""Every text the question-quality measure runs on: (name, text).

The files of tests/data/essays/ (texts nobody here wrote; SOURCES.md says
where each comes from and under which licence), the seed essay the demo loads,
and the essays written into the tests. The tests' essays are read from the
test modules' source, not imported, so no Django set-up is needed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESSAYS = ROOT / "tests" / "data" / "essays"
SEED = ROOT / "quizzes" / "data" / "great_purge.txt"  # what seed_demo imports

# (name, test module, constant): essays the tests were written around.
TEST_ESSAYS = (
    ("test_generation.FRENCH_REVOLUTION", "test_generation.py", "FRENCH_REVOLUTION"),
    ("test_services.ESSAY", "test_services.py", "ESSAY"),
    ("test_essays.MARKDOWN_ESSAY", "test_essays.py", "MARKDOWN_ESSAY"),
)


def _constant(module: Path, name: str) -> str:
    """A module-level string constant, read from the source."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name
            for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{module.name} has no constant {name}")


def corpus() -> list[tuple[str, str]]:
    """All corpus texts, in a fixed order: the files by name, the seed
    essay, then the tests' essays."""
    texts = [
        (path.name, path.read_text(encoding="utf-8"))
        for path in sorted(ESSAYS.iterdir())
        if path.suffix in {".txt", ".md"} and path.name != "SOURCES.md"
    ]
    texts.append(("seed:great_purge.txt", SEED.read_text(encoding="utf-8")))
    tests = ROOT / "tests"
    texts += [
        (name, _constant(tests / module, constant))
        for name, module, constant in TEST_ESSAYS
    ]
    return texts
