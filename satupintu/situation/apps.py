from django.apps import AppConfig
from django.core import checks


class SituationConfig(AppConfig):
    name = "satupintu.situation"
    verbose_name = "Situation Room"

    def ready(self) -> None:
        checks.register(warning_settings_check)


def warning_settings_check(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """The early-warning weights and thresholds (SITUATION_WARNING_*) at `satupintu check`, not
    first when the scheduled computation or /situasi/kewaspadaan/ reads them."""
    from satupintu.core.env import ConfigError
    from satupintu.situation.warning import warning_config

    try:
        warning_config()
    except ConfigError as exc:
        return [checks.Error(str(exc), id="satupintu.E001")]
    return []
