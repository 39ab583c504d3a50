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


def test_a_section_is_named_by_its_heading_else_by_its_number():
    parsed = essays.parse("One two three four five six seven eight nine ten.")
    essay = EssayFactory(body=parsed.body)
    untitled = SectionFactory(
        essay=essay, heading="", order=2, start=0, end=len(parsed.body)
    )
    titled = SectionFactory(essay=essay, heading="Origins", order=3)
    assert (untitled.label, str(untitled)) == ("Section 3", "Section 3")
    assert (titled.label, str(titled)) == ("Origins", "Origins")
    assert untitled.opening == "One two three four five six seven eight …"
