"""The Situation Room's data: where text comes from (Source), what came (Item), what it is
about together (Issue), what rose (Alert), who wants to hear (AlertRule, BriefSubscription).

Items carry their analysis in plain columns so that dashboard queries at a national scale
stay simple: region codes as indexed strings, topics also as a bit mask (one bit per topic in
`TOPICS`, so "items about kerukunan" is an integer test, not a JSON search).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from satupintu.situation.nlp.topics import TOPICS

# Bit positions are the order of TOPICS: append new topics at the end, never reorder.
TOPIC_ORDER = tuple(TOPICS)
# The topics early warning (warning.py) reads: harmony, intolerance and radicalism.
WARNING_TOPICS = ("kerukunan", "radikalisme-intoleransi")


def topic_bit(topic: str) -> int:
    return 1 << TOPIC_ORDER.index(topic)


def topics_mask(topics: list[str]) -> int:
    mask = 0
    for t in topics:
        if t in TOPICS:
            mask |= topic_bit(t)
    return mask


class SourceKind(models.TextChoices):
    FEED = "feed", _("Umpan RSS/Atom")
    PAGE = "page", _("Halaman web")
    SOCIAL = "social", _("Impor media sosial")
    INTERNAL = "internal", _("Internal (pengaduan dan aspirasi)")
    FIELD = "field", _("Laporan lapangan (internal)")


# The names the product gives its own sources (field/room.py, situation/internal.py), for
# translation where they are shown; stored in Indonesian.
FIELD_SOURCE_NAME = "Laporan lapangan (internal)"
INTERNAL_SOURCE_NAME = "Pengaduan dan aspirasi (internal)"
PRODUCT_SOURCE_NAMES = {
    FIELD_SOURCE_NAME: _("Laporan lapangan (internal)"),
    INTERNAL_SOURCE_NAME: _("Pengaduan dan aspirasi (internal)"),
}


def shown_source_name(name: str) -> str:
    return str(PRODUCT_SOURCE_NAMES.get(name, name))


class Source(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("alamat"), max_length=500, blank=True)
    office = models.ForeignKey("organization.Office", null=True, blank=True, on_delete=models.SET_NULL,
                               verbose_name=_("kantor pemilik (Humas)"))
    active = models.BooleanField(_("aktif"), default=True)
    interval_minutes = models.PositiveIntegerField(_("selang pengambilan (menit)"), default=30)
    # What the last good response said, for conditional GET.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sumber")
        verbose_name_plural = _("sumber")
        # The room's own sources exist once: two first verifications at once made two, and every
        # later get_or_create(kind=...) failed (MultipleObjectsReturned) until fixed by hand.
        constraints = [models.UniqueConstraint(fields=["kind"], condition=models.Q(kind__in=["internal", "field"]),
                                               name="situation_source_one_internal_and_field")]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """The name in the page's language: the room's own internal sources are named by the
        product (Indonesian when stored), the others as whoever added them wrote it."""
        return shown_source_name(self.name)

    def clean(self) -> None:
        # The admin's form goes through the same check as the room's (situation/sources.py).
        from django.core.exceptions import ValidationError

        from satupintu.core.errors import DomainError
        from satupintu.situation.sources import check_source_url

        try:
            check_source_url(self.kind, self.url)
        except DomainError as e:
            raise ValidationError({"url": e.message}) from e


class FetchLog(models.Model):
    """One attempt to read a source: what came back, how many new items, or why it failed."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    not_modified = models.BooleanField(default=False)
    new_items = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLOSED = "closed", _("Ditutup")
    MERGED = "merged", _("Digabung")


class Issue(models.Model):
    """Items about the same event, or the same topic and place within days."""

    title = models.CharField(_("judul"), max_length=300)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN, db_index=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_from")
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    regency_code = models.CharField(max_length=5, blank=True)
    provinces = models.JSONField(default=list)
    regencies = models.JSONField(default=list)
    topics = models.JSONField(default=list)
    topics_mask = models.BigIntegerField(default=0)
    domain = models.CharField(max_length=10, blank=True)
    # Words that characterise the issue; a new item joins when it shares enough of them.
    keywords = models.JSONField(default=list)
    item_count = models.PositiveIntegerField(default=0)
    negative_count = models.PositiveIntegerField(default=0)
    sentiment_avg = models.FloatField(default=0.0)
    first_seen = models.DateTimeField(db_index=True)
    last_seen = models.DateTimeField(db_index=True)
    title_locked = models.BooleanField(default=False, help_text="Renamed by an officer: keep the title")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("isu")
        verbose_name_plural = _("isu")

    def __str__(self) -> str:
        return self.title

    @property
    def negative_share(self) -> float:
        return self.negative_count / self.item_count if self.item_count else 0.0


