"""Password reset: the site's own pages, a link by email where the site
sends email, and the way for a student without one (their teacher)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_offers_a_way_back_in(client):
    page = client.get(reverse("login")).text
    assert f'href="{reverse("password_reset")}"' in page


def test_without_email_the_page_says_so_and_sends_nothing(client):
    user = UserFactory(email="anna@example.org")

    page = client.get(reverse("password_reset"))
    posted = client.post(reverse("password_reset"), {"email": user.email})

    assert "ask your teacher" in page.text
    assert "sends no email" in page.text
    assert 'type="email"' not in page.text
    assert "django-admin" not in page.text  # the site's look, not the admin's
    assert posted.status_code == 409
    assert not mail.outbox


def test_with_email_a_link_resets_the_password(client, settings):
    settings.EMAIL_CONFIGURED = True
    user = UserFactory(username="anna", email="anna@example.org")

    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert "Check your email" in client.get(response.url).text
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == "Your new PurgeQuiz password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kestrel-orbit-19", "new_password2": "Kestrel-orbit-19"},
        follow=True,
    )
    assert "Your password is changed" in done.text
    user.refresh_from_db()
    assert user.check_password("Kestrel-orbit-19")
    # Once only.
    assert "This link no longer works" in client.get(link, follow=True).text
