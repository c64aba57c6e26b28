from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "satupintu.services"
    verbose_name = "Layanan"
