"""Public pages cost a fixed handful of queries, not one per office listed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_service_page_lists_every_office_in_a_few_queries():
    c = Client()
    c.get("/layanan/legalisir-ijazah-madrasah/")  # warm caches (catalog fragments, sessions)
    with CaptureQueriesContext(connection) as ctx:
        page = c.get("/layanan/legalisir-ijazah-madrasah/")
    assert page.status_code == 200 and '<option value="73.22">' in page.content.decode()
    assert len(ctx.captured_queries) <= 10  # was 43: one per Kanwil for its Kankemenags
