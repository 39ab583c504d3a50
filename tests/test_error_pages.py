import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_post_over_the_size_limit_gets_a_page_that_says_why(
    teacher, settings, client
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.login(username=teacher.username, password=PASSWORD)

    response = client.post(
        reverse("admin:quizzes_essay_import"), {"text": "Essay text. " * 200}
    )

    assert response.status_code == 400
    assert "an essay may be at most 1 MB" in response.content.decode()


def test_an_expired_form_asks_the_student_to_reload(student):
    client = Client(enforce_csrf_checks=True)
    client.login(username=student.username, password=PASSWORD)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert "Please reload the page" in response.content.decode()
