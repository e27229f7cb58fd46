"""How every task retries (docs/reliability.md, "Retries"): only on a database
that went away, with exponential backoff and jitter up to 10 minutes, at most
five times. Anything else is a bug to see in the job run, not to loop on."""

from collections.abc import Sequence
from typing import TypedDict

from cadrecare.core.errors import TRANSIENT_DB_ERRORS


class RetryOptions(TypedDict):
    """The retry keywords of ``shared_task``, typed so the decorator's overloads check them."""

    autoretry_for: Sequence[type[BaseException]]
    retry_backoff: bool
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


RETRY: RetryOptions = {
    "autoretry_for": TRANSIENT_DB_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}
