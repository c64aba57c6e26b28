"""A year of applications with their timelines, at national scale.

Each application gets a life in office time: verified after a while, processed, then
completed (most), rejected or withdrawn; some wait for the citizen (Perlu Dilengkapi) and
some never come back; "late" offices take longer than the budget and leave a backlog. What
has happened by now decides the status, and the SLA fields are exactly what
services/sla.py would have written along the way (budget, used seconds, running since,
due date, warned and escalated moments), computed with the offices' calendars as arrays.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from satupintu.demo_national import bulk
from satupintu.demo_national.common import DAY, Context, defaults_for, person_names, tracking_codes
from satupintu.demo_national.skew import HOURS, WEEKEND_HOURS, day_weights, service_weights

NEVER = np.int64(1) << 60  # "not happening": beyond every time
STATUS = np.array(["submitted", "verified", "in_process", "needs_completion", "completed", "rejected", "withdrawn"])
S_SUB, S_VER, S_PROC, S_NEED, S_DONE, S_REJ, S_WD = range(7)
FINAL_ACT = {S_DONE: "complete", S_REJ: "reject", S_WD: "withdraw"}
COMPLETION_NOTES = ("Scan ijazah kurang jelas; unggah ulang dengan resolusi lebih tinggi.",
                    "KTP yang diunggah sudah tidak berlaku.", "Surat pengantar belum ditandatangani.",
                    "Pas foto belum sesuai ketentuan.")
REJECT_NOTES = ("Dokumen bukan terbitan lembaga di wilayah kantor ini.", "Persyaratan tidak dipenuhi.",
                "Permohonan ganda; sudah diproses dengan kode lain.")


def _submission_times(ctx: Context, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(epoch seconds, office index) per application, busiest on Mondays and in big cities."""
    from satupintu.organization.working_calendar import WorkingCalendar

    rng = ctx.rng
    pusat = next(o for o in ctx.offices if o.level == "pusat")
    national = WorkingCalendar.for_office(pusat)
    first_day = datetime.fromtimestamp(ctx.start + 7 * 3600, UTC).date()
    days = [first_day + timedelta(days=i) for i in range(366)]
    w = day_weights(days, lambda d: d.isoweekday() <= 5 and not national.is_working_day(d))
    per_day = rng.multinomial(n, w / w.sum())
    day = np.repeat(np.arange(len(days)), per_day)
    office = rng.choice(len(ctx.offices), size=n, p=ctx.weight / ctx.weight.sum())
    workday = np.array([d.isoweekday() <= 5 and national.is_working_day(d) for d in days])[day]
    hour = np.where(workday, rng.choice(24, n, p=HOURS / HOURS.sum()),
                    rng.choice(24, n, p=WEEKEND_HOURS / WEEKEND_HOURS.sum()))
    midnight_utc = np.array([int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) for d in days])
    t = midnight_utc[day] - ctx.tz_offset[office] + hour * 3600 + rng.integers(0, 3600, n)
    future = t > ctx.now - 60
    back = rng.integers(0, 6 * 3600, n)  # drawn for all, so the random stream does not depend on the clock
    t[future] = ctx.now - 60 - back[future]
    t = np.maximum(t, ctx.start)
    order = np.argsort(t, kind="stable")  # ids follow submission time, as in production
    return t[order], office[order]


def _services(ctx: Context, office: np.ndarray):  # type: ignore[no-untyped-def]
    from satupintu.services.models import Service

    services = list(Service.objects.filter(is_active=True).order_by("slug"))
    w = service_weights(ctx.rng, [s.slug for s in services])
    pick = np.zeros(len(office), dtype=np.int64)
    levels = np.array([o.level for o in ctx.offices])[office]
    for level in ("pusat", "kanwil", "kankemenag"):
        where = np.flatnonzero(levels == level)
        if not len(where):
            continue
        p = np.array([wi if level in (s.levels or []) else 0.0 for s, wi in zip(services, w, strict=True)])
        pick[where] = ctx.rng.choice(len(services), size=len(where), p=p / p.sum())
    return services, pick


