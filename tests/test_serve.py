"""`make serve`: the production stack (DEBUG off, collected static files,
gunicorn) answers on loopback, with its security headers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "purgequiz"))


def test_workers_follow_the_cpu_count():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", ROOT / "purgequiz" / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)

    assert conf.workers_for(1) == 3
    assert conf.workers_for(8) == 17
    assert conf.workers >= 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app_with_production_settings(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST"))
    } | {
        "DJANGO_SECRET_KEY": "serve-test-" + "s" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    python = sys.executable
    manage = [python, "manage.py"]
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + step, cwd=ROOT, env=env, check=True, timeout=120)
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "purgequiz/gunicorn.conf.py", "purgequiz.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.2)
        html = page.read().decode()
        assert page.status == 200
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        # Hashed static files (whitenoise serves them, cached for ever).
        css = html.split('href="/static/css/app.', 1)[1].split('"', 1)[0]
        assert css.count(".") == 1  # "<hash>.css"
        static = urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/css/app.{css}", timeout=5
        )
        assert static.status == 200
        assert "max-age=315360000" in static.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)
