from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "satupintu.integrations"
    verbose_name = "Integrasi"
