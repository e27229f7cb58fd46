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

        # org sends a new login's password by SMS through this stand-in: org imports no app above it.
        from cadrecare.core import providers
        from cadrecare.reminders import channels

        providers.provide(providers.channels_stand_in, channels)
