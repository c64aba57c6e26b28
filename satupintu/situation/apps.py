from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "satupintu.situation"
    verbose_name = "Situation Room"
