from django.contrib import admin

from satupintu.core.admin_records import RecordAdmin
from satupintu.situation.models import (
    Alert,
    AlertRule,
    BriefSubscription,
    FetchLog,
    Issue,
    Item,
    RegionWarning,
    RegionWarningHistory,
    ResponseCase,
    Source,
    SourceKind,
)

SYSTEM_SOURCE_KINDS = (SourceKind.INTERNAL, SourceKind.FIELD)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The product's own sources (complaints and aspirations, field reports) are made again by
        # the next sync: deleting one imported every complaint a second time, and a withdrawn
        # integrity report's old copy stayed in the room. Switch a source off instead ("active").
        return obj is not None and obj.kind not in SYSTEM_SOURCE_KINDS

    list_display = ("name", "kind", "url", "active", "interval_minutes", "last_success_at", "consecutive_failures")
    list_filter = ("kind", "active")
    search_fields = ("name", "url")
    readonly_fields = ("etag", "last_modified", "last_fetched_at", "last_success_at", "consecutive_failures",
                       "last_error", "last_status")


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = ("source", "started_at", "ok", "status_code", "not_modified", "new_items", "error")
    list_filter = ("ok",)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "province_code", "sentiment", "issue")
    list_filter = ("sentiment", "domain", "language")
    search_fields = ("title", "external_id")
    raw_id_fields = ("duplicate_of", "issue")
    exclude = ("minhash",)
    list_select_related = ("source", "issue")  # one query a page, not one per row for each
    show_full_result_count = False  # counting the whole room on every page costs more than it tells


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "province_code", "item_count", "negative_count", "last_seen")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("merged_into",)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("summary", "kind", "status", "score", "created_at", "assigned_to")
    list_filter = ("kind", "status")
    raw_id_fields = ("issue",)


admin.site.register(AlertRule)
admin.site.register(BriefSubscription)


@admin.register(RegionWarning)
class RegionWarningAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "index", "zone", "zone_since", "computed_at")
    list_filter = ("level", "zone")
    search_fields = ("code",)
    readonly_fields = ("signals",)


@admin.register(RegionWarningHistory)
class RegionWarningHistoryAdmin(admin.ModelAdmin):
    list_display = ("code", "computed_at", "index", "previous_zone", "zone")
    list_filter = ("level", "zone")
    search_fields = ("code",)
    raw_id_fields = ("alert",)


@admin.register(ResponseCase)
class ResponseCaseAdmin(RecordAdmin):
    """Acted on in the room's response pages (notes, evidence, escalation, closing are kept)."""

    list_display = ("pk", "kind", "office", "zone", "status", "due_at", "escalation_level", "opened_at")
    list_filter = ("status", "kind", "zone", "escalation_level")
    raw_id_fields = ("issue", "alert", "field_report", "office", "opened_by", "resolved_by", "escalated_to")
