from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "satupintu.api"
    verbose_name = "API"
