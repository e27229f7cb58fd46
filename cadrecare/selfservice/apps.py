from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "cadrecare.selfservice"
    label = "selfservice"
    verbose_name = "干部自助"
