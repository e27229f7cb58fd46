"""Asia/Shanghai today and now: the calendar every rule is stated in."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.localtime()


def today() -> dt.date:
    return timezone.localdate()
