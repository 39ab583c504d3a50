"""`make quality`: the generator's drafts for every corpus text, measured.

For each text of tests/quality/corpus.py: parse it, generate its drafts, and
check them against the automatic rules of quizzes/quality.py. Prints how many
drafts each text and each kind of question (builder) has and how many each
rule flags, and writes every draft, grouped by text and claim, with its
violations to a report a person can read (quality-report.md by default).

``--sample N --seed S`` also writes a deterministic random sample of N drafts
per text (quality-sample.md by default), each with an empty "verdict:" line
for a person to judge it good, fixable or bad.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quizzes.essays import ParsedEssay, parse  # noqa: E402
from quizzes.generation import QuestionDraft, generate  # noqa: E402
from quizzes.quality import RULES, Violation, check, check_quiz_balance  # noqa: E402
from tests.quality.corpus import corpus  # noqa: E402
from tests.quality.quiz import essay_quiz  # noqa: E402

REPORT = ROOT / "quality-report.md"
SAMPLE = ROOT / "quality-sample.md"


@dataclass
class Measured:
    name: str
    essay: ParsedEssay
    drafts: list[QuestionDraft]
    violations: list[Violation]
    seconds: float
    by_key: dict[str, list[Violation]] = field(default_factory=dict)

    def __post_init__(self):
        found = defaultdict(list)
        for violation in self.violations:
            found[violation.generator_key].append(violation)
        self.by_key = dict(found)


def measure(name: str, text: str) -> Measured:
    started = time.perf_counter()
    essay = parse(text)
    drafts = generate(essay)
    seconds = time.perf_counter() - started
    quiz = [
        d.is_true is True for d in essay_quiz(essay, drafts) if d.is_true is not None
    ]
    violations = check(essay, drafts) + check_quiz_balance(quiz, key="quiz:essay")
    return Measured(name, essay, drafts, violations, seconds)


def row_of(key: str, builders: dict[str, str]) -> str:
    """The table row a violation counts in: its draft's builder, or what a
    claim- or essay-level violation names."""
    if key in builders:
        return builders[key]
    whole = key.startswith(("essay:", "quiz:"))
    return key.split(":", 1)[0] if whole else "(claim)"


# --- the tables -------------------------------------------------------------


def table(title: str, rows: dict[str, tuple[int, Counter]]) -> str:
    width = max([len(title)] + [len(name) for name in rows] + [5])
    numbers = [f"{n:>4}" for n in range(1, len(RULES) + 1)]
    lines = [f"{title:<{width}} {'drafts':>6} " + " ".join(numbers) + "  flagged"]
    total_drafts, total = 0, Counter()
    for name, (drafts, counts) in rows.items():
        total_drafts += drafts
        total.update(counts)
        lines.append(_row(name, width, drafts, counts))
    lines.append("-" * len(lines[0]))
    lines.append(_row("total", width, total_drafts, total))
    return "\n".join(lines)


def _row(name: str, width: int, drafts: int, counts: Counter) -> str:
    cells = " ".join(f"{counts.get(rule, 0):>4}" for rule in RULES)
    return f"{name:<{width}} {drafts:>6} {cells}  {sum(counts.values()):>7}"


def legend() -> str:
    return "rules: " + ", ".join(f"{n} {rule}" for n, rule in enumerate(RULES, 1))


def tables(results: list[Measured]) -> str:
    by_text: dict[str, tuple[int, Counter]] = {}
    drafts_by_builder: Counter = Counter()
    flags_by_builder: dict[str, Counter] = defaultdict(Counter)
    for result in results:
        builders = {d.generator_key: d.builder for d in result.drafts}
        drafts_by_builder.update(d.builder for d in result.drafts)
        by_text[result.name] = (
            len(result.drafts),
            Counter(v.rule for v in result.violations),
        )
        for violation in result.violations:
            row = row_of(violation.generator_key, builders)
            flags_by_builder[row][violation.rule] += 1
    names = sorted(set(drafts_by_builder) | set(flags_by_builder))
    by_builder = {
        name: (drafts_by_builder.get(name, 0), flags_by_builder[name]) for name in names
    }
    return "\n\n".join(
        [table("text", by_text), table("kind (builder)", by_builder), legend()]
    )


# --- the report -------------------------------------------------------------


def draft_lines(draft: QuestionDraft, violations: list[Violation]) -> list[str]:
    lines = [f"- **{draft.kind}** ({draft.builder}) `{draft.generator_key}`"]
    lines.append(f"  - prompt: {draft.prompt}")
    for choice in draft.choices:
        mark = "[x]" if choice.is_correct else "[ ]"
        lines.append(f"  - {mark} {choice.text}")
    if draft.is_true is not None:
        lines.append(f"  - is true: {draft.is_true}")
    if draft.accepted_answers:
        lines.append("  - answers: " + " | ".join(draft.accepted_answers))
    for pair in draft.pairs:
        lines.append(f"  - pair: {pair.left} -> {pair.right}")
    lines.append(f"  - explanation: {draft.explanation}")
    if draft.warnings:
        lines.append("  - warnings: " + "; ".join(draft.warnings))
    for violation in violations:
        lines.append(f"  - VIOLATION {violation.rule}: {violation.message}")
    return lines


def text_report(result: Measured) -> list[str]:
    claims = result.essay.claims
    per_claim: dict[int | None, list[QuestionDraft]] = defaultdict(list)
    for draft in result.drafts:
        per_claim[draft.claim_index].append(draft)
    counts = Counter(v.rule for v in result.violations)
    lines = [
        f"## {result.name}",
        "",
        f"{len(claims)} claims, {len(result.drafts)} drafts, "
        f"{len(result.violations)} violations "
        + (", ".join(f"{r} {n}" for r, n in counts.items()) or "(none)"),
        "",
    ]
    for violation in result.violations:
        if violation.generator_key.startswith(("essay:", "quiz:")):
            lines.append(f"- ESSAY VIOLATION {violation.rule}: {violation.message}")
    for index, claim in enumerate(claims):
        source = "" if claim.is_question_source else " (not a question source)"
        lines += ["", f"### Claim {index}{source}", "", f"> {claim.question_text}"]
        if claim.context:
            lines.append(f"> (context: {claim.context})")
        lines.append("")
        for violation in result.by_key.get(f"claim:{claim.key}", []):
            lines.append(f"- CLAIM VIOLATION {violation.rule}: {violation.message}")
        for draft in per_claim.get(index, []):
            lines += draft_lines(draft, result.by_key.get(draft.generator_key, []))
    if per_claim.get(None):
        lines += ["", "### The whole essay", ""]
        for draft in per_claim[None]:
            lines += draft_lines(draft, result.by_key.get(draft.generator_key, []))
    return lines + [""]


def write_report(path: Path, results: list[Measured], summary: str) -> None:
    lines = ["# Question quality report", "", "```", summary, "```", ""]
    for result in results:
        lines += text_report(result)
    path.write_text("\n".join(lines), encoding="utf-8")


def write_sample(path: Path, results: list[Measured], size: int, seed: int) -> None:
    lines = [
        "# Drafts to judge",
        "",
        f"{size} drafts per text, drawn with seed {seed}. After each draft write "
        "good, fixable or bad on its verdict line.",
        "",
    ]
    for result in results:
        picker = random.Random(f"{seed}:{result.name}")
        chosen = sorted(
            picker.sample(range(len(result.drafts)), min(size, len(result.drafts)))
        )
        lines += [f"## {result.name}", ""]
        for number in chosen:
            draft = result.drafts[number]
            index = draft.claim_index
            if index is not None:
                lines.append(f"Claim: {result.essay.claims[index].question_text}")
            lines += draft_lines(draft, result.by_key.get(draft.generator_key, []))
            lines += ["", "verdict:", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--sample", type=int, default=0, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument("--sample-file", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    results = [measure(name, text) for name, text in corpus()]
    summary = tables(results)
    print(summary)
    seconds = sum(result.seconds for result in results)
    print(f"\n{len(results)} texts parsed and generated in {seconds:.2f} s")
    write_report(args.report, results, summary)
    print(f"report: {args.report}")
    if args.sample:
        write_sample(args.sample_file, results, args.sample, args.seed)
        print(f"sample: {args.sample_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
