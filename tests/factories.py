import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from quizzes.models import (
    AcceptedAnswer,
    Choice,
    Claim,
    Essay,
    MatchPair,
    Question,
    Section,
)

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"student{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    is_staff = True

    @factory.post_generation
    def teachers_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name="Teachers"))


class EssayFactory(DjangoModelFactory):
    class Meta:
        model = Essay

    title = factory.Sequence(lambda n: f"Essay {n}")
    slug = factory.Sequence(lambda n: f"essay-{n}")
    body = "Heading: The first claim is here. The second claim follows."


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    essay = factory.SubFactory(EssayFactory)
    order = factory.Sequence(lambda n: n)
    heading = "Heading"
    start = 0
    end = factory.LazyAttribute(lambda o: len(o.essay.body))


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    section = factory.SubFactory(SectionFactory)
    essay = factory.SelfAttribute("section.essay")
    order = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"claim-{n}")
    text = factory.LazyAttribute(lambda o: o.essay.body[o.start : o.end])
    start = 9
    end = 33


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    essay = factory.SubFactory(EssayFactory)
    claim = None
    kind = Question.Kind.SINGLE
    status = Question.Status.PUBLISHED
    origin = Question.Origin.AUTHORED
    prompt = factory.Sequence(lambda n: f"Question {n}: which is right?")
    explanation = "Because the essay says so."


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False
    order = factory.Sequence(lambda n: n)


class AcceptedAnswerFactory(DjangoModelFactory):
    class Meta:
        model = AcceptedAnswer

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.CLOZE)
    text = factory.Sequence(lambda n: f"answer {n}")


class MatchPairFactory(DjangoModelFactory):
    class Meta:
        model = MatchPair

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.MATCHING)
    left = factory.Sequence(lambda n: f"Left {n}")
    right = factory.Sequence(lambda n: f"Right {n}")
    order = factory.Sequence(lambda n: n)


def single_choice_question(**kwargs) -> Question:
    """A published single-choice question with one right and two wrong choices."""
    question = QuestionFactory(kind=Question.Kind.SINGLE, **kwargs)
    ChoiceFactory(question=question, text="Right answer", is_correct=True, order=0)
    ChoiceFactory(question=question, text="Wrong answer A", order=1)
    ChoiceFactory(question=question, text="Wrong answer B", order=2)
    return question
