from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "cadrecare.talks"
    label = "talks"
    verbose_name = "六必谈与谈心谈话"

    def ready(self) -> None:
        # Source events recorded elsewhere raise their must-talk inside the
        # recording transaction, so the event and its trigger land together;
        # a cadre's leaving a unit or ending service closes what no longer applies.
        from cadrecare.core.listeners import listen
        from cadrecare.org.services import cadre_status_listeners, post_change_listeners
        from cadrecare.talks.services import (
            interview_items_end_on_move,
            talk_items_end_with_service,
            talk_trigger_for_post_change,
        )

        listen(post_change_listeners, talk_trigger_for_post_change, interview_items_end_on_move)
        listen(cadre_status_listeners, talk_items_end_with_service)

        from cadrecare.care.services import family_event_listeners
        from cadrecare.talks.services import talk_trigger_for_recorded_family_event

        listen(family_event_listeners, talk_trigger_for_recorded_family_event)
