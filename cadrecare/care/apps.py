from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "cadrecare.care"
    label = "care"
    verbose_name = "家属、走访慰问与乡镇条件"

    def ready(self) -> None:
        # A cadre's service ending closes the visits that no longer apply, in the same transaction.
        from cadrecare.care.services import visits_end_with_service
        from cadrecare.core.listeners import listen
        from cadrecare.org.services import cadre_status_listeners

        listen(cadre_status_listeners, visits_end_with_service)

        # A cadre with an open hardship case is favoured in the roster, as one who asked (rotation.problem).
        from cadrecare.care.selectors import cadres_with_hardship
        from cadrecare.rotation.problem import hardship_sources

        listen(hardship_sources, cadres_with_hardship)
