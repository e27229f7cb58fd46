from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "cadrecare.org"
    label = "org"
    verbose_name = "组织与干部"
