from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadrecare.audit"
    label = "audit"
    verbose_name = "审计"
