from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "satupintu.core"
    verbose_name = "Inti"
