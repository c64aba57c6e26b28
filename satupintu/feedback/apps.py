from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "satupintu.feedback"
    verbose_name = "Suara publik"
