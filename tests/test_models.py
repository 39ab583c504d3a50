import pytest

from quizzes import essays
from tests.factories import EssayFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "heading", "prose"),
    [
        ("Causes: Bread was dear. Salt too.", "Causes", "Bread was dear. Salt too."),
        ("## Causes\n\nBread was dear.", "Causes", "Bread was dear."),
        ("Bread was dear.", "", "Bread was dear."),
        ("Causes of bread prices rose.", "Causes", "Causes of bread prices rose."),
    ],
)
def test_section_prose_leaves_out_its_heading(body, heading, prose):
    section = SectionFactory(essay=EssayFactory(body=body), heading=heading, start=0)
    assert section.prose == prose


def test_untitled_sections_are_labelled_by_their_opening_words():
    parsed = essays.parse("One two three four five six seven eight nine ten.")
    essay = EssayFactory(body=parsed.body)
    section = SectionFactory(essay=essay, heading="", start=0, end=len(parsed.body))
    assert section.label == "One two three four five six seven eight ..."
