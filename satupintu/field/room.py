"""A verified field report becomes an item of the Situation Room, beside the news and the
complaints (situation/internal.py), through the same pipeline (topics, sentiment, issues).

Never public: the room is for staff only, and the item carries what happened, not who said
it: no reporter name, NIKs and phone numbers in the text masked (store.save_raw_items masks
every way in), no photos. Its place is the report's regency (a fact, not read from the text).
"""

from __future__ import annotations

from django.utils import translation

from satupintu.field.locations import district_name, regency_names
from satupintu.field.models import FieldReport
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import FIELD_SOURCE_NAME, Item, Source, SourceKind
from satupintu.situation.store import save_raw_items


def field_source() -> Source:
    source, _ = Source.objects.get_or_create(kind=SourceKind.FIELD, defaults={"name": FIELD_SOURCE_NAME})
    return source


def _title(report: FieldReport) -> str:
    with translation.override("id"):  # stored data: the room's language, whoever verified
        place = regency_names().get(report.regency_code, report.regency_code)
        if report.district_code:
            place = f"Kecamatan {district_name(report.district_code)}, {place}"
        return f"{report.get_category_display()} ({report.get_urgency_display()}): {place}"


def add_to_room(report: FieldReport) -> Item:
    """The report's item (made once: a second call finds the first)."""
    source = field_source()
    raw = RawItem(external_id=str(report.pk), title=_title(report), text=report.description,
                  author="Laporan lapangan", published_at=report.occurred_at)
    items = save_raw_items(source, [raw], region_code=report.regency_code, region_known=True)
    return items[0] if items else Item.objects.get(source=source, external_id=str(report.pk))
