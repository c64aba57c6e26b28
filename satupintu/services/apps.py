from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "satupintu.services"
    verbose_name = "Layanan"

    def ready(self) -> None:
        from satupintu.services import signals  # noqa: F401  (connects the cache invalidation)
