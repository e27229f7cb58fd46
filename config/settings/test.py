"""Tests: the base settings with speed knobs only, on real servers.

``make test`` names PostgreSQL and Redis (scripts/test_services.py starts
throwaway ones when the standard ports do not answer); a bare ``pytest`` gets
the same local servers, never ``make run``'s SQLite and in-memory defaults,
which would pass tests that PostgreSQL fails and fail tests it passes.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

from config.settings.base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Jobs in tests run at the real time of day (a Celery task, a worker): with the
# service's quiet hours (18:00-08:00) a suite started in the evening would hold
# every notice and pass or fail by the clock. Specs of quiet hours set them.
REMINDERS_QUIET_HOURS = ""
