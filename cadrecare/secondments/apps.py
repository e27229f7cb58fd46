from django.apps import AppConfig


class SecondmentsConfig(AppConfig):
    name = "cadrecare.secondments"
    label = "secondments"
    verbose_name = "挂职、跟班见习与借调"
