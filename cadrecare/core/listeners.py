"""How an app subscribes to another's events: the lists of callbacks a service
calls inside its transaction (``org.services.post_change_listeners``,
``care.services.family_event_listeners``, ``rotation.problem.hardship_sources``
and the like), so the app that records the event imports none of those that
act on it. Each app adds its callbacks in its ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

Listener = TypeVar("Listener", bound=Callable[..., object])


def listen(listeners: list[Listener], *fns: Listener) -> None:
    """Add each of ``fns`` to ``listeners`` once: Django may call ``ready``
    more than once (tests that reload the app registry), and a callback added
    twice would act twice on one event."""
    for fn in fns:
        if fn not in listeners:
            listeners.append(fn)
