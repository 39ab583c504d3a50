"""The quiz an import with "publish" makes of an essay's drafts, without a
database: every draft a candidate, as services.quizzes shows them to
``compose_quiz`` (prompt, explanation, choices with feedback, pairs)."""

from __future__ import annotations

from quizzes.essays import ParsedEssay
from quizzes.generation import QuestionDraft, QuizCandidate, compose_quiz


def essay_quiz(essay: ParsedEssay, drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    claims = essay.claims
    candidates = []
    for number, draft in enumerate(drafts):
        shown = [draft.prompt, draft.explanation]
        shown += [text for c in draft.choices for text in (c.text, c.feedback)]
        shown += [text for p in draft.pairs for text in (p.left, p.right)]
        index = draft.claim_index
        candidates.append(
            QuizCandidate(
                id=number,
                claim=None if index is None else claims[index].key,
                kind=draft.kind,
                key=draft.generator_key,
                shown="\n".join(shown),
                is_true=draft.is_true,
            )
        )
    texts = {claim.key: claim.text for claim in claims}
    return [drafts[number] for number in compose_quiz(candidates, texts)]
