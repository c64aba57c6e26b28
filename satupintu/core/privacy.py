"""Masking of personal data for lists and logs, and the audit of every unmasked view.

Free text (complaints, aspirations, Situation Room items, log lines) is masked with
`mask_free_text`: people write numbers the way they say them, ``7322 0157 0890 0001``,
``0812-3456-7890``, ``+62 812 3456 7891``, ``(0812) 345.678``, ``(0411) 450-001``, so the digits
are read across spaces, dots, dashes and brackets before deciding what they are.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

NIK_LABEL = "[NIK]"
PHONE_LABEL = "[nomor telepon]"
EMAIL_LABEL = "[email]"
NAME_LABEL = "[nama]"
ADDRESS_LABEL = "[alamat]"

# A run of digit groups joined by at most a couple of separator characters ("-", " - ", ") "),
# standing alone: not inside a word, where an underscore counts as a space (a file named
# "KTP_7322015708900001_Ahmad.png" names its NIK).
# Separators as people's devices write them too: no-break, thin and figure spaces; the hyphens,
# en and em dashes Word and phones put in (" - " autocorrected), the minus sign, the fullwidth hyphen.
_SEPARATORS = " \u00a0\u2002-\u200a\u202f.\\-\u2010-\u2015\u2212\ufe63\uff0d()"
_RUN = re.compile(rf"(?<![^\W_])[+(]*\d+(?:[{_SEPARATORS}]{{1,3}}\d+)*(?![^\W_])")
# 05-08-2024 10.00 is a date and a time, not a number to hide, nor is any part of it.
_DATE = re.compile(r"(?<!\d)\d{1,2}[-.]\d{1,2}[-.](?:19|20)\d\d(?!\d)")
_GROUP = re.compile(r"\d+")
_MOBILE = re.compile(r"8\d{7,11}")  # an Indonesian mobile number after the 0 / 62: 8xx, 9 to 12 digits
# A landline after the 0 / 62: area code (21 Jakarta ... 0411 Makassar ... 09xx Papua, never 1 or
# 8) and subscriber number, 8 to 10 digits in all.
_LANDLINE = re.compile(r"[2-79]\d{7,9}")
_MAX_DIGITS = 16  # nothing we mask is longer (a NIK; 0062 8xx-xxxx-xxxx at most)


def mask_nik(nik: str) -> str:
    # Keep the region part (first 6) so officers can still see where someone is from.
    if len(nik) < 10:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def mask_phone(phone: str) -> str:
    """Only the country code and operator prefix (``+62812********``, ``0812-****-****``): the
    last four digits unlock a tracking page, so a masked number shows none of the digits after
    the prefix."""
    if sum(ch.isdigit() for ch in phone) < 10:
        return "*" * len(phone)
    keep = 5 if phone.lstrip("+").startswith("62") else 4  # "62" + "812", or "0812"
    shown: list[str] = []
    for ch in phone:
        if ch.isdigit():
            ch, keep = (ch, keep - 1) if keep > 0 else ("*", 0)
        shown.append(ch)
    return "".join(shown)


def mask_name(name: str) -> str:
    """A name as a public page shows it (``Ahmad Fauzi`` -> ``Ah*** Fa***``): enough for the holder
    to recognise, too little to learn a stranger's name from a token."""
    return " ".join((w[:2] + "***") if len(w) > 2 else (w[:1] + "*") for w in name.split()) or "***"


def mask_email(email: str) -> str:
    if "@" not in email:
        return email
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else email


# Bounded, and only from the start of a run: unbounded, a 100,000-character word scanned to its end
# from every position (24 s per Situation Room item).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Institutions' addresses (an office's ptsp.lutra@kemenag.go.id in an answer) are not a person's.
PUBLIC_EMAIL_SUFFIXES = (".go.id",)


def mask_emails(text: str) -> str:
    """Every e-mail address in ``text`` masked (an SMTP error or a traceback quotes them)."""
    return _EMAIL.sub(lambda m: mask_email(m.group(0)), text)


def _kind(digits: str, *, plus: bool = False) -> str | None:
    """``"phone"``, ``"nik"`` or None for the digits of one written number (``plus``: written
    after a "+")."""
    national = digits
    if national.startswith("00"):
        national = national[2:]
    if national.startswith("62"):
        national = national[2:]
    if national.startswith("0"):
        national = national[1:]
    if national != digits and _MOBILE.fullmatch(national):
        return "phone"
    # Landline digits look like other numbers: only with the trunk 0 ("0411", "0062") or "+62".
    if (digits.startswith("0") or (plus and digits.startswith("62"))) and _LANDLINE.fullmatch(national):
        return "phone"
    if len(digits) == 16:
        return "nik"
    return None