class Item(models.Model):
    """One text that came in, with what the pipeline understood of it."""

    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    external_id = models.CharField(max_length=300)
    url = models.URLField(max_length=800, blank=True)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    author = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(db_index=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=5, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    regency_code = models.CharField(max_length=5, blank=True)
    provinces = models.JSONField(default=list)
    regencies = models.JSONField(default=list)
    topics = models.JSONField(default=list)
    topics_mask = models.BigIntegerField(default=0)
    domain = models.CharField(max_length=10, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    sentiment_score = models.FloatField(default=0.0)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates")
    # MinHash signature (128 x uint32, little-endian) to find near-duplicates across runs.
    minhash = models.BinaryField(null=True, blank=True)
    entities = models.JSONField(default=dict)
    dates = models.JSONField(default=list)
    meeting = models.JSONField(null=True, blank=True)
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")

    @property
    def link(self) -> str:
        """Where the headline leads: the article (http(s) only), or for a complaint that came in
        from Suara publik (or a field report) its page in the officer's desk (which checks who may open it)."""
        from satupintu.core.links import is_web_link

        if self.url and is_web_link(self.url):
            return self.url
        if self.source is not None and self.source.kind == SourceKind.INTERNAL and self.external_id:
            return f"/petugas/pengaduan/{self.external_id}/"
        if self.source is not None and self.source.kind == SourceKind.FIELD and self.external_id.isdigit():
            return f"/petugas/lapangan/{self.external_id}/"  # the verification page checks who may open it
        return ""

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="item_unique_per_source")]
        indexes = [
            models.Index(fields=["province_code", "published_at"]),
            models.Index(fields=["regency_code", "published_at"]),
            models.Index(fields=["issue", "published_at"]),
            # The room counts originals only and reads just these columns: covering, partial
            # indexes let PostgreSQL answer national and provincial figures from the index alone
            # (bench/situation_room_queries.py: 90-day totals 1.1 s -> 0.23 s on a million items).
            models.Index(fields=["published_at"], name="item_room_time_idx",
                         include=["id", "province_code", "regency_code", "topics_mask", "sentiment", "domain",
                                  "issue", "source"],
                         condition=models.Q(duplicate_of__isnull=True)),
            models.Index(fields=["province_code", "published_at"], name="item_room_province_idx",
                         include=["id", "regency_code", "topics_mask", "sentiment", "domain", "issue", "source"],
                         condition=models.Q(duplicate_of__isnull=True)),
        ]
        verbose_name = _("butir")
        verbose_name_plural = _("butir")

    def __str__(self) -> str:
        return self.title or self.text[:80]

    def clean(self) -> None:
        # An edited item in the admin keeps to the same rule as ingestion: http(s) links only.
        from satupintu.core.links import clean_link_fields

        clean_link_fields(self, "url")


class AlertKind(models.TextChoices):
    VOLUME = "volume", _("Lonjakan jumlah")
    NEGATIVE = "negative", _("Lonjakan nada negatif")
    ISSUE = "issue", _("Isu naik")
    ZONE = "zone", _("Perubahan zona kewaspadaan")


class AlertStatus(models.TextChoices):
    NEW = "new", _("Baru")
    ACKNOWLEDGED = "acknowledged", _("Diterima")
    ASSIGNED = "assigned", _("Ditugaskan")
    RESOLVED = "resolved", _("Selesai ditindaklanjuti")


class Alert(models.Model):
    """Something rose well above its own baseline: a topic in a region, or an issue."""

    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    status = models.CharField(max_length=14, choices=AlertStatus.choices, default=AlertStatus.NEW, db_index=True)
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    regency_code = models.CharField(max_length=5, blank=True)
    topic = models.CharField(max_length=30, blank=True)
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    count = models.PositiveIntegerField()
    negative_count = models.PositiveIntegerField(default=0)
    baseline = models.FloatField(help_text="Mean count per window over the baseline period")
    score = models.FloatField(help_text="How far above the baseline, in standard deviations (Poisson)")
    summary = models.CharField(max_length=400)  # in Indonesian, as e-mailed
    # What the headline is made of (alert_text.py), so the room reads it in the reader's language.
    details = models.JSONField(default=dict, blank=True)
    # One open alert per key and day: the detector updates it rather than raising it again.
    key = models.CharField(max_length=120, unique=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="situation_alerts")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("peringatan")
        verbose_name_plural = _("peringatan")

    def __str__(self) -> str:
        return self.summary

    @property
    def time_zone(self) -> str:
        """Where it happened, its times are read in that province's zone (national: WIB)."""
        from satupintu.organization.reference import province_timezone

        return province_timezone(self.province_code)

    @property
    def headline(self) -> str:
        """The summary in the language of whoever reads it (the stored one for older alerts)."""
        from satupintu.situation.alert_text import headline

        return (headline(self.details) if self.details else None) or self.summary


