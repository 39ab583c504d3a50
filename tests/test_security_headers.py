"""Security headers: a strict Content-Security-Policy, Permissions-Policy,
HTTPS with HSTS when DJANGO_SECURE=1, and `check --deploy` clean with the
production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def test_every_page_carries_a_strict_content_security_policy():
    response = Client().get("/")
    policy = response["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    # htmx would add an inline <style> for its indicators: turned off.
    assert '"includeIndicatorStyles": false' in response.text


def test_the_browser_features_the_app_never_uses_are_off():
    policy = Client().get("/")["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_no_template_has_an_inline_script_or_style():
    """What the policy would refuse: a <script> without src, a <style>
    element, a style="" attribute or an on...="" handler."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=\"", re.I
    )
    found = [
        f"{path.relative_to(ROOT)}: {match.group()}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]

    assert not found


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_with_https_required_plain_http_is_redirected_and_https_is_remembered():
    client = Client()

    plain = client.get("/")
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST"))
    } | {
        "DJANGO_SECURE": "1",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-not-for-real-" + "x" * 30,
        "DJANGO_ALLOWED_HOSTS": "quiz.school.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
