"""Pre-aggregated survey answers for the SKM dashboards (SurveyTally).

A year of the whole country is hundreds of thousands of answers and the SKM page reads them
eight ways (index, four profile questions, per unit, per service, per office below). The
tallies hold, per month and per scope the page can ask for (an office alone; a Kanwil with its
Kankemenags; Pusat with the whole country), one row per split. `refresh_tallies` rebuilds
them in the database (INSERT ... SELECT, no rows through Python); the scheduler runs it
(CELERY_BEAT_SCHEDULE "skm-tallies"). It records up to which answer id they are complete,
so selectors.dashboard adds newer answers live and the page never lags behind an import.
A deleted answer stays counted until the next rebuild (answers are not deleted in normal use).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, CharField, Count, F, Max, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from satupintu.core.db_locks import take_turn
from satupintu.feedback.models import SurveyResponse, SurveyTally, SurveyTallyRun

PROFILE_ATTRIBUTES = ("sex", "age_group", "education", "occupation")
SPLITS = ("all", "unit", "service", *PROFILE_ATTRIBUTES)


def _insert(qs, scope_children: bool, by: str) -> int:  # type: ignore[no-untyped-def]
    """INSERT INTO the tally table the grouped rows of ``qs`` (its SELECT list in this order:
    month, office, unit, service, value, respondents, s1..s9)."""
    sql, params = qs.query.sql_with_params()
    cols = ["month", "office_id", "unit_id", "service_id", "value", "respondents", *(f"s{i}" for i in range(1, 10))]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {SurveyTally._meta.db_table} ({', '.join(cols)}, with_children, by) "
            f"SELECT q.*, %s, %s FROM ({sql}) q", [scope_children, by, *params])
        return cur.rowcount


def refresh_tallies() -> dict[str, int]:
    with transaction.atomic():
        # Two rebuilds at once (a slow one still running at the next hour, two schedulers) each deleted
        # what they could see and both inserted: every count doubled. The second now waits its turn.
        take_turn("feedback.refresh_tallies")
        upto = SurveyResponse.objects.aggregate(m=Max("pk"))["m"] or 0
        SurveyTally.objects.all().delete()
        from satupintu.organization.models import Office

        pusat = Office.objects.filter(level="pusat").values_list("pk", flat=True).first()
        scopes = {
            False: F("office_id"),  # the office alone
            # A Kanwil with the offices below it: its own answers and those of its Kankemenags.
            True: Case(When(office__level="kanwil", then=F("office_id")),
                       When(office__level="kankemenag", then=F("office__parent_id")), output_field=BigIntegerField()),
        }
        rows = 0
        for with_children, scope in scopes.items():
            for by in SPLITS:
                rows += _insert(_grouped(upto, scope, by), with_children, by)
                if with_children and pusat is not None:  # Pusat with everything below: the whole country
                    rows += _insert(_grouped(upto, Cast(Value(pusat), output_field=BigIntegerField()), by), True, by)
        SurveyTallyRun.objects.create(max_response_id=upto, finished_at=timezone.now())
        SurveyTallyRun.objects.exclude(pk=SurveyTallyRun.objects.order_by("-id").values("pk")[:1]).delete()
    return {"tallies": rows, "upto_response": upto}


def _grouped(upto: int, scope, by: str):  # type: ignore[no-untyped-def]
    none = Cast(Value(None), output_field=BigIntegerField())  # typed: a bare NULL parameter would be text
    unit = F("unit_id") if by == "unit" else none
    service = F("service_id") if by == "service" else none
    value = Coalesce(F(by), Value("")) if by in PROFILE_ATTRIBUTES else Cast(Value(""), output_field=CharField())
    qs = (SurveyResponse.counted.filter(pk__lte=upto)
          .annotate(t_month=TruncMonth("answered_on"), t_scope=scope, t_unit=unit, t_service=service, t_value=value)
          .exclude(t_scope=None)
          .values("t_month", "t_scope", "t_unit", "t_service", "t_value")
          .annotate(t_n=Count("pk"), **{f"t_s{i}": Sum(f"u{i}") for i in range(1, 10)})
          .order_by())
    return qs.values_list("t_month", "t_scope", "t_unit", "t_service", "t_value", "t_n",
                          *(f"t_s{i}" for i in range(1, 10)))


def watermark() -> int | None:
    """The id up to which the tallies are complete, or None before the first rebuild."""
    return SurveyTallyRun.objects.order_by("-id").values_list("max_response_id", flat=True).first()
