"""Breakthroughs in the admin: corrections (a wrong start date, evidence to remove) and calls."""

from django.contrib import admin

from satupintu.reform.models import Breakthrough, BreakthroughCall, BreakthroughEvidence, BreakthroughIndicator


class IndicatorInline(admin.TabularInline):
    model = BreakthroughIndicator
    extra = 0
    raw_id_fields = ["service"]


class EvidenceInline(admin.TabularInline):
    model = BreakthroughEvidence
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Breakthrough)
class BreakthroughAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "unit", "started_on", "call", "created_at"]
    list_filter = ["unit", "started_on"]
    search_fields = ["title", "office__name", "office__code"]
    raw_id_fields = ["office", "call", "created_by"]
    inlines = [IndicatorInline, EvidenceInline]


@admin.register(BreakthroughCall)
class BreakthroughCallAdmin(admin.ModelAdmin):
    list_display = ["decision", "due_date", "per_unit", "created_at"]
    raw_id_fields = ["decision", "created_by"]
    filter_horizontal = ["offices"]
