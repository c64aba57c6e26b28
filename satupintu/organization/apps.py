from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "satupintu.organization"
    verbose_name = "Organisasi"
