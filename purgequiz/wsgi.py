import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from purgequiz.settings import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purgequiz.settings")
application = get_wsgi_application()
# Servers (gunicorn, or runserver without DEBUG) must not sign sessions with
# the key that is in the repository.
require_secret_key(debug=settings.DEBUG, secret_key=settings.SECRET_KEY)