def generate(ctx: Context, n: int,
             staff: dict[str, dict[str, dict[int | None, int]]]) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    """Insert n applications and their events; returns arrays the feedback part needs."""
    from satupintu.services.models import Application, Event

    rng = ctx.rng
    t_sub, office = _submission_times(ctx, n)
    services, svc = _services(ctx, office)
    svc_unit = np.array([s.unit_id for s in services])[svc]
    svc_days = np.array([max(1, s.working_days) for s in services])[svc]
    cal = ctx.office_calendar[office]
    spd = np.array([c.seconds_per_day for c in ctx.calendars])[cal]
    budget = svc_days * spd
    late = ctx.late[office]

    # The life of each application in clock seconds ("used"): verify at u1, process at u2, end at u3.
    factor = np.where(late, rng.lognormal(np.log(1.3), 0.45, n), rng.lognormal(np.log(0.45), 0.55, n))
    u3 = np.maximum(900, (factor * budget).astype(np.int64))
    u1 = np.maximum(60, (u3 * rng.beta(2, 5, n) * 0.5).astype(np.int64))
    u2 = u1 + ((u3 - u1) * rng.beta(2, 3, n) * 0.6).astype(np.int64) + 60
    u3 = np.maximum(u3, u2 + 60)
    outcome = np.full(n, S_DONE)
    r = rng.random(n)
    outcome[r < 0.045] = S_REJ
    early_reject = (outcome == S_REJ) & (rng.random(n) < 0.5)  # turned down at the desk, before verification
    u3 = np.where(early_reject, u1, u3)
    wd = (r >= 0.045) & (r < 0.06)
    outcome[wd] = S_WD
    u3 = np.where(wd, (u3 * rng.uniform(0.05, 0.9, n)).astype(np.int64) + 30, u3)
    stuck = rng.random(n) < np.where(late, 0.05, 0.004)  # forgotten in the queue: never finished
    u3 = np.where(stuck, NEVER, u3)
    outcome[stuck] = -1

    # Perlu Dilengkapi: the clock pauses at up (wall time tp) until the citizen returns at tr.
    episode = (rng.random(n) < 0.07) & ~early_reject & ~wd
    up = np.where(episode, (np.minimum(u3, u2 * 2) * rng.uniform(0.05, 0.8, n)).astype(np.int64) + 30, NEVER)
    hold = (rng.lognormal(np.log(1.5 * DAY), 1.0, n)).astype(np.int64) + 600
    gone = episode & (rng.random(n) < 0.12)  # never returns: withdrawn after three weeks
    up = np.where(up >= u3, NEVER, up)
    episode = up < NEVER

    ws0 = np.zeros(n, dtype=np.int64)
    tp = np.full(n, NEVER)
    tr = np.full(n, NEVER)
    wsr = np.zeros(n, dtype=np.int64)
    times = {k: np.full(n, NEVER) for k in ("u1", "u2", "u3", "warn", "due_hit")}
    due_first = np.zeros(n, dtype=np.int64)
    due_after = np.full(n, NEVER)
    for ci, c in enumerate(ctx.calendars):
        m = np.flatnonzero(cal == ci)
        if not len(m):
            continue
        ws0[m] = c.to_ws(t_sub[m])
        due_first[m] = c.from_ws(ws0[m] + budget[m])
        e = m[episode[m]]
        tp[e] = c.from_ws(ws0[e] + up[e])
        tr[e] = np.where(gone[e], NEVER, tp[e] + hold[e])
        back = e[~gone[e]]
        wsr[back] = c.to_ws(tr[back])
        due_after[back] = c.from_ws(wsr[back] + budget[back] - up[back])

        def wall(u, m=m, c=c):  # type: ignore[no-untyped-def]
            """Wall time when the clock reaches u (NEVER when it never does)."""
            out = np.full(len(m), NEVER)
            uu = u[m]
            before = (uu < NEVER) & (uu <= up[m])
            out[before] = c.from_ws(ws0[m][before] + uu[before])
            after = (uu < NEVER) & (uu > up[m]) & (tr[m] < NEVER)
            out[after] = c.from_ws(wsr[m][after] + uu[after] - up[m][after])
            return out

        times["u1"][m] = wall(u1)
        times["u2"][m] = wall(u2)
        times["u3"][m] = wall(u3)
        times["warn"][m] = wall(np.where(u3 > 0.75 * budget, np.ceil(0.75 * budget).astype(np.int64), NEVER))
        times["due_hit"][m] = wall(np.where(u3 > budget, budget, NEVER))
    now = ctx.now
    t1, t2, t3 = times["u1"], times["u2"], times["u3"]
    t1 = np.where(early_reject | (u1 >= u3), NEVER, t1)  # no verification for an early rejection or withdrawal
    t2 = np.where(early_reject | (u2 >= u3), NEVER, t2)
    # Gone during the pause: withdrawn three weeks later.
    t_gone = np.where(gone & episode, tp + 21 * DAY + rng.integers(0, 3 * DAY, n), NEVER)
    t_end = np.where(gone & episode, t_gone, t3)
    end_action = np.where(gone & episode, S_WD, outcome)

    status_at_pause = np.where(up >= u2, S_PROC, np.where(up >= u1, S_VER, S_SUB))
    status_at_pause = np.where(early_reject, S_SUB, status_at_pause)
    final = t_end <= now
    paused = ~final & (tp <= now) & (tr > now)
    running = ~final & ~paused
    progressed = np.where(t2 <= now, S_PROC, np.where(t1 <= now, S_VER, S_SUB))
    status = np.where(final, end_action, np.where(paused, S_NEED, progressed))
    resumed = tr <= now
    # The SLA fields as sla.py leaves them.
    used = np.where(final, np.where(gone & episode, up, u3), np.where(episode & (tp <= now), up, 0))
    running_since = np.where(running, np.where(resumed, tr, t_sub), -1)
    due = np.where(episode & (tp <= now) & ~resumed, -1, np.where(resumed, due_after, due_first))
    warned = np.where(times["warn"] <= np.minimum(now, t_end), times["warn"] + 300, -1)
    escalated = np.where(times["due_hit"] <= np.minimum(now, t_end), times["due_hit"] + 300, -1)
    closed = np.where(final, t_end, -1)
    handed = final & (end_action == S_DONE) & (rng.random(n) < 0.75)
    t_hand = np.where(handed, t_end + rng.integers(1800, 4 * DAY, n), NEVER)
    handed &= t_hand <= now
    resume_status = np.where(episode & (tp <= now) & ~resumed, status_at_pause, -1)

    # ---- people and codes
    from satupintu.services.models import Application as App

    taken = set(App.objects.values_list("tracking_code", flat=True))
    codes = tracking_codes(rng, n, taken)
    names = person_names(rng, n)
    region = [o.code.replace(".", "") if o.level == "kankemenag" else
              (o.code + "71" if o.level == "kanwil" else "3171") for o in ctx.offices]
    birth = rng.integers(0, 60 * 365, n)
    nik_tail = rng.integers(0, 10000, n)
    female = rng.random(n) < 0.5
    born = (np.datetime64("1950-01-01") + birth.astype("timedelta64[D]")).astype(object)
    niks = [f"{region[o]}{rng_d:02d}{(b.day + (40 if f else 0)):02d}{b.month:02d}{b.year % 100:02d}{s:04d}"
            for o, rng_d, b, f, s in zip(office.tolist(), rng.integers(1, 30, n).tolist(), born, female.tolist(),
                                         nik_tail.tolist(), strict=True)]
    phones = [f"+628{p:010d}"[:14] for p in rng.integers(1_100_000_000, 9_999_999_999, n).tolist()]
    emails = [f"pemohon{i}@contoh.local" if e else "" for i, e in enumerate((rng.random(n) < 0.3).tolist())]
    # Officers of the demo offices get work assigned to them (the bench acts as them).
    assignee = np.full(n, -1)
    for code, unit_users in staff.get("assign", {}).items():
        oi = next((i for i, o in enumerate(ctx.offices) if o.code == code), None)
        if oi is None:
            continue
        m = np.flatnonzero((office == oi) & (rng.random(n) < 0.6))
        for k in m.tolist():
            assignee[k] = unit_users.get(int(svc_unit[k]), unit_users.get(None, -1))

    first_id = bulk.next_ids("services_application", n)
    ids = np.arange(first_id, first_id + n)
    ts = bulk.ts_text
    office_ids = np.array([o.pk for o in ctx.offices])[office]
    svc_ids = np.array([s.pk for s in services])[svc]
    cols = ("id", "tracking_code", "service_id", "office_id", "unit_id", "status", "resume_status", "applicant_name",
            "nik", "phone", "email", "form_data", "user_id", "submission_key", "submitted_at", "sla_budget_seconds",
            "sla_used_seconds", "sla_running_since", "due_at", "warned_at", "escalated_at", "assigned_to_id",
            "completion_request", "rejection_reason", "closed_at", "handed_over_at", "updated_at")
    extra_cols, extra_vals = defaults_for(Application, cols)
    last_change = np.maximum.reduce([t_sub, np.where(t1 <= now, t1, 0), np.where(t2 <= now, t2, 0),
                                     np.where(tp <= now, tp, 0), np.where(tr <= now, tr, 0), closed,
                                     np.where(handed, t_hand, 0)])
    completion = np.where(episode & (tp <= now), rng.integers(0, len(COMPLETION_NOTES), n), -1)
    rejection = np.where(status == S_REJ, rng.integers(0, len(REJECT_NOTES), n), -1)
    columns = [
        ids.tolist(), codes, svc_ids.tolist(), office_ids.tolist(), svc_unit.tolist(), STATUS[status].tolist(),
        [STATUS[s] if s >= 0 else "" for s in resume_status.tolist()], names, niks, phones, emails,
        ["{}"] * n, [None] * n, [None] * n, ts(t_sub), budget.tolist(), used.tolist(), ts(running_since), ts(due),
        ts(warned), ts(escalated), [a if a >= 0 else None for a in assignee.tolist()],
        [COMPLETION_NOTES[c] if c >= 0 else "" for c in completion.tolist()],
        [REJECT_NOTES[c] if c >= 0 else "" for c in rejection.tolist()], ts(closed),
        ts(np.where(handed, t_hand, -1)), ts(last_change),
    ]
    bar = ctx.bar(n, "permohonan")
    bulk.insert("services_application", cols + extra_cols,
                (row + extra_vals for row in zip(*columns, strict=True)), progress=bar)
    if bar is not None:
        bar.close()
    del columns

    # ---- the timelines: one array per kind of event, then sorted per application and time
    ev_app, ev_at, ev_act, ev_from, ev_to, ev_public, ev_label, ev_note = [], [], [], [], [], [], [], []

    def add(mask, at, action, frm, to, public=True, label="Petugas", note=None):  # type: ignore[no-untyped-def]
        idx = np.flatnonzero(mask)
        ev_app.append(idx)
        ev_at.append(np.asarray(at)[idx] if np.ndim(at) else np.full(len(idx), at))
        ev_act.append(np.full(len(idx), action, dtype=object))
        ev_from.append(np.asarray(frm, dtype=object)[idx] if np.ndim(frm) else np.full(len(idx), frm, dtype=object))
        ev_to.append(np.asarray(to, dtype=object)[idx] if np.ndim(to) else np.full(len(idx), to, dtype=object))
        ev_public.append(np.full(len(idx), public))
        ev_label.append(np.full(len(idx), label, dtype=object))
        ev_note.append(np.asarray(note, dtype=object)[idx] if note is not None else np.full(len(idx), "", dtype=object))

    names_status = STATUS.astype(object)
    add(np.ones(n, bool), t_sub, "submit", "", "submitted", label="Pemohon")
    add(t1 <= now, t1, "verify", "submitted", "verified", label="Petugas front office")
    add(t2 <= now, t2, "process", "verified", "in_process", label="Petugas unit")
    asg = (assignee >= 0) & (t1 <= now)
    add(asg, t1 + 120, "assign", "", "", public=False, label="Petugas front office")
    comp_notes = np.array(COMPLETION_NOTES, dtype=object)[np.maximum(completion, 0)]
    add(episode & (tp <= now), tp, "request_completion", names_status[status_at_pause], "needs_completion",
        label="Petugas unit", note=comp_notes)
    add(episode & resumed, tr, "citizen_complete", "needs_completion", names_status[status_at_pause], label="Pemohon")
    add(warned >= 0, warned, "sla_warning", "", "", public=False, label="Sistem")
    add(escalated >= 0, escalated, "sla_escalation", "", "", public=False, label="Sistem")
    done = final & (end_action == S_DONE)
    add(done, t_end - 60, "upload_product", "", "", label="Petugas unit")
    add(done, t_end, "complete", "in_process", "completed", label="Petugas unit")
    rej = final & (end_action == S_REJ)
    rej_from = np.where(early_reject, "submitted", "in_process").astype(object)
    add(rej, t_end, "reject", rej_from, "rejected", label="Kepala seksi",
        note=np.array(REJECT_NOTES, dtype=object)[np.maximum(rejection, 0)])
    wdr = final & (end_action == S_WD)
    wd_from = np.where(gone & episode, "needs_completion",
                       names_status[np.where(t2 <= t_end, S_PROC, np.where(t1 <= t_end, S_VER, S_SUB))]).astype(object)
    add(wdr, t_end, "withdraw", wd_from, "withdrawn", label="Pemohon")
    add(handed, t_hand, "handover", "", "", label="Petugas front office", note=np.full(n, "Diambil di loket", dtype=object))

    app_i = np.concatenate(ev_app)
    at = np.concatenate(ev_at)
    order = np.lexsort((at, app_i))
    app_i, at = app_i[order], at[order]
    n_events = len(app_i)
    first_ev = bulk.next_ids("services_event", n_events)
    ev_cols = ("id", "application_id", "at", "action", "from_status", "to_status", "actor_id", "actor_label", "note",
               "public", "data")
    extra_cols, extra_vals = defaults_for(Event, ev_cols)
    columns = [range(first_ev, first_ev + n_events), ids[app_i].tolist(), ts(at),
               np.concatenate(ev_act)[order].tolist(),
               np.concatenate(ev_from)[order].tolist(), np.concatenate(ev_to)[order].tolist(), [None] * n_events,
               np.concatenate(ev_label)[order].tolist(), np.concatenate(ev_note)[order].tolist(),
               np.concatenate(ev_public)[order].tolist(), ["{}"] * n_events]
    bar = ctx.bar(n_events, "riwayat")
    bulk.insert("services_event", ev_cols + extra_cols, (row + extra_vals for row in zip(*columns, strict=True)),
                progress=bar)
    if bar is not None:
        bar.close()
    ctx.counts["services_application"] = n
    ctx.counts["services_event"] = n_events
    return {"ids": ids, "office": office, "service_pk": svc_ids, "unit": svc_unit, "completed_at":
            np.where(done, t_end, -1), "late": late}
