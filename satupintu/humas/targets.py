"""Targets the Kanwil sets for its offices (Pusat for the Kanwils), per year, and how far a
month's stories are from them.

A target is a count of at least one, or explicitly none ("tanpa target"): zero is refused,
because "0 stories a week" would make every office 100 % on target and hide the difference
between "no target" and "a target nobody can miss". Progress for a month scales the weekly
target by the month's weeks (days / 7): three a week is 12.9 stories in a 30-day month. For the
running month (and a running year's last month) only the days so far count, in the office's
timezone (selectors.Period.weeks_until): on the 6th, three a week is 2.6 stories so far.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.humas.models import Target
from satupintu.organization.models import Office

MAX_STORIES_PER_WEEK = 100
MAX_POSTS_PER_MONTH = 1000


def _count(value: str | int | None, *, field: str, label: str, maximum: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise DomainError("humas_target_not_number", "Target %(label)s harus bilangan bulat.", field=field,
                          params={"label": label}) from None
    if n <= 0:
        raise DomainError("humas_target_zero", "Target %(label)s minimal 1. Untuk kantor tanpa target, "
                          "centang \"Tanpa target\".", field=field, params={"label": label})
    if n > maximum:
        raise DomainError("humas_target_too_high", "Target %(label)s paling banyak %(max)s.", field=field,
                          params={"label": label, "max": maximum})
    return n


def target_set(*, office: Office, year: int, stories_per_week: str | int | None,
               social_posts_per_month: str | int | None, no_target: bool = False, user: Any = None) -> Target:
    """Set (or replace) the office's target for ``year``. ``no_target`` says explicitly that the
    office has none; otherwise empty fields are "no target" for that part and zero is refused."""
    if no_target:
        stories, posts = None, None
    else:
        errors: list[DomainError] = []
        stories = posts = None
        try:
            stories = _count(stories_per_week, field="stories_per_week", label="berita per minggu",
                             maximum=MAX_STORIES_PER_WEEK)
        except DomainError as e:
            errors.append(e)
        try:
            posts = _count(social_posts_per_month, field="social_posts_per_month",
                           label="unggahan media sosial per bulan", maximum=MAX_POSTS_PER_MONTH)
        except DomainError as e:
            errors.append(e)
        if errors:
            raise ValidationErrors(errors)
    target, _ = Target.objects.update_or_create(
        office=office, year=year,
        defaults={"stories_per_week": stories, "social_posts_per_month": posts,
                  "set_by": user if getattr(user, "pk", None) else None})
    return target


def weeks_in(first_day: date) -> float:
    return calendar.monthrange(first_day.year, first_day.month)[1] / 7


def stories_target_for_month(stories_per_week: int | None, first_day: date) -> float | None:
    """The weekly target over the month (None: no target)."""
    return None if stories_per_week is None else stories_per_week * weeks_in(first_day)
