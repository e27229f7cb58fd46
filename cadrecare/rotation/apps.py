from django.apps import AppConfig


class RotationConfig(AppConfig):
    name = "cadrecare.rotation"
    label = "rotation"
    verbose_name = "轮休排班"
