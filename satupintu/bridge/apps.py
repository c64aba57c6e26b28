from django.apps import AppConfig


class BridgeConfig(AppConfig):
    name = "satupintu.bridge"
    verbose_name = "Jembatan aplikasi lain"

    def ready(self) -> None:
        from satupintu.bridge import signals  # noqa: F401  (the catalog cache follows these rows)
