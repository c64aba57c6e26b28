"""What every part of the `satupintu` command does first (satupintu/cli.py, cli_models.py)."""

from __future__ import annotations

import os


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    import django

    django.setup()
