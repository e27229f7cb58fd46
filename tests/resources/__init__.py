"""Every API resource as a case of the authorisation matrix.

Each case says how to make a record in scope (township A1, about cadre A1, so
the cadre role reaches it too), a record out of scope for township A1's people
(township B1) and a valid payload creating a record in township A1. The
matrix (tests/cadrecare/test_access_matrix.py) expects what
cadrecare.org.access.ACCESS says; a new resource joins by adding a case to its
app's module here.

The cases are kept one module per app; ``CASES`` is all of them.
"""

from tests.resources import care, health, org, oversight, reminders, rotation, selfservice, talks
from tests.resources.common import Factory, ResourceCase

CASES: list[ResourceCase] = [
    *org.CASES,
    *rotation.CASES,
    *reminders.CASES,
    *health.CASES,
    *talks.CASES,
    *care.CASES,
    *oversight.CASES,
    *selfservice.CASES,
]

__all__ = ["CASES", "Factory", "ResourceCase"]
