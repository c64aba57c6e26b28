"""Citizens search with their own words: "nikah" finds the marriage advice of BP4 too (it found two
services and missed it), on a fresh database and on one made before the words were shipped."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from satupintu.services import catalog
from satupintu.services.models import Service

pytestmark = pytest.mark.django_db
BP4 = "rekomendasi-penasihatan-perkawinan-bp4"


def test_nikah_finds_the_bp4_marriage_advice():
    assert BP4 in [s.slug for s in catalog.service_search(q="nikah")]


def test_an_older_database_gets_the_new_words_beside_its_own():
    Service.objects.filter(slug=BP4).update(keywords=["BP4", "kata admin"])
    catalog.bump_catalog_version()
    assert BP4 not in [s.slug for s in catalog.service_search(q="nikah")]
    migration = importlib.import_module("satupintu.services.migrations.0010_catalog_keywords")
    migration.add_keywords(apps, None)
    catalog.bump_catalog_version()
    keywords = Service.objects.get(slug=BP4).keywords
    assert keywords[:2] == ["BP4", "kata admin"] and "nikah" in keywords and keywords.count("BP4") == 1
    assert BP4 in [s.slug for s in catalog.service_search(q="nikah")]
