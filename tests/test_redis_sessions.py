"""With REDIS_URL (several app servers): sessions are read from Redis and
written through to the database, so every server sees a login and a Redis
restart logs nobody out."""

import os

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
        "KEY_PREFIX": "purgequiz-test",
    }
}


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        # The machines this runs on serve Redis at 127.0.0.1:6379, as they
        # serve PostgreSQL: a missing one fails, never skips.
        raise AssertionError(f"no Redis at {REDIS} (set REDIS_URL)") from error
    with override_settings(
        CACHES=REDIS_CACHE,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_a_login_is_seen_by_another_server_and_outlives_redis(redis_cache, student):
    one, other = Client(), Client()
    one.force_login(student)
    key = one.cookies["sessionid"].value

    # Another app server: the same cookie, the session from Redis.
    other.cookies["sessionid"] = key
    assert other.get("/").context["user"] == student
    assert redis_cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    # Redis restarted with nothing kept: the database still has it.
    redis_cache.clear()
    assert Session.objects.filter(session_key=key).exists()
    assert other.get("/").context["user"] == student
