"""Times read as the page's language writes them: 14.30 in Indonesian, 14:30 in English (English
pages read "Due 06-12-2026 14.30", like a decimal)."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from satupintu.core import clock
from satupintu.notifications.models import OutboxMessage
from tests.services.test_applicant_language import _receipt

TEMPLATES = Path(__file__).resolve().parents[2] / "satupintu" / "templates"
AT = datetime(2026, 12, 7, 14, 5, 9, tzinfo=ZoneInfo("Asia/Jakarta"))  # the default zone


@pytest.mark.parametrize(("language", "expected"), [
    ("id", "Senin, 07-12-2026 14.05 · 14.05.09 · 08.30"),
    ("en", "Monday, 7 Dec 2026 14:05 · 14:05:09 · 08:30"),
])
def test_the_when_filter_writes_the_clock_in_the_pages_language(language, expected):
    page = Template('{{ at|when:"l, d-m-Y H.i" }} · {{ at|when:"H.i.s" }} · {{ opens|when:"H.i" }}')
    with translation.override(language):
        assert page.render(Context({"at": AT, "opens": time(8, 30)})) == expected


def test_it_keeps_the_zone_a_template_gave_the_time():
    page = Template('{% load tz %}{{ at|timezone:"Asia/Jayapura"|when:"d-m-Y H.i" }}')
    assert page.render(Context({"at": AT})) == "07-12-2026 16.05"


def test_what_is_not_a_date_reads_as_nothing():
    assert Template('[{{ x|when:"H.i" }}]').render(Context({"x": "besok"})) == "[]"
    assert Template('[{{ x|when:"H.i" }}]').render(Context({"x": None})) == "[]"


def test_python_patterns_too():
    with translation.override("en"):
        assert clock.strf("%d/%m %H.%M") == "%-d %b %H:%M" and clock.pattern("d.m.Y H.i") == "d.m.Y H:i"
        # A day as numbers reads one way only with its month's name ("02-12": 12 February to many).
        assert [clock.pattern(f) for f in ("d-m-Y", "d/m/Y H.i T", "d-m H.i", "l, j F Y")] == [
            "j M Y", "j M Y H:i T", "j M H:i", "l, j F Y"]
        assert AT.strftime(clock.strf("%d-%m-%Y %H.%M")) == "7 Dec 2026 14:05"
    with translation.override("id"):
        assert clock.strf("%d/%m %H.%M") == "%d/%m %H.%M"


def test_an_office_page_in_english_writes_its_hours_with_colons(people):
    c = Client()
    page = c.get("/kantor/73.22/").content.decode()
    assert re.search(r"08\.00–16\.00 WITA", page), page[page.find("office-hours"):][:200]
    c.cookies["django_language"] = "en"
    page = c.get("/kantor/73.22/").content.decode()
    assert re.search(r"08:00–16:00 WITA", page), page[page.find("office-hours"):][:200]


def test_the_english_receipt_mail_writes_the_due_time_with_a_colon(people):
    _receipt("en")
    body = OutboxMessage.objects.get(recipient="andi@contoh.id").body
    assert re.search(r"Expected completion: \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d WITA", body), body


def test_no_template_writes_a_clock_past_the_when_filter():
    # |date:"… H.i" writes 14.30 on English pages too; |when writes the clock as the page's language.
    bare = [f"{p.relative_to(TEMPLATES)}: {m.group(0)}" for p in sorted(TEMPLATES.rglob("*.html"))
            for m in re.finditer(r'\|(?:date|time):"[^"]*[HGhg][.:]i[^"]*"', p.read_text(encoding="utf-8"))]
    assert not bare, f"use |when for these: {bare}"
    # |date:"d-m-Y" writes 02-12-2026 on English pages too; |when names the month there.
    numeric = [f"{p.relative_to(TEMPLATES)}: {m.group(0)}" for p in sorted(TEMPLATES.rglob("*.html"))
               for m in re.finditer(r'\|date:"[^"]*\bd[-/]m[^"]*"', p.read_text(encoding="utf-8"))]
    assert not numeric, f"use |when for these: {numeric}"
