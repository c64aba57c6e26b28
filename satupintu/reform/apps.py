from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "satupintu.reform"
    verbose_name = "Reformasi birokrasi (terobosan, Zona Integritas)"