class AlertEvent(models.Model):
    """The alert's follow-up trail: acknowledged, assigned, noted, resolved."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class AlertRule(models.Model):
    """A subscription: "kerukunan in Jawa Barat, any negative spike" reaches this person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_rules")
    name = models.CharField(_("nama"), max_length=200, blank=True)
    province_code = models.CharField(_("provinsi"), max_length=2, blank=True, help_text=_("Kosong: semua provinsi"))
    regency_code = models.CharField(_("kabupaten/kota"), max_length=5, blank=True)
    topic = models.CharField(_("topik"), max_length=30, blank=True, help_text=_("Kosong: semua topik"))
    kind = models.CharField(_("jenis lonjakan"), max_length=10, choices=AlertKind.choices, blank=True,
                            help_text=_("Kosong: semua jenis"))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class BriefPeriod(models.TextChoices):
    DAILY = "daily", _("Harian")
    WEEKLY = "weekly", _("Mingguan")


class BriefSubscription(models.Model):
    """A leader who receives the daily or weekly brief of a region (blank region: national) by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brief_subscriptions")
    region_code = models.CharField(max_length=5, blank=True)
    period = models.CharField(max_length=10, choices=BriefPeriod.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region_code", "period"], name="brief_sub_unique")]


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ImportJob(models.Model):
    """A social-media export uploaded by an administrator, read in the background with progress."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set when a worker takes the job and at each stored batch: a running job whose heartbeat stops
    # lost its worker (killed, restarted) and is taken up again (ingestion.resume_imports).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == ImportStatus.DONE else 0)


# -- early warning (kewaspadaan dini, situation/warning.py) -----------------------------------------

class WarningLevel(models.TextChoices):
    REGENCY = "regency", _("Kabupaten/kota")
    PROVINCE = "province", _("Provinsi")


class Zone(models.TextChoices):
    HIJAU = "hijau", _("Hijau")
    KUNING = "kuning", _("Kuning")
    MERAH = "merah", _("Merah")