def _mask_run(run: str) -> str:
    groups = list(_GROUP.finditer(run))
    # Which groups are part of a date, once (a date is digits, so a stretch touches a date exactly
    # when one of its groups does): asking every date for every stretch took seconds on a page
    # of dates.
    dates = [(m.start(), m.end()) for m in _DATE.finditer(run)]
    date_ends = [end for _, end in dates]
    in_date = []
    for g in groups:
        k = bisect_right(date_ends, g.start())  # the first date that ends after the group starts
        in_date.append(k < len(dates) and dates[k][0] < g.end())
    out: list[str] = []
    pos = i = 0
    while i < len(groups):
        # The longest stretch of groups from here that is a NIK or a phone number.
        found, digits, touches_date = None, "", False
        plus = run[groups[i].start() - 1:groups[i].start()] == "+"
        for j in range(i, len(groups)):
            digits += groups[j].group()
            if len(digits) > _MAX_DIGITS:
                break
            touches_date = touches_date or in_date[j]
            kind = None if touches_date else _kind(digits, plus=plus)
            if kind is not None:
                found = (j, kind)
        if found is None:
            i += 1
            continue
        j, kind = found
        start = groups[i].start()
        while start > pos and run[start - 1] in "+(":  # "+62", "(0812": the sign belongs to the number
            start -= 1
        out.append(run[pos:start])
        out.append(NIK_LABEL if kind == "nik" else PHONE_LABEL)
        pos = groups[j].end()
        i = j + 1
    out.append(run[pos:])
    return "".join(out)


# "NIK7322...", "hp0812...": a number written onto its label is still the number.
_GLUED_LABEL = re.compile(r"(?i)\b((?:nik|hp|wa|telp|tlp|telepon|nomor)(?:nya|ku)?)(?=[+(]*\d)")


