from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "cadrecare.training"
    label = "training"
    verbose_name = "培训、参观考察与工作交流"
