from django.apps import apps

from cadrecare.care.services import family_event_listeners
from cadrecare.org.services import cadre_status_listeners, post_change_listeners
from cadrecare.rotation.problem import hardship_sources
from cadrecare.talks.services import talk_listeners

SUBSCRIBERS = ("care", "talks", "oversight")


def test_an_app_made_ready_again_subscribes_each_listener_once() -> None:
    # Django may call ready() more than once; a listener added twice would act twice on one event.
    lists = (post_change_listeners, cadre_status_listeners, family_event_listeners, talk_listeners, hardship_sources)
    before = [list(listeners) for listeners in lists]
    assert all(before), "each list has its subscribers once Django has started"

    for label in SUBSCRIBERS:
        apps.get_app_config(label).ready()

    assert [list(listeners) for listeners in lists] == before
