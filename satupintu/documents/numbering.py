"""Official letter numbers (nomor naskah dinas) of an office.

Kemenag letters read like ``B-123/Kk.21.14/PP.00/12/2026``: the nature (B = biasa), the
office's running number for the year, the office's code, the archive classification, the month
and the year. The format is a setting (DOCUMENT_NUMBER_FORMAT) because offices differ in the
parts they include (some add the unit's code).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from satupintu.documents.models import LetterSequence, OfficeSigning
from satupintu.organization.models import Office


def letter_code(office: Office) -> str:
    """The office's code on its letters: its own setting, else one derived from its region
    code (a Kanwil ``Kw.73``, a Kankemenag ``Kk.73.22``) until the office sets the ministry's."""
    signing = OfficeSigning.objects.filter(office=office).first()
    if signing and signing.letter_code:
        return signing.letter_code
    if office.level == "pusat":
        return "KMA"
    return f"{'Kw' if office.level == 'kanwil' else 'Kk'}.{office.code}"


def next_number(office: Office, *, classification: str, at: datetime) -> str:
    """Take the office's next number for the year of ``at`` (a row lock: two signatures at the
    same moment never share a number). Month and year are the office's own, as the letter's date
    is: 01.30 WITA on 1 January is a letter of January, not of December in UTC."""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(office.timezone)) if at.tzinfo else at
    with transaction.atomic():
        LetterSequence.objects.get_or_create(office=office, year=local.year)
        seq = LetterSequence.objects.select_for_update().get(office=office, year=local.year)
        seq.last += 1
        seq.save(update_fields=["last"])
    return settings.DOCUMENT_NUMBER_FORMAT.format(
        seq=seq.last, office=letter_code(office), classification=classification or "PP.00",
        month=local.month, year=local.year)
