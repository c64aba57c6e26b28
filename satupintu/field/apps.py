from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "satupintu.field"
    verbose_name = "Laporan lapangan"
