from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    verbose_name = "Dokumen terbitan"
