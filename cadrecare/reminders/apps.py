from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "cadrecare.reminders"
    label = "reminders"
    verbose_name = "提醒与督办"

    def ready(self) -> None:
        # Each app declares its due-item kinds in ``<app>/due.py``; importing
        # them here registers them once, whatever process starts (web, worker).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("due")
