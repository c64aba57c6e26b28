"""Humas (public relations): each office's channels, the targets its Kanwil sets, social posts
imported from the platforms' own export files, and the monthly figures the scorecards read.

Stories are not copied here: they are the Situation Room's Items from the office's feed
sources (`situation.Source.office`). `MonthlyFigure` is the pre-aggregate (one row per office
per month, rebuilt by `figures.refresh_month`), so a national scorecard reads 553 rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    WEBSITE = "website", _("Situs web (umpan berita)")
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", _("Saluran WhatsApp")


SOCIAL_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE)


class Channel(models.Model):
    """One of an office's publishing channels. A website channel owns the situation Source
    (kind feed) that the room's fetcher reads; its items are the office's stories."""

    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="humas_channels",
                               verbose_name=_("kantor"))
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    handle = models.CharField(_("nama akun / nomor"), max_length=120, blank=True)
    url = models.URLField(_("alamat"), max_length=500, blank=True)
    # The feed's address as every spelling of it gives it (channels.url_key): two offices cannot both own it.
    url_key = models.CharField(max_length=500, blank=True, db_index=True)
    source = models.OneToOneField("situation.Source", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="humas_channel")
    # The channel made its source (nobody watched the address before): removing the channel removes it.
    # False when the room's admin had already set the source up for the office (channels.py docstring).
    created_source = models.BooleanField(default=False)
    # Set when the feed's stories turned out to be another office's (channels.feed_owner_verdict):
    # its items then count for nobody until an officer fixes the address. The counts behind the
    # verdict are kept as numbers, not as a sentence, so the page says why in the reader's language.
    foreign_office = models.ForeignKey("organization.Office", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("tampaknya milik kantor"))
    foreign_placed = models.PositiveSmallIntegerField(default=0)  # recent stories that name a region
    foreign_other = models.PositiveSmallIntegerField(default=0)  # ... the other office's region
    foreign_own = models.PositiveSmallIntegerField(default=0)  # ... this office's region
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # No longer used (channels.channel_stop): its posts and stories keep counting in the months they
    # were published, so a scorecard once read does not change; nothing new comes in.
    retired_at = models.DateTimeField(_("tidak dipakai sejak"), null=True, blank=True)
    retired_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["office__code", "platform", "id"]
        verbose_name = _("kanal Humas")
        verbose_name_plural = _("kanal Humas")

    def __str__(self) -> str:
        return f"{self.office.code} {self.get_platform_display()} {self.handle or self.url}"


class Target(models.Model):
    """What the Kanwil asks of an office for a year. ``None`` is "no target" (said explicitly);
    zero is refused (targets.target_set)."""

    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="humas_targets")
    year = models.PositiveSmallIntegerField()
    stories_per_week = models.PositiveSmallIntegerField(_("berita per minggu"), null=True, blank=True)
    social_posts_per_month = models.PositiveSmallIntegerField(_("unggahan media sosial per bulan"), null=True,
                                                              blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="humas_target_once_per_year")]
        verbose_name = _("target Humas")
        verbose_name_plural = _("target Humas")

    def __str__(self) -> str:
        return f"{self.office.code} {self.year}"


STORED_PROBLEMS = 100


class SocialImport(models.Model):
    """One uploaded export file: how many rows came in, and every bad row with its line."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="imports")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    filename = models.CharField(max_length=200)
    language = models.CharField(max_length=5, blank=True)
    rows_imported = models.PositiveIntegerField(default=0)
    # [{"line", "code", "message", "column", "value"}]: "message" is the parser's msgid, worded in the
    # reader's language where it is shown (problem_lines); imports before 0004 have no column/value.
    # Only the first STORED_PROBLEMS: 20,000 bad rows of a 500 KB file made 22 MB of JSON per import,
    # read and drawn on every visit of the office page. problem_count has them all.
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor media sosial")
        verbose_name_plural = _("impor media sosial")

    def __str__(self) -> str:
        return self.filename

    def problem_lines(self) -> list[str]:
        """Each bad row as "baris 7: <what is wrong> Kolom "X": "Y"." in the reader's language."""
        from django.utils.translation import gettext

        from satupintu.humas.social_exports import RowProblem

        return [gettext("baris %(line)s: %(message)s") % {
            "line": p.get("line", ""),
            "message": RowProblem(line=p.get("line", 0), code=p.get("code", ""), message=p.get("message", ""),
                                  column=p.get("column", ""), value=p.get("value", "")).display()}
            for p in self.problems]

    @property
    def problems_not_kept(self) -> int:
        """Bad rows counted but not kept (past STORED_PROBLEMS)."""
        return max(0, self.problem_count - len(self.problems))


class SocialPost(models.Model):
    """A post as its platform's export reported it; a later export of the same post updates it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    post_id = models.CharField(max_length=120)
    published_at = models.DateTimeField(db_index=True)
    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=800, blank=True)
    views = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)
    engagement = models.PositiveBigIntegerField(default=0)
    last_import = models.ForeignKey(SocialImport, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["channel", "post_id"], name="humas_post_once_per_channel")]
        indexes = [models.Index(fields=["office", "published_at"])]
        verbose_name = _("unggahan media sosial")
        verbose_name_plural = _("unggahan media sosial")

    def __str__(self) -> str:
        return f"{self.platform}:{self.post_id}"


class MonthlyFigure(models.Model):
    """One office's month as the scorecard reads it (rebuilt by figures.refresh_month).
    Scores are not stored: they depend on the target, which may change any day."""

    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day
    stories = models.PositiveIntegerField(default=0)
    original = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    priority_stories = models.PositiveIntegerField(default=0)  # stories on at least one priority programme
    programmes = models.JSONField(default=dict)  # programme code -> stories
    social_posts = models.PositiveIntegerField(default=0)
    social_views = models.PositiveBigIntegerField(default=0)
    social_reach = models.PositiveBigIntegerField(default=0)
    social_engagement = models.PositiveBigIntegerField(default=0)
    coverage_positive = models.PositiveIntegerField(default=0)
    coverage_neutral = models.PositiveIntegerField(default=0)
    coverage_negative = models.PositiveIntegerField(default=0)
    wa_answered = models.PositiveIntegerField(default=0)
    wa_within_target = models.PositiveIntegerField(default=0)
    # Handed to the office in the month and still unanswered past the target: a miss, so an office
    # that never answers does not score better than one that answers late.
    wa_unanswered = models.PositiveIntegerField(default=0)
    wa_median_seconds = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="humas_figure_once_per_month")]
        indexes = [models.Index(fields=["month", "office"])]
        verbose_name = _("angka bulanan Humas")
        verbose_name_plural = _("angka bulanan Humas")

    def __str__(self) -> str:
        return f"{self.office_id} {self.month:%Y-%m}"
