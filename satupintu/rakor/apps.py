from django.apps import AppConfig


class RakorConfig(AppConfig):
    name = "satupintu.rakor"
    verbose_name = "Rakor"
