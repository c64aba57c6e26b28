"""Satisfaction survey answers (SKM). Complaints and NGOPAS dialogues come next."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core import actors
from satupintu.feedback.elements import AGE_CHOICES, EDUCATION_CHOICES, OCCUPATION_CHOICES, SEX_CHOICES
from satupintu.organization.models import Office, Unit


class Channel(models.TextChoices):
    ONLINE = "online", _("Setelah layanan (tautan)")
    KIOSK = "kiosk", _("Kios di loket")
    PAPER = "paper", _("Kertas (diimpor)")


def _answer() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])


class KioskDevice(models.Model):
    """A tablet at an office's front desk, registered by the office. Only answers that carry
    its signed token (kept in a cookie on the device) count as kiosk answers: feedback/kiosks.py."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="kiosk_devices")
    name = models.CharField(max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["office", "name", "id"]
        verbose_name = _("kios survei")
        verbose_name_plural = _("kios survei")

    def __str__(self) -> str:
        return f"{self.name} ({self.office.code})"


class CountedResponses(models.Manager["SurveyResponse"]):
    """The answers the index and its tallies are made of: never unverified feedback."""

    def get_queryset(self) -> models.QuerySet[SurveyResponse]:
        return super().get_queryset().filter(verified=True)


class SurveyResponse(models.Model):
    """One respondent's answers to the nine elements (1-4 each)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="survey_responses")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    service = models.ForeignKey("services.Service", null=True, blank=True, on_delete=models.PROTECT)
    # One answer per application, enforced by the database.
    application = models.OneToOneField(
        "services.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_response"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answered_on = models.DateField(db_index=True)
    u1 = _answer()
    u2 = _answer()
    u3 = _answer()
    u4 = _answer()
    u5 = _answer()
    u6 = _answer()
    u7 = _answer()
    u8 = _answer()
    u9 = _answer()
    sex = models.CharField(max_length=1, choices=SEX_CHOICES, blank=True)
    age_group = models.CharField(max_length=6, choices=AGE_CHOICES, blank=True)
    education = models.CharField(max_length=4, choices=EDUCATION_CHOICES, blank=True)
    occupation = models.CharField(max_length=10, choices=OCCUPATION_CHOICES, blank=True)
    comment = models.TextField(blank=True)
    # Paper imports: a fingerprint of (office, file row content, occurrence), so importing
    # the same file twice does not count anyone twice.
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Counted in the IKM: after a completed application, from a registered kiosk, or from
    # paper. Anything else (a kiosk page without a valid device token) is kept as feedback only.
    verified = models.BooleanField(default=True, db_default=True)
    kiosk = models.ForeignKey(KioskDevice, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses")

    objects = models.Manager()
    counted = CountedResponses()

    class Meta:
        ordering = ["-answered_on", "-id"]
        indexes = [models.Index(fields=["office", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"u{i}__gte": 1}) & Q(**{f"u{i}__lte": 4}), name=f"skm_u{i}_in_1_4"
            )
            for i in range(1, 10)
        ]
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")

    def answers(self) -> list[int]:
        return [self.u1, self.u2, self.u3, self.u4, self.u5, self.u6, self.u7, self.u8, self.u9]


class ReportKind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    QUESTION = "question", _("Pertanyaan")


class ReportCategory(models.TextChoices):
    SERVICE_QUALITY = "service_quality", _("Kualitas layanan")
    STAFF_CONDUCT = "staff_conduct", _("Perilaku petugas")
    ILLEGAL_LEVY = "illegal_levy", _("Pungutan liar / gratifikasi")
    FACILITIES = "facilities", _("Sarana dan prasarana")
    RELIGIOUS_HARMONY = "religious_harmony", _("Kerukunan umat beragama")
    EDUCATION = "education", _("Pendidikan")
    HAJJ = "hajj", _("Haji dan umrah")
    MARRIAGE = "marriage", _("Nikah dan keluarga")
    OTHER = "other", _("Lainnya")


# Integrity reports go to the inspectorate only, never to the unit reported on.
INTEGRITY_CATEGORIES = (ReportCategory.ILLEGAL_LEVY, ReportCategory.STAFF_CONDUCT)


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diterima")
    VERIFIED = "verified", _("Diverifikasi")
    FORWARDED = "forwarded", _("Diteruskan ke unit")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Tidak dapat diproses")


class Report(models.Model):
    """A complaint, aspiration or question from the public (SP4N-LAPOR! stages)."""

    tracking_code = models.CharField(max_length=11, unique=True)
    kind = models.CharField(max_length=12, choices=ReportKind.choices)
    category = models.CharField(max_length=20, choices=ReportCategory.choices)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    text = models.TextField()
    application = models.ForeignKey("services.Application", null=True, blank=True, on_delete=models.SET_NULL)
    dialogue = models.ForeignKey("feedback.Dialogue", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="aspirations")
    # Who reported. With `anonymous` officers never see these (pages, exports, API);
    # they are kept only so the reporter can be told about progress.
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, default="id")  # the reporter's: their e-mails are in it
    anonymous = models.BooleanField(default=False)
    confidential = models.BooleanField(default=False, help_text="Tidak pernah ditampilkan di papan publik")
    integrity = models.BooleanField(default=False, db_index=True)
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED,
                              db_index=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved = models.BooleanField(null=True, blank=True, help_text="Pelapor: apakah jawaban menyelesaikan")
    rating = models.PositiveSmallIntegerField(null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    submitted_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The SLA clock of services/sla.py runs on these fields too.
    sla_budget_seconds = models.PositiveIntegerField(default=0)
    sla_used_seconds = models.PositiveIntegerField(default=0)
    sla_running_since = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["office", "status", "due_at"])]
        verbose_name = _("pengaduan/aspirasi")
        verbose_name_plural = _("pengaduan/aspirasi")

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_final(self) -> bool:
        return self.status in (ReportStatus.CLOSED, ReportStatus.REJECTED)


REPORT_ACTION_LABELS = {
    "submit": _("Laporan diterima"), "verify": _("Laporan diverifikasi"), "forward": _("Diteruskan ke unit"),
    "answer": _("Dijawab"), "reject": _("Tidak dapat diproses"), "close": _("Selesai"),
    "reopen": _("Dibuka kembali atas permintaan pelapor"), "add_info": _("Pelapor menambah informasi"),
    "sla_warning": _("Peringatan tenggat"), "sla_escalation": _("Eskalasi: melewati tenggat"),
    "note": _("Catatan"),
    "recategorize": _("Kategori diubah"),
}


class ReportEvent(actors.ShownActor, models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=30)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)  # core.actors.said: the system's sentence of the note

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return str(REPORT_ACTION_LABELS.get(self.action, self.action))


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    by_reporter = models.BooleanField(default=True)


class CategoryDeadline(models.Model):
    """Working days to answer, per category (SP4N-LAPOR!: verify in 3, answer in 5)."""

    category = models.CharField(max_length=20, choices=ReportCategory.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(default=5)

    class Meta:
        verbose_name = _("tenggat per kategori")
        verbose_name_plural = _("tenggat per kategori")


class DialogueVenue(models.TextChoices):
    MOSQUE = "mosque", _("Masjid")
    STUDY_GROUP = "study_group", _("Majelis taklim")
    SCHOOL = "school", _("Sekolah/madrasah")
    PESANTREN = "pesantren", _("Pondok pesantren")
    HAJJ_ASSOCIATION = "hajj_association", _("Ikatan jamaah haji")
    ONLINE = "online", _("Daring")
    OTHER = "other", _("Lainnya")


class Dialogue(models.Model):
    """An NGOPAS dialogue (Ngobrol Pembangunan Agama pada Masyarakat)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="dialogues")
    title = models.CharField(max_length=200)
    venue_type = models.CharField(max_length=20, choices=DialogueVenue.choices)
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    starts_at = models.DateTimeField()
    published = models.BooleanField(default=False)
    attendees = models.PositiveIntegerField(null=True, blank=True)
    attendee_notes = models.TextField(blank=True, help_text="Tokoh/lembaga yang hadir")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("dialog NGOPAS")
        verbose_name_plural = _("dialog NGOPAS")

    def clean(self) -> None:
        # Shown as a link to people: http(s) only, also through the admin (core/links.py).
        from satupintu.core.links import clean_link_fields

        clean_link_fields(self, "online_link")



