from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "cadrecare.health"
    label = "health"
    verbose_name = "健康体检"
