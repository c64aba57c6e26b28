"""Official records in the Django admin: shown, never added, changed or deleted there.

Signed documents, complaints, survey answers, field reports and response cases change only through
the product's own flows, which keep their history (who, when, why). A delete in the admin took that
history with it (a signed letter's check page said "not found" while the citizen still held the
letter; a complaint's replies and its tracking page went; a published satisfaction index changed).
``RecordAdmin`` is for those; ``RecordInline`` for the rows shown inside them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class RecordInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
