from django.apps import AppConfig


class HumasConfig(AppConfig):
    name = "satupintu.humas"
    verbose_name = "Humas"