def _ascii_digits(text: str) -> str:
    """Digits of other scripts ("０８１２", "٠٨١٢") as ASCII: the same number to a reader."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _email_label(match: re.Match[str]) -> str:
    address = match.group(0)
    return address if address.lower().endswith(PUBLIC_EMAIL_SUFFIXES) else EMAIL_LABEL


def mask_free_text(text: str) -> str:
    """NIKs, phone numbers and e-mail addresses in text people wrote, replaced by ``[NIK]``,
    ``[nomor telepon]`` and ``[email]``."""
    if not text:
        return text
    # E-mail addresses first: their digits ("budi081234567890@…") are not a phone number to half-mask.
    text = _EMAIL.sub(_email_label, text)
    if not text.isascii():
        text = _ascii_digits(text)
    text = _GLUED_LABEL.sub(r"\1 ", text)
    return _RUN.sub(lambda m: _mask_run(m.group()), text)


# A street address as people write one. After "Jl", "Jln", "Gg" or "Gang" (any case, a dot or
# not, a space or not: "Jl.Merdeka", "jl. sudirman no 5", "Jl. H. Andi Djemma No. 5"), the street's
# words and its number; after the full word "Jalan" only when a number follows ("Jalan Andi Djemma
# 5"), since "Jalan Sehat" (a fun walk) and "Jalan Tol Trans Sulawesi" are not anyone's home.
_NUMBER_WORD = r"(?:[Nn]o|NO|[Nn]omor|NOMOR|[Kk]m|KM|RT|RW)"
_STREET_WORD = rf"(?!{_NUMBER_WORD}\b)(?:[A-Z]\.|[A-Z0-9][\w'-]*)"
_RW = r"(?:[ \t]*/[ \t]*RW\.?[ \t]*\d+)?"
_HOUSE = (rf"(?:(?:,?[ \t]*{_NUMBER_WORD}\.?[ \t]*\d+[A-Za-z]?{_RW}|[ \t]+\d+[A-Za-z]?\b)"
          rf"(?:,?[ \t]*RT\.?[ \t]*\d+{_RW})?)")
_ABBREVIATED = r"\b(?:[Jj][Ll][Nn]?|[Gg][Gg]|[Gg]ang|GANG)\b\.?[ \t]*"
_STREET = re.compile(
    # "Jl. Merdeka ...": the number may follow; "jl. sudirman no 5": lower case only with its number
    # ("Jl rusak parah" is a road, not an address).
    rf"{_ABBREVIATED}{_STREET_WORD}(?:[ \t]*{_STREET_WORD}){{0,5}}{_HOUSE}?"
    rf"|{_ABBREVIATED}(?!{_NUMBER_WORD}\b)[a-z][\w'-]*(?:[ \t]+(?!{_NUMBER_WORD}\b)[a-z][\w'-]*){{0,3}}{_HOUSE}"
    rf"|\b(?:Jalan|JALAN)[ \t]+{_STREET_WORD}(?:[ \t]*{_STREET_WORD}){{0,5}}{_HOUSE}")
# Words of a name that are also ordinary words here: masked as part of the whole name, never alone
# ("Haji Ahmad Sulaiman" must not turn "Pendaftaran Haji" into "Pendaftaran [nama]").
COMMON_NAME_WORDS = frozenset({
    "bapak", "ibu", "saudara", "saudari", "haji", "hajjah", "hamba", "allah", "nabi", "islam", "muhammad",
    "muhamad", "abdul", "andi", "daeng", "siti", "masyarakat", "warga", "umat", "kepala", "petugas", "kantor",
    "agama", "kemenag", "pengadu", "pelapor", "anonim", "tanpa", "nama", "nomor", "telepon", "email", "alamat",
})


def mask_known_people(text: str, names: list[str], keep: frozenset[str] = frozenset()) -> str:
    """Text about a person whose name (and so often address) we know, as others may read it:
    their whole name wherever it is written (any case), one part of it alone when it is written as
    a name and is no ordinary word (``COMMON_NAME_WORDS``, or ``keep``: place names the room must
    still read), and street addresses."""
    text = mask_free_text(text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True):
        words = [re.escape(w) for w in name.split()]
        text = re.sub(r"(?<![\w\[])" + r"\s+".join(words) + r"(?![\w\]])", NAME_LABEL, text, flags=re.IGNORECASE)
        for word in {w for w in name.split() if len(w) >= 4 and w.isalpha()}:
            if word.lower() in COMMON_NAME_WORDS or word.lower() in keep:
                continue
            for shown in {word.capitalize(), word.upper()}:
                text = re.sub(rf"(?<![\w\[]){re.escape(shown)}(?![\w\]])", NAME_LABEL, text)
    return _STREET.sub(ADDRESS_LABEL, text)


def typed_texts_for(request: HttpRequest, texts: list[str], *, whole: bool, subject_type: str, subject_ref: str,
                    what: str) -> list[str]:
    """Free text people typed (notes, messages, titles), as this reader gets it: ``whole`` (their
    job needs it), with one access record when any of it holds a NIK or a phone number; else with
    those masked. In the order given."""
    masked = [mask_free_text(t) if t else t for t in texts]
    if not whole:
        return masked
    if masked != texts:
        record_access(request, subject_type=subject_type, subject_ref=subject_ref, what=what)
    return list(texts)


def record_access(request: HttpRequest, *, subject_type: str, subject_ref: str, what: str,
                  reason: str = "", reason_note: str = "") -> None:
    from satupintu.core.models import PersonalDataAccess  # here: logging imports this module before apps load

    user = request.user if request.user.is_authenticated else None
    from satupintu.core.ratelimit import client_ip

    ip = client_ip(request) or None  # the person's address, not our proxy's
    PersonalDataAccess.objects.create(user=user, subject_type=subject_type, subject_ref=subject_ref, what=what, ip=ip,
                                      reason=reason, reason_note=reason_note[:200])


# Why an officer reveals someone's personal data: asked on every reveal form, kept with the
# access record and shown to the person (/akun/data-saya/). "other" needs a few words.
REVEAL_REASONS = {
    "verify": gettext_lazy("Memeriksa berkas atau identitas"),
    "contact": gettext_lazy("Menghubungi warga"),
    "follow_up": gettext_lazy("Menindaklanjuti pengaduan"),
    "handover": gettext_lazy("Menyerahkan produk layanan"),
    "other": gettext_lazy("Lainnya"),
}


def record_reveal(request: HttpRequest, *, subject_type: str, subject_ref: str, what: str, reason: str,
                  reason_note: str = "") -> None:
    """An officer unmasks personal data: only with a reason, which is recorded with the access."""
    from satupintu.core.errors import DomainError

    reason_note = " ".join((reason_note or "").split())
    if reason not in REVEAL_REASONS:
        raise DomainError("missing_reason", "Pilih alasan membuka data pribadi.", field="reason")
    if reason == "other" and not reason_note:
        raise DomainError("missing_reason_note", "Tulis alasannya.", field="reason_note")
    if len(reason_note) > 200:
        raise DomainError("reason_too_long", "Maksimal %(n)d karakter.", field="reason_note", params={"n": 200})
    record_access(request, subject_type=subject_type, subject_ref=subject_ref, what=what, reason=reason,
                  reason_note=reason_note)
