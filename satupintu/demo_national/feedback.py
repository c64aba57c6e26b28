"""Suara publik at national scale: SKM answers (online after completed applications, at the
kiosk, imported from paper) and complaints, aspirations and questions with their stages.

Answers lean on the office: a late office is rated lower (waiting time and complaint
handling most), fees are almost always 4 (services are free)."""

from __future__ import annotations

import hashlib

import numpy as np

from satupintu.demo_national import bulk
from satupintu.demo_national.common import DAY, Context, defaults_for, person_names, tracking_codes
from satupintu.feedback.elements import AGE_CHOICES, EDUCATION_CHOICES, OCCUPATION_CHOICES, SEX_CHOICES

ONLINE_SHARE = 0.25  # of completed applications, the applicant answers the survey link
WALK_IN = 0.12  # kiosk and paper answers, per application
BIAS = np.array([0.1, 0.15, -0.45, 5.0, 0.1, 0.05, 0.3, -0.55, -0.25])  # per element u1..u9 (u4: fees)
COMMENTS = ("", "", "", "", "Pelayanan cepat, terima kasih.", "Antrean terlalu lama.", "Petugas ramah.",
            "Mohon ruang tunggu diperbaiki.", "Informasi persyaratan kurang jelas.")


def surveys(ctx: Context, apps: dict[str, np.ndarray]) -> int:
    from satupintu.feedback.models import SurveyResponse
    from satupintu.services.models import Service

    rng = ctx.part_rng("surveys")
    quality = rng.normal(0.05, 0.22, len(ctx.offices)) - np.where(ctx.late, 0.45, 0.0)
    n_apps = len(apps["ids"])
    n_walk = int(WALK_IN * n_apps)
    # Every draw is made for all candidate rows (each application, each walk-in) and then the
    # rows are chosen: which applications are completed depends on the clock, the random
    # stream must not.
    asks = rng.random(n_apps) < ONLINE_SHARE
    delay = rng.integers(600, 3 * DAY, n_apps)
    walk_office = rng.choice(len(ctx.offices), n_walk, p=ctx.weight / ctx.weight.sum())
    service_rows = list(Service.objects.order_by("slug").values_list("pk", "unit_id"))
    walk_service = rng.integers(0, len(service_rows), n_walk)
    walk_time = ctx.start + rng.integers(0, ctx.now - ctx.start, n_walk)
    walk_channel = np.where(rng.random(n_walk) < 0.7, "kiosk", "paper").astype(object)
    n_all = n_apps + n_walk
    noise = rng.normal(0, 0.6, (n_all, 9))
    keep = np.concatenate([asks & (apps["completed_at"] >= 0), np.ones(n_walk, dtype=bool)])
    online = np.flatnonzero(keep[:n_apps])
    n_on = len(online)
    office = np.concatenate([apps["office"][online], walk_office])
    n = n_on + n_walk
    answered = np.concatenate([np.minimum(apps["completed_at"][online] + delay[online], ctx.now), walk_time])
    service_pk = np.concatenate([apps["service_pk"][online], np.array([s[0] for s in service_rows])[walk_service]])
    unit = np.concatenate([apps["unit"][online], np.array([s[1] for s in service_rows])[walk_service]])
    channel = np.concatenate([np.full(n_on, "online", dtype=object), walk_channel])
    app_id = np.concatenate([apps["ids"][online], np.full(n_walk, -1)])
    values = 3 + BIAS[None, :] + quality[office][:, None] + noise[keep]
    answers = np.clip(np.rint(values), 1, 4).astype(int)
    order = np.argsort(answered, kind="stable")
    first = bulk.next_ids("feedback_surveyresponse", n)
    pick = lambda choices, p=None: np.array([c[0] for c in choices], dtype=object)[  # noqa: E731
        rng.choice(len(choices), n_all, p=p)][keep]
    sex, age = pick(SEX_CHOICES), pick(AGE_CHOICES, [0.05, 0.3, 0.3, 0.2, 0.15])
    edu, job = pick(EDUCATION_CHOICES, [0.08, 0.12, 0.4, 0.1, 0.25, 0.05]), pick(OCCUPATION_CHOICES)
    blank = (rng.random(n_all) < 0.08)[keep]  # some respondents skip the profile questions
    for arr in (sex, age, edu, job):
        arr[blank] = ""
    office_pk = np.array([o.pk for o in ctx.offices])[office]
    days = bulk.date_text(answered, ctx.tz_offset[office])
    comment = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), n_all)][keep]
    cols = ("id", "office_id", "unit_id", "service_id", "application_id", "channel", "answered_on",
            *(f"u{i}" for i in range(1, 10)), "sex", "age_group", "education", "occupation", "comment", "import_key",
            "created_at")
    extra_cols, extra_vals = defaults_for(SurveyResponse, cols)
    ts = bulk.ts_text(answered)
    rows = ((first + k, int(office_pk[i]), int(unit[i]), int(service_pk[i]), int(app_id[i]) if app_id[i] >= 0 else None,
             channel[i], days[i], *answers[i].tolist(), sex[i], age[i], edu[i], job[i], comment[i],
             f"national:{ctx.seed}:{k}" if channel[i] == "paper" else None, ts[i]) + extra_vals
            for k, i in enumerate(order.tolist()))
    bar = ctx.bar(n, "survei")
    bulk.insert("feedback_surveyresponse", cols + extra_cols, rows, progress=bar)
    if bar is not None:
        bar.close()
    ctx.counts["feedback_surveyresponse"] = n
    return n


