from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "satupintu.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp Layanan"