class RegionWarning(models.Model):
    """The latest conflict-potential index of one regency or province, with its explanation:
    ``signals`` is a list of {kind, count, weight, points, contribution, links: [{label, url}]}
    whose contributions add up to ``index``."""

    level = models.CharField(max_length=10, choices=WarningLevel.choices)
    code = models.CharField(max_length=5, unique=True)  # "73" or "73.22"
    province_code = models.CharField(max_length=2, db_index=True)
    index = models.FloatField(default=0.0)
    zone = models.CharField(max_length=6, choices=Zone.choices, default=Zone.HIJAU, db_index=True)
    signals = models.JSONField(default=list)
    capped = models.BooleanField(default=False, help_text="The signals summed above 100 and were scaled down")
    computed_at = models.DateTimeField()
    zone_since = models.DateTimeField()
    # The index of the last history row: a new row is written when the zone changes or the
    # index moves by at least warning.HISTORY_STEP from it (decay alone moves it every run).
    recorded_index = models.FloatField(default=0.0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indeks kewaspadaan")
        verbose_name_plural = _("indeks kewaspadaan")

    def __str__(self) -> str:
        return f"{self.code} {self.index:.1f} ({self.zone})"


class RegionWarningHistory(models.Model):
    """One computation of a region where its zone or index changed: the region's line chart."""

    level = models.CharField(max_length=10, choices=WarningLevel.choices)
    code = models.CharField(max_length=5)
    index = models.FloatField()
    zone = models.CharField(max_length=6, choices=Zone.choices)
    previous_zone = models.CharField(max_length=6, choices=Zone.choices)
    signals = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["computed_at", "id"]
        indexes = [models.Index(fields=["code", "computed_at"])]
        verbose_name = _("riwayat indeks kewaspadaan")
        verbose_name_plural = _("riwayat indeks kewaspadaan")
# --- responses (issue #15): an issue, alert or field report followed up by an office -------------

class ResponseKind(models.TextChoices):
    CLARIFICATION = "clarification", _("Klarifikasi / siaran pers")
    MEDIATION = "mediation", _("Mediasi")
    FKUB = "fkub", _("Koordinasi FKUB")
    FIELD_VISIT = "field_visit", _("Kunjungan lapangan")
    REPORT_UP = "report_up", _("Laporan ke pimpinan")


class ResponseStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Sedang ditangani")
    RESOLVED = "resolved", _("Selesai")


# Exactly one subject: an issue, an alert or a field report.
_ONE_SUBJECT = (
    models.Q(issue__isnull=False, alert__isnull=True, field_report__isnull=True)
    | models.Q(issue__isnull=True, alert__isnull=False, field_report__isnull=True)
    | models.Q(issue__isnull=True, alert__isnull=True, field_report__isnull=False)
)
_NOT_RESOLVED = ~models.Q(status="resolved")


class ResponseCase(models.Model):
    """The follow-up of one issue, alert or field report by the office that must act, against a
    deadline in that office's working hours; escalated up the hierarchy when it lapses."""

    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    field_report = models.ForeignKey("field.FieldReport", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="responses")
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="response_cases",
                               verbose_name=_("kantor yang bertindak"))
    # The subject's place when the case was opened (the figures count per region).
    province_code = models.CharField(max_length=2, blank=True)
    regency_code = models.CharField(max_length=5, blank=True)
    kind = models.CharField(_("jenis tanggapan"), max_length=14, choices=ResponseKind.choices)
    zone = models.CharField(_("zona"), max_length=6, choices=Zone.choices, default=Zone.HIJAU)
    instructions = models.TextField(_("arahan"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    hours = models.PositiveSmallIntegerField(help_text="Working hours allowed, at each level")
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.OPEN,
                              db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    summary = models.TextField(_("ringkasan penutup"), blank=True)
    # 0: the acting office; 1: its parent was told; 2: the grandparent (Pusat)...
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey("organization.Office", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # When the sweep escalates next (None: resolved, or nobody above is left).
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("tanggapan")
        verbose_name_plural = _("tanggapan")
        constraints = [
            models.CheckConstraint(condition=_ONE_SUBJECT, name="response_one_subject"),
            # One case at a time per subject: the domain points to the open one first.
            models.UniqueConstraint(fields=["issue"], condition=_NOT_RESOLVED, name="response_open_per_issue"),
            models.UniqueConstraint(fields=["alert"], condition=_NOT_RESOLVED, name="response_open_per_alert"),
            models.UniqueConstraint(fields=["field_report"], condition=_NOT_RESOLVED,
                                    name="response_open_per_field_report"),
        ]
        indexes = [models.Index(fields=["office", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.office}"

    @property
    def subject(self) -> models.Model:
        return self.issue or self.alert or self.field_report  # type: ignore[return-value]

    @property
    def is_resolved(self) -> bool:
        return self.status == ResponseStatus.RESOLVED


def _reader_day(stored: str) -> str:
    """A deadline kept as the office read it ("01/12/2026 13.00", local time) in the reader's way."""
    from satupintu.core import clock

    try:
        return clock.shown(datetime.strptime(stored, "%d/%m/%Y %H.%M"), "d/m/Y H.i")
    except ValueError:
        return stored


ESCALATED_NOTE = gettext_noop("Tenggat %(due)s terlewati; dinaikkan ke %(office)s.")
REPORT_REJECTED_NOTE = gettext_noop("Selesai karena laporan lapangannya ditolak saat verifikasi: %(reason)s")


class ResponseNote(models.Model):
    case = models.ForeignKey(ResponseCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    # "note", "escalated", "resolved": the trail shows escalations and the close in line.
    event = models.CharField(max_length=10, default="note")
    # An escalation's parts ({"due": "dd/mm/YYYY HH.MM", "office": its name}): the trail reads it in
    # the reader's language; ``text`` keeps the Indonesian sentence (older notes have only that).
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def shown_text(self) -> str:
        if self.event == "escalated" and {"due", "office"} <= set(self.details):
            return gettext(ESCALATED_NOTE) % {"due": _reader_day(self.details["due"]), "office": self.details["office"]}
        if self.event == "resolved" and "rejected_reason" in self.details:
            return gettext(REPORT_REJECTED_NOTE) % {"reason": self.details["rejected_reason"]}
        return self.text


class ResponseEvidence(models.Model):
    case = models.ForeignKey(ResponseCase, on_delete=models.CASCADE, related_name="evidence")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="situasi/tanggapan/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
