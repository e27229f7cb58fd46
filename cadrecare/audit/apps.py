from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadrecare.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        # core's API base and imports write the audit log through this stand-in: core imports no domain app.
        from cadrecare.audit import services
        from cadrecare.core import providers

        providers.provide(providers.audit_stand_in, services)
