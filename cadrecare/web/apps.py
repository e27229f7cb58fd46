from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cadrecare.web"
    verbose_name = "工作台"
