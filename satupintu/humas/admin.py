from django.contrib import admin

from satupintu.humas.models import Channel, MonthlyFigure, SocialImport, SocialPost, Target


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("office", "platform", "handle", "url", "foreign_office")
    list_filter = ("platform",)
    search_fields = ("office__code", "office__name", "handle", "url")
    raw_id_fields = ("office", "source", "foreign_office", "created_by")


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
class SocialPostAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("post_id", "platform", "office", "published_at", "reach", "engagement")
    list_filter = ("platform",)
    raw_id_fields = ("channel", "office", "last_import")


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("office", "month", "stories", "original", "repeats", "social_posts", "computed_at")
    raw_id_fields = ("office",)
