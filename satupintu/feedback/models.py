"""Satisfaction survey answers (SKM). Complaints and NGOPAS dialogues come next."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.feedback.elements import AGE_CHOICES, EDUCATION_CHOICES, OCCUPATION_CHOICES, SEX_CHOICES
from satupintu.organization.models import Office, Unit


class Channel(models.TextChoices):
    ONLINE = "online", _("Setelah layanan (tautan)")
    KIOSK = "kiosk", _("Kios di loket")
    PAPER = "paper", _("Kertas (diimpor)")


def _answer() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])


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