class SurveyTally(models.Model):
    """Survey answers summed per month for one dashboard scope: an office alone, or an office with
    the offices below it (a Kanwil and its Kankemenags; Pusat: the whole country). Each scope and
    month has one row per way the page splits the answers: ``by`` = "all" (the index), "unit",
    "service", or a profile question (sex, age_group, education, occupation; ``value`` is the
    answer). The SKM page then reads a year of the country from a few hundred rows;
    feedback/tallies.py rebuilds them on schedule and selectors.dashboard adds, live, the answers
    the last rebuild has not seen."""

    month = models.DateField(help_text="First day of the month")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    with_children = models.BooleanField()
    by = models.CharField(max_length=12)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    value = models.CharField(max_length=12, blank=True)
    respondents = models.PositiveIntegerField()
    s1 = models.PositiveIntegerField()
    s2 = models.PositiveIntegerField()
    s3 = models.PositiveIntegerField()
    s4 = models.PositiveIntegerField()
    s5 = models.PositiveIntegerField()
    s6 = models.PositiveIntegerField()
    s7 = models.PositiveIntegerField()
    s8 = models.PositiveIntegerField()
    s9 = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["office", "with_children", "by", "month"])]
        verbose_name = _("rekap bulanan survei")
        verbose_name_plural = _("rekap bulanan survei")


class SurveyTallyRun(models.Model):
    """One rebuild of the tallies: they hold every answer with id <= max_response_id."""

    max_response_id = models.BigIntegerField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
