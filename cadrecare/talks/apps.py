from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "cadrecare.talks"
    label = "talks"
    verbose_name = "六必谈与谈心谈话"

    def ready(self) -> None:
        # Source events recorded elsewhere raise their must-talk inside the
        # recording transaction, so the event and its trigger land together.
        from cadrecare.org.services import post_change_listeners
        from cadrecare.talks.services import talk_trigger_for_post_change

        if talk_trigger_for_post_change not in post_change_listeners:
            post_change_listeners.append(talk_trigger_for_post_change)

        from cadrecare.care.services import family_event_listeners
        from cadrecare.talks.services import talk_trigger_for_recorded_family_event

        if talk_trigger_for_recorded_family_event not in family_event_listeners:
            family_event_listeners.append(talk_trigger_for_recorded_family_event)
