"""Internal signals as items: the public's complaints and aspirations (#3) flow into the room
beside the news, so public mood and service quality are read in one place.

Confidential and integrity reports never enter (they are the Inspectorate's); the rest enter
with NIKs, phone numbers, e-mail addresses, the reporter's name and street addresses masked,
placed in the region of the office they were sent to when their text names no place.
"""

from __future__ import annotations

from django.db.models import Q

from satupintu.core.bilingual import text_in
from satupintu.core.privacy import mask_known_people
from satupintu.feedback.models import Report, ReportKind
from satupintu.organization.reference import place_words
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import INTERNAL_SOURCE_NAME, Item, Source, SourceKind
from satupintu.situation.store import save_raw_items

BATCH = 200


def internal_source() -> Source:
    source, _ = Source.objects.get_or_create(kind=SourceKind.INTERNAL, defaults={"name": INTERNAL_SOURCE_NAME})
    return source


def _masked(report: Report, text: str) -> str:
    """What staff everywhere may read of a report: besides NIKs, numbers and e-mail addresses,
    the reporter's own name and street addresses (their job is the issue, not who raised it)."""
    return mask_known_people(text, [report.reporter_name], keep=place_words())


def sync_reports(limit: int = 2000) -> int:
    """Bring reports not yet in the room in (oldest first); returns how many items were added."""
    source = internal_source()
    if not source.active:
        return 0
    done = set(Item.objects.filter(source=source).values_list("external_id", flat=True))
    reports = (Report.objects.filter(kind__in=[ReportKind.COMPLAINT, ReportKind.ASPIRATION], confidential=False,
                                     integrity=False)
               .exclude(tracking_code__in=done).select_related("office").order_by("submitted_at")[:limit])
    added = 0
    by_office: dict[str, list[RawItem]] = {}
    for report in reports:
        by_office.setdefault(report.office.code, []).append(RawItem(
            external_id=report.tracking_code, title=_masked(report, report.title), text=_masked(report, report.text),
            published_at=report.submitted_at, author=text_in("id", ReportKind(report.kind).label)))
    for office_code, raws in by_office.items():
        region = "" if office_code == "pusat" else office_code
        for i in range(0, len(raws), BATCH):
            added += len(save_raw_items(source, raws[i:i + BATCH], region_code=region))
    # A report made an integrity report while this run analysed it: its withdrawal found no item yet,
    # and the item was written after. Taken out here (and at the next run, whatever the timing).
    withdrawn = Report.objects.filter(Q(integrity=True) | Q(confidential=True)).values("tracking_code")
    Item.objects.filter(source=source, external_id__in=withdrawn).delete()
    return added


def withdraw_report(tracking_code: str) -> int:
    """Take a report back out of the room (it became an integrity report after it entered):
    the inspectorate's alone from then on. Returns how many items were removed."""
    deleted, _ = Item.objects.filter(source__kind=SourceKind.INTERNAL, external_id=tracking_code).delete()
    return deleted
