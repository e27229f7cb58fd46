from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "cadrecare.org"
    label = "org"
    verbose_name = "组织与干部"

    def ready(self) -> None:
        # core's API base asks the scope rules through this stand-in: core imports no domain app.
        from cadrecare.core import providers
        from cadrecare.org import scoping

        providers.provide(providers.scoping_stand_in, scoping)