REPORT_TEXTS = {
    "complaint": [("service_quality", "Antrean layanan lama", "Antrean di loket PTSP memakan waktu lebih dari tiga jam."),
                  ("service_quality", "Permohonan belum selesai", "Permohonan saya sudah lewat tenggat tetapi belum selesai."),
                  ("staff_conduct", "Petugas tidak ramah", "Petugas di loket berbicara kasar kepada pemohon lansia."),
                  ("illegal_levy", "Diminta uang tambahan", "Oknum meminta uang di luar biaya resmi pelayanan."),
                  ("facilities", "Ruang tunggu panas", "Ruang tunggu PTSP tidak memiliki pendingin dan kursi kurang."),
                  ("hajj", "Informasi pelunasan haji", "Jadwal pelunasan biaya haji tidak diumumkan dengan jelas."),
                  ("marriage", "Jadwal nikah di KUA", "Pendaftaran nikah di KUA ditolak tanpa penjelasan.")],
    "aspiration": [("education", "Madrasah negeri baru", "Warga memohon pendirian madrasah negeri di kecamatan kami."),
                   ("religious_harmony", "Dialog lintas iman", "Mohon difasilitasi dialog lintas iman untuk pemuda."),
                   ("other", "Layanan keliling", "Mohon layanan PTSP keliling untuk desa terpencil.")],
    "question": [("hajj", "Kapan pelunasan haji", "Kapan jadwal pelunasan biaya perjalanan ibadah haji tahun depan?"),
                 ("education", "Syarat legalisir", "Apa saja syarat legalisir ijazah madrasah untuk alumni lama?"),
                 ("marriage", "Biaya nikah", "Berapa biaya nikah di luar kantor KUA?")],
}


