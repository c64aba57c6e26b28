from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "satupintu.citizen"
    verbose_name = "Akun warga"
