from django.apps import AppConfig


class EstablishmentConfig(AppConfig):
    name = "cadrecare.establishment"
    label = "establishment"
    verbose_name = "乡镇编制与借用"