def reports(ctx: Context, n: int) -> int:
    """Complaints, aspirations and questions: stages on the SLA clock (3 working days to verify
    plus the category's days to answer), late offices slower and more complained about."""
    from satupintu.feedback.models import INTEGRITY_CATEGORIES, Report, ReportEvent
    from satupintu.feedback.reports import VERIFY_DAYS, answer_days

    rng = ctx.part_rng("reports")
    w = ctx.weight * np.where(ctx.late, 2.5, 1.0)
    office = rng.choice(len(ctx.offices), n, p=w / w.sum())
    t_sub = np.sort(ctx.start + rng.integers(0, ctx.now - ctx.start, n))
    kinds = np.array(["complaint", "aspiration", "question"], dtype=object)[rng.choice(3, n, p=[0.5, 0.3, 0.2])]
    pick = np.array([rng.integers(0, len(REPORT_TEXTS[k])) for k in kinds])
    cats = [REPORT_TEXTS[k][p][0] for k, p in zip(kinds, pick, strict=True)]
    days = np.array([VERIFY_DAYS + answer_days(c) for c in set(cats)])
    day_of = dict(zip(set(cats), days.tolist(), strict=True))
    cal = ctx.office_calendar[office]
    spd = np.array([c.seconds_per_day for c in ctx.calendars])[cal]
    budget = np.array([day_of[c] for c in cats]) * spd
    late = ctx.late[office]
    f = np.where(late, rng.lognormal(np.log(1.2), 0.4, n), rng.lognormal(np.log(0.5), 0.5, n))
    u_ver = (budget * 0.15 * rng.beta(2, 4, n)).astype(np.int64) + 300
    u_fwd = u_ver + 600
    u_ans = np.maximum(u_fwd + 600, (budget * f).astype(np.int64))
    rejected = rng.random(n) < 0.05
    t_ver, t_fwd, t_ans, due = (np.zeros(n, dtype=np.int64) for _ in range(4))
    for ci, c in enumerate(ctx.calendars):
        m = np.flatnonzero(cal == ci)
        if len(m):
            w0 = c.to_ws(t_sub[m])
            t_ver[m], t_fwd[m], t_ans[m] = c.from_ws(w0 + u_ver[m]), c.from_ws(w0 + u_fwd[m]), c.from_ws(w0 + u_ans[m])
            due[m] = c.from_ws(w0 + budget[m])
    now = ctx.now
    t_close = t_ans + rng.integers(DAY, 10 * DAY, n)
    confirms = rng.random(n) < 0.6
    status = np.where(t_sub <= now, "submitted", "submitted").astype(object)
    status[t_ver <= now] = "verified"
    status[(t_fwd <= now) & ~rejected] = "forwarded"
    status[(t_ans <= now) & ~rejected] = "answered"
    status[(t_close <= now) & confirms & ~rejected] = "closed"
    status[rejected & (t_ver <= now)] = "rejected"
    stopped = np.isin(status, ["answered", "closed", "rejected"])
    t_stop = np.where(rejected, t_ver, t_ans)
    used = np.where(stopped, np.where(rejected, u_ver, u_ans), 0)
    codes = tracking_codes(rng, n, set(Report.objects.values_list("tracking_code", flat=True)))
    anonymous = rng.random(n) < 0.15
    confidential = rng.random(n) < 0.1
    names = person_names(rng, n)
    first = bulk.next_ids("feedback_report", n)
    office_pk = np.array([o.pk for o in ctx.offices])[office]
    ts = bulk.ts_text
    cols = ("id", "tracking_code", "kind", "category", "office_id", "unit_id", "title", "text", "application_id",
            "dialogue_id", "reporter_name", "reporter_email", "reporter_phone", "anonymous", "confidential",
            "integrity", "status", "answer", "answered_at", "resolved", "rating", "submitted_at", "closed_at",
            "sla_budget_seconds", "sla_used_seconds", "sla_running_since", "due_at", "warned_at", "escalated_at",
            "fingerprint", "updated_at")
    extra_cols, extra_vals = defaults_for(Report, cols)
    answered = np.isin(status, ["answered", "closed"])
    rating = rng.integers(2, 6, n)
    sub_s, ans_s, close_s, due_s = ts(t_sub), ts(np.where(answered, t_ans, -1)), ts(np.where(
        status == "closed", t_close, np.where(status == "rejected", t_ver, -1))), ts(due)
    run_s = ts(np.where(stopped, -1, t_sub))
    upd = ts(np.minimum(now, np.where(status == "closed", t_close, np.where(answered, t_ans, t_ver))))
    esc = ts(np.where((due <= np.where(stopped, t_stop, now)), due + 300, -1))
    rows = []
    for i in range(n):
        k, p = kinds[i], pick[i]
        cat, title, text = REPORT_TEXTS[k][p]
        anon = bool(anonymous[i])
        rows.append((
            first + i, codes[i], k, cat, int(office_pk[i]), None, title, f"{text} (laporan {i + 1})", None, None,
            "" if anon else names[i], "" if anon else f"pelapor{i}@contoh.local", "", anon,
            bool(confidential[i]) or cat in INTEGRITY_CATEGORIES, cat in INTEGRITY_CATEGORIES, status[i],
            "Terima kasih, sudah kami tindak lanjuti." if answered[i] else "", ans_s[i],
            bool(rating[i] >= 3) if status[i] == "closed" else None, int(rating[i]) if status[i] == "closed" else None,
            sub_s[i], close_s[i], int(budget[i]), int(used[i]), run_s[i], due_s[i], None, esc[i],
            hashlib.sha256(f"{ctx.seed}:{i}:{text}".encode()).hexdigest(), upd[i]) + extra_vals)
    bulk.insert("feedback_report", cols + extra_cols, rows)
    # Their timelines.
    ev = []
    for i in range(n):
        rid = first + i
        ev.append((rid, t_sub[i], "submit", "submitted", "Pelapor", True))
        if t_ver[i] <= now:
            ev.append((rid, t_ver[i], "reject" if rejected[i] else "verify", "rejected" if rejected[i] else "verified",
                       "Petugas pengaduan", True))
        if not rejected[i] and t_fwd[i] <= now:
            ev.append((rid, t_fwd[i], "forward", "forwarded", "Petugas pengaduan", True))
        if answered[i]:
            ev.append((rid, t_ans[i], "answer", "answered", "Petugas unit", True))
        if status[i] == "closed":
            ev.append((rid, t_close[i], "close", "closed", "Pelapor", True))
    first_ev = bulk.next_ids("feedback_reportevent", len(ev))
    at = ts(np.array([e[1] for e in ev], dtype=np.int64))
    ev_cols = ("id", "report_id", "at", "action", "to_status", "actor_id", "actor_label", "note", "public")
    extra_cols, extra_vals = defaults_for(ReportEvent, ev_cols)
    bulk.insert("feedback_reportevent", ev_cols + extra_cols,
                ((first_ev + j, e[0], at[j], e[2], e[3], None, e[4], "", e[5]) + extra_vals for j, e in enumerate(ev)))
    ctx.counts["feedback_report"] = n
    ctx.counts["feedback_reportevent"] = len(ev)
    return n
