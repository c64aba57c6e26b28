"""Humas in the Django admin. What has counted in a month stays: a channel that counted posts or
stories is not deleted here (its page retires it, channels.channel_stop), and posts and monthly
figures are shown, not edited (a later import updates a post; figures.refresh_month rebuilds a month)."""

from typing import Any

from django.contrib import admin

from satupintu.core.admin_records import RecordAdmin
from satupintu.humas.channels import has_counted
from satupintu.humas.models import Channel, MonthlyFigure, SocialImport, SocialPost, Target


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("office", "platform", "handle", "url", "foreign_office", "retired_at")
    list_filter = ("platform",)
    search_fields = ("office__code", "office__name", "handle", "url")
    raw_id_fields = ("office", "source", "foreign_office", "created_by", "retired_by")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # One at a time (no bulk delete), and only a channel that never counted anything.
        return obj is not None and super().has_delete_permission(request, obj) and not has_counted(obj)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("office", "year", "stories_per_week", "social_posts_per_month", "updated_at")
    list_filter = ("year",)
    search_fields = ("office__code", "office__name")
    raw_id_fields = ("office", "set_by")


@admin.register(SocialImport)
class SocialImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("filename", "channel", "platform", "rows_imported", "created_at")
    raw_id_fields = ("channel", "uploaded_by")


@admin.register(SocialPost)
class SocialPostAdmin(RecordAdmin):
    list_display = ("post_id", "platform", "office", "published_at", "reach", "engagement")
    list_filter = ("platform",)
    raw_id_fields = ("channel", "office", "last_import")


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(RecordAdmin):
    list_display = ("office", "month", "stories", "original", "repeats", "social_posts", "computed_at")
    raw_id_fields = ("office",)
