"""The generator against the automatic quality rules, on every corpus text.

Each (text, rule) is one test, so a failure says which rule which text breaks
and lists its first violations; `make quality` shows them all, with the
drafts, in quality-report.md. The generator must also be deterministic: the
same text gives the same drafts in the same order.
"""

import hashlib
import json
import os
import subprocess
import sys
from functools import cache

import pytest

from quizzes import quality
from quizzes.essays import parse
from quizzes.generation import generate
from tests.quality.corpus import ROOT, corpus
from tests.quality.quiz import essay_quiz

TEXTS = dict(corpus())
SHOWN = 8  # violations listed in a failure's message


@cache
def measured(name: str):
    essay = parse(TEXTS[name])
    drafts = generate(essay)
    quiz = [d.is_true for d in essay_quiz(essay, drafts) if d.is_true is not None]
    violations = quality.check(essay, drafts)
    violations += quality.check_quiz_balance(quiz, key="quiz:essay")
    return essay, drafts, violations


def readable(violations) -> str:
    lines = [f"  {v.generator_key}: {v.message}" for v in violations[:SHOWN]]
    if len(violations) > SHOWN:
        lines.append(f"  ... and {len(violations) - SHOWN} more")
    return "\n".join(lines)


def test_the_corpus_has_texts_of_its_own_and_the_projects():
    names = list(TEXTS)
    assert len([name for name in names if "." in name and ":" not in name]) >= 8
    assert "seed:great_purge.txt" in names
    assert all(text.strip() for text in TEXTS.values())


@pytest.mark.parametrize("rule", quality.RULES)
@pytest.mark.parametrize("name", list(TEXTS))
def test_no_draft_breaks_a_rule(name, rule):
    _, drafts, violations = measured(name)
    broken = [v for v in violations if v.rule == rule]
    assert not broken, (
        f"{name}: {len(broken)} of {len(drafts)} drafts break {rule}:\n"
        + readable(broken)
    )


@pytest.mark.parametrize("name", list(TEXTS))
def test_generation_is_deterministic(name):
    first = generate(parse(TEXTS[name]))
    again = generate(parse(TEXTS[name]))
    assert [(d.generator_key, d.prompt) for d in first] == [
        (d.generator_key, d.prompt) for d in again
    ]


def fingerprints() -> dict[str, str]:
    """Each text's drafts (keys and prompts) as one hash."""
    return {
        name: hashlib.sha256(
            "\n".join(
                f"{d.generator_key}\t{d.prompt}" for d in generate(parse(text))
            ).encode()
        ).hexdigest()
        for name, text in TEXTS.items()
    }


def test_generation_does_not_depend_on_the_process():
    """Python salts str hashes per process: drafts must not follow them."""
    script = (
        "import json; from tests.test_quality import fingerprints; "
        "print(json.dumps(fingerprints()))"
    )
    here = fingerprints()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=ROOT,
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert json.loads(done.stdout) == here, f"PYTHONHASHSEED={seed} differs"


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_no_two_drafts_of_a_corpus_text_share_a_key(name):
    """A second false statement that changed the same word as the first was
    the first again ("‘-z’" of sed's options): one key, one draft."""
    keys = [draft.generator_key for draft in measured(name)[1]]
    assert len(keys) == len(set(keys))
