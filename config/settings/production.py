"""Production: the base settings, made strict (docker-compose and the image use
this module). Every difference is a refusal or a secure default, never a new
behaviour: the process does not start without its own secret key, the hosts it
answers for and a PostgreSQL database, and `manage.py check --deploy` passes
with no warning (tests/cadrecare/core/test_production_settings.py).
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, DEV_SECRET_KEY, env


def _refuse(problem: str) -> None:
    raise ImproperlyConfigured(f"production settings: {problem} (see SECURITY.md, 'Deploying')")


SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
    _refuse("DJANGO_SECRET_KEY is not set; the development key is published in the repository")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    _refuse("DJANGO_SECRET_KEY is too short: use at least 50 random characters")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    _refuse("DJANGO_ALLOWED_HOSTS must name the host names the service answers for")

if not env("DATABASE_URL", default="") or DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    _refuse("DATABASE_URL must name the PostgreSQL database")

DEBUG = False
# The published demo password opens nothing here (cadrecare.org.auth), whoever seeded the demo.
DEMO_LOGINS = False

# TLS ends at the proxy (SECURITY.md): X-Forwarded-Proto is believed only from
# TRUSTED_PROXIES (cadrecare.core.middleware.TrustedProxyMiddleware).
SECURE_SSL_REDIRECT = True
# The compose health check asks the container itself, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
