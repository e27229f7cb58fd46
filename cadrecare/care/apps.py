from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "cadrecare.care"
    label = "care"
    verbose_name = "家属、走访慰问与乡镇条件"
