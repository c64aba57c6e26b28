from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "satupintu.notifications"
    verbose_name = "Notifikasi"
