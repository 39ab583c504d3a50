from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from quizzes.models import (
    AcceptedAnswer,
    Assignment,
    Attempt,
    Card,
    Choice,
    Claim,
    Classroom,
    DeckSettings,
    Enrolment,
    Essay,
    MatchPair,
    Question,
    Quiz,
    QuizQuestion,
    Review,
    Section,
)
from quizzes.models.classes import new_join_code

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


# --- Flashcards ---


class DeckSettingsFactory(DjangoModelFactory):
    class Meta:
        model = DeckSettings
        django_get_or_create = ("essay",)

    essay = factory.SubFactory(EssayFactory)


class CardFactory(DjangoModelFactory):
    """A new card (never reviewed), due now."""

    class Meta:
        model = Card

    student = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    due = factory.LazyFunction(timezone.now)


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    card = factory.SubFactory(CardFactory)
    rating = Review.Rating.GOOD
    reviewed_at = factory.LazyFunction(timezone.now)
    state_before = factory.LazyAttribute(
        lambda o: {"state": 2, "last_review": None, "reps": 0}
    )


# --- Quizzes ---


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz

    title = factory.Sequence(lambda n: f"Quiz {n}")
    essay = factory.SubFactory(EssayFactory)
    shuffle_choices = False
    is_published = True
    # Open to every student, so that tests of sitting a quiz need no class;
    # tests of who may sit one (tests/test_assignments_student.py) close it.
    open_practice = True


class QuizQuestionFactory(DjangoModelFactory):
    class Meta:
        model = QuizQuestion

    quiz = factory.SubFactory(QuizFactory)
    question = factory.SubFactory(
        QuestionFactory, essay=factory.SelfAttribute("..quiz.essay")
    )
    order = factory.Sequence(lambda n: n)


class AttemptFactory(DjangoModelFactory):
    """An open attempt over the quiz's questions in quiz order."""

    class Meta:
        model = Attempt

    quiz = factory.SubFactory(QuizFactory)
    student = factory.SubFactory(UserFactory)
    seed = 12345
    question_ids = factory.LazyAttribute(
        lambda o: list(
            o.quiz.items.order_by("order", "id").values_list("question_id", flat=True)
        )
    )
    started_at = factory.LazyFunction(timezone.now)
    max_points = factory.LazyAttribute(lambda o: len(o.question_ids))


def true_false_question(*, is_true: bool = True, **kwargs) -> Question:
    return QuestionFactory(kind=Question.Kind.TRUE_FALSE, is_true=is_true, **kwargs)


def multiple_answer_question(**kwargs) -> Question:
    """Right: A and B; wrong: C and D."""
    question = QuestionFactory(kind=Question.Kind.MULTIPLE, **kwargs)
    for order, (text, right) in enumerate(
        [("Right A", True), ("Right B", True), ("Wrong C", False), ("Wrong D", False)]
    ):
        ChoiceFactory(question=question, text=text, is_correct=right, order=order)
    return question


def cloze_question(*, answers=("Yezhov",), **kwargs) -> Question:
    kwargs.setdefault("prompt", "The NKVD chief was _____.")
    question = QuestionFactory(kind=Question.Kind.CLOZE, **kwargs)
    for text in answers:
        AcceptedAnswerFactory(question=question, text=text)
    return question


def matching_question(*, pairs=None, **kwargs) -> Question:
    question = QuestionFactory(kind=Question.Kind.MATCHING, **kwargs)
    pairs = pairs or [("Kirov", "Murdered 1934"), ("Yezhov", "NKVD chief")]
    for order, (left, right) in enumerate(pairs):
        MatchPairFactory(question=question, left=left, right=right, order=order)
    return question


def quiz_with(questions, **kwargs) -> Quiz:
    """A published quiz of these questions, in this order."""
    quiz = QuizFactory(essay=questions[0].essay, **kwargs)
    for order, question in enumerate(questions):
        QuizQuestionFactory(quiz=quiz, question=question, order=order)
    return quiz


# --- Classes -------------------------------------------------------------------


class ClassroomFactory(DjangoModelFactory):
    """A class taught by ``teacher`` (a new teacher unless given), with
    ``students`` enrolled: ``ClassroomFactory(teacher=t, students=[a, b])``."""

    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n}")
    join_code = factory.LazyFunction(new_join_code)

    @factory.post_generation
    def teacher(obj, create, extracted, **kwargs):
        if create:
            obj.teachers.add(extracted or TeacherFactory())

    @factory.post_generation
    def students(obj, create, extracted, **kwargs):
        if create and extracted:
            for student in extracted:
                EnrolmentFactory(classroom=obj, student=student)


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(UserFactory)
    joined_at = factory.LazyFunction(timezone.now)


class AssignmentFactory(DjangoModelFactory):
    """A quiz given to a class, open from a day ago and due in a week."""

    class Meta:
        model = Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    kind = Assignment.Kind.QUIZ
    quiz = factory.SubFactory(QuizFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class CardGoalFactory(AssignmentFactory):
    """A flashcard goal on an essay: 90 % predicted recall by the due date."""

    kind = Assignment.Kind.CARDS
    quiz = None
    essay = factory.SubFactory(EssayFactory)
    target_recall = 0.9
