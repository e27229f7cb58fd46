from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cadrecare.core"
    verbose_name = "基础"
