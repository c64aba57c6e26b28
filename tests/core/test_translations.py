"""English is complete: every word the code and templates mark for translation has an English
translation (none missing, none "fuzzy", which Django would not use), and the compiled catalogue
the product loads is the one the .po file gives (a forgotten `compilemessages` shows Indonesian).

Django's `makemessages` (GNU gettext's xgettext) reads the sources of a copy of the package, so the
committed .po file is left as it is."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.once

PACKAGE = Path(__file__).resolve().parents[2] / "satupintu"
EN = PACKAGE / "locale" / "en" / "LC_MESSAGES"


def _statistics(po: Path) -> str:
    done = subprocess.run(["msgfmt", "--check-format", "--statistics", "-o", os.devnull, str(po)],
                          capture_output=True, text=True, check=True)
    return done.stderr.strip()


def test_every_marked_string_has_an_english_translation(tmp_path: Path) -> None:
    copy = tmp_path / "satupintu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.skops", "static", "models"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
                   cwd=copy, env=env, capture_output=True, check=True, timeout=300)
    stats = _statistics(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert "translated messages" in stats and "fuzzy" not in stats and "untranslated" not in stats, stats


def test_the_compiled_english_catalogue_is_the_po_files(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(EN / "django.po")], check=True)
    with fresh.open("rb") as f:
        expected = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    with (EN / "django.mo").open("rb") as f:
        shipped = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    missing = sorted(str(k)[:80] for k in expected.keys() - shipped.keys())
    changed = sorted(str(k)[:80] for k in expected.keys() & shipped.keys() if expected[k] != shipped[k])
    assert not missing and not changed, f"run compilemessages: missing {missing[:5]}, changed {changed[:5]}"
