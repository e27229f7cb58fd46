from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cadrecare.oversight"
    label = "oversight"
    verbose_name = "交流研判、定期约谈与组织部长下基层"

    def ready(self) -> None:
        # The post history and the talks close the plans' lines inside their own transactions.
        from cadrecare.core.listeners import listen
        from cadrecare.org.services import cadre_status_listeners, post_change_listeners
        from cadrecare.oversight.services import (
            interview_lines_close_for_talk,
            interview_lines_end_with_service,
            oversight_items_follow_post_change,
        )
        from cadrecare.talks.services import talk_listeners

        listen(post_change_listeners, oversight_items_follow_post_change)
        listen(cadre_status_listeners, interview_lines_end_with_service)
        listen(talk_listeners, interview_lines_close_for_talk)
