"""Coordination at national scale: Rakernas decisions cascading through the Kanwil Rakerwil to
actions for every Kankemenag; Kanwil and Kankemenag meetings of their own; progress with
evidence; late offices leave actions open past their due date."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import numpy as np

from satupintu.demo_national import bulk
from satupintu.demo_national.common import DAY, Context, defaults_for

NATIONAL_DECISIONS = (
    "Percepatan transformasi layanan PTSP berbasis digital di seluruh satuan kerja.",
    "Penguatan moderasi beragama melalui penyuluh agama dan FKUB di setiap kabupaten/kota.",
    "Peningkatan kualitas layanan haji: pelunasan, manasik dan pendampingan jemaah lansia.",
    "Akreditasi madrasah: seluruh madrasah swasta terdata di EMIS dan siap visitasi.",
    "Sertifikasi halal gratis bagi pelaku usaha mikro melalui pendamping PPH.",
    "Pencegahan pungutan liar dan gratifikasi: zona integritas di setiap kantor.",
    "Penyaluran tunjangan profesi guru tepat waktu dan tepat sasaran.",
    "Revitalisasi KUA sebagai pusat layanan keagamaan.",
)
INDICATORS = ("Laporan pelaksanaan beserta foto kegiatan", "Surat edaran ke seluruh satuan kerja",
              "Data rekapitulasi per kecamatan", "Berita acara rapat koordinasi", "Dokumen SOP yang ditetapkan",
              "Daftar hadir sosialisasi")


def generate(ctx: Context) -> None:
    from satupintu.rakor.models import Action, Decision, Meeting, ProgressUpdate

    rng = ctx.part_rng("rakor")
    offices = ctx.offices
    pusat = next(o for o in offices if o.level == "pusat")
    kanwils = [o for o in offices if o.level == "kanwil"]
    children: dict[int, list] = {}  # type: ignore[type-arg]
    for o in offices:
        if o.parent_id:
            children.setdefault(o.parent_id, []).append(o)
    now = ctx.now
    meetings, invites, decisions, actions, updates, agenda = [], [], [], [], [], []
    m_id = bulk.next_ids("rakor_meeting", 1)
    d_id = bulk.next_ids("rakor_decision", 1)
    a_id = bulk.next_ids("rakor_action", 1)

    def meeting(office, kind: str, title: str, at: int) -> int:  # type: ignore[no-untyped-def]
        nonlocal m_id
        meetings.append((m_id, office.pk, kind, title, at))
        for k, t in enumerate(("Pembukaan", "Arahan pimpinan", "Pembahasan", "Rencana tindak lanjut")):
            agenda.append((m_id, k, t))
        m_id += 1
        return m_id - 1

    def decision(meeting_id: int, text: str, adopted: int | None, at: int) -> int:
        nonlocal d_id
        decisions.append((d_id, meeting_id, text, adopted, at))
        d_id += 1
        return d_id - 1

    def action(decision_id: int, office, at: int) -> None:  # type: ignore[no-untyped-def]
        nonlocal a_id
        oi = ctx.office_index[office.pk]
        due = at + int(rng.integers(20, 120)) * DAY
        late = bool(ctx.late[oi])
        p_done = (0.4 if late else 0.88) if due < now else (0.1 if late else 0.35)
        done = rng.random() < p_done
        closed = min(now, due - int(rng.integers(-5, 15)) * DAY) if done else -1
        if done and closed < at:
            closed = min(now, at + 3 * DAY)
        n_up = int(rng.integers(1, 4)) if done else int(rng.choice(3, p=[0.5, 0.3, 0.2] if not late else [0.8, 0.15, 0.05]))
        span_end = closed if done else min(now, due)
        for k in range(n_up):
            t = at + int((span_end - at) * (k + 1) / (n_up + 1))
            if t > now:
                break
            has_link = done and k == n_up - 1
            updates.append((a_id, f"Perkembangan tahap {k + 1}", "https://contoh.kemenag.go.id/bukti/"
                            f"{a_id}-{k}" if has_link else "", int(100 * (k + 1) / (n_up + (0 if done else 1))), t))
        due_local = datetime.fromtimestamp(due + int(ctx.tz_offset[oi]), UTC).date()
        actions.append((a_id, decision_id, office.pk, INDICATORS[int(rng.integers(0, len(INDICATORS)))], due_local,
                        "done" if done else "open", closed, at))
        a_id += 1

    # Rakernas: twice a year, eight decisions, invited: every Kanwil.
    for r, months_ago in enumerate((10, 4)):
        at = now - months_ago * 30 * DAY
        mid = meeting(pusat, "rakernas", f"Rapat Kerja Nasional Kementerian Agama {'I' * (r + 1)}", at)
        invites += [(mid, k.pk) for k in kanwils]
        for text in NATIONAL_DECISIONS:
            nd = decision(mid, text, None, at)
            action(nd, pusat, at)
            for kw in kanwils:
                if rng.random() > 0.92 and not ctx.late[ctx.office_index[kw.pk]]:
                    continue  # a few Kanwil never adopt it: "belum diadopsi" on the board
                if ctx.late[ctx.office_index[kw.pk]] and rng.random() < 0.3:
                    continue
                t = at + int(rng.integers(7, 30)) * DAY
                if t > now:
                    continue
                rw = next((m[0] for m in meetings if m[1] == kw.pk and m[2] == "rakerwil" and abs(m[4] - t) < 40 * DAY),
                          None) or meeting(kw, "rakerwil", f"Rakerwil {kw.name} {r + 1}", t)
                ad = decision(rw, text, nd, t)
                action(ad, kw, t)
                for kk in children.get(kw.pk, []):
                    action(ad, kk, t + DAY)
    # Each Kanwil's own Rakor, about quarterly, actions to some Kankemenags below.
    for kw in kanwils:
        for q in range(4):
            at = now - int((11 - 3 * q) * 30 + rng.integers(0, 20)) * DAY
            mid = meeting(kw, "rakor", f"Rakor {kw.name} triwulan {q + 1}", at)
            for _ in range(3):
                dd = decision(mid, NATIONAL_DECISIONS[int(rng.integers(0, len(NATIONAL_DECISIONS)))], None, at)
                below = children.get(kw.pk, [])
                for kk in rng.choice(len(below), size=min(len(below), int(rng.integers(2, 6))), replace=False) \
                        if below else []:
                    action(dd, below[int(kk)], at)
    # Kankemenag working meetings (scaled with the demo's size).
    for o in offices:
        if o.level != "kankemenag" or rng.random() > max(0.05, ctx.scale):
            continue
        for q in range(3):
            at = now - int(rng.integers(5, 330)) * DAY
            mid = meeting(o, "rapat-kerja", f"Rapat kerja {o.name} {q + 1}", at)
            for _ in range(2):
                dd = decision(mid, "Tindak lanjut evaluasi layanan PTSP dan IKM kantor.", None, at)
                action(dd, o, at)

    ts = bulk.ts_text
    cols = ("id", "office_id", "type", "title", "theme", "mode", "venue", "online_link", "starts_at", "ends_at",
            "participants_reported", "invited_roles", "source_item_id", "attendance_token", "created_by_id",
            "created_at")
    extra_cols, extra_vals = defaults_for(Meeting, cols)
    starts = ts(np.array([m[4] for m in meetings], dtype=np.int64))
    ends = ts(np.array([m[4] + 6 * 3600 for m in meetings], dtype=np.int64))
    bulk.insert("rakor_meeting", cols + extra_cols, (
        (m[0], m[1], m[2], m[3], "", "in_person", "Aula kantor", "", starts[k], ends[k],
         int(rng.integers(20, 400)), "[]", None, secrets.token_hex(16), None, starts[k]) + extra_vals
        for k, m in enumerate(meetings)))
    bulk.insert("rakor_meeting_invited_offices", ("meeting_id", "office_id"), invites)
    bulk.insert("rakor_agendaitem", ("meeting_id", '"order"', "title", "minutes"),
                ((a[0], a[1], a[2], "") for a in agenda))
    d_at = ts(np.array([d[4] for d in decisions], dtype=np.int64))
    extra_cols, extra_vals = defaults_for(Decision, ("id", "meeting_id", "text", "given_by", "adopted_from_id",
                                                     "created_at"))
    bulk.insert("rakor_decision", ("id", "meeting_id", "text", "given_by", "adopted_from_id", "created_at")
                + extra_cols, ((d[0], d[1], d[2], "Pimpinan rapat", d[3], d_at[k]) + extra_vals
                               for k, d in enumerate(decisions)))
    a_cols = ("id", "decision_id", "office_id", "unit_id", "indicator", "evidence_required", "due_date", "status",
              "closed_at", "closed_by_id", "reminded_at", "escalated_at", "created_at")
    extra_cols, extra_vals = defaults_for(Action, a_cols)
    closed = ts(np.array([a[6] for a in actions], dtype=np.int64))
    created = ts(np.array([a[7] for a in actions], dtype=np.int64))
    bulk.insert("rakor_action", a_cols + extra_cols, (
        (a[0], a[1], a[2], None, a[3], True, a[4].isoformat(), a[5], closed[k], None, None, None, created[k])
        + extra_vals for k, a in enumerate(actions)))
    u_at = ts(np.array([u[4] for u in updates], dtype=np.int64))
    u_cols = ("action_id", "author_id", "note", "link", "evidence", "percent", "at")
    extra_cols, extra_vals = defaults_for(ProgressUpdate, u_cols)
    bulk.insert("rakor_progressupdate", u_cols + extra_cols,
                ((u[0], None, u[1], u[2], "", u[3], u_at[k]) + extra_vals for k, u in enumerate(updates)))
    ctx.counts.update({"rakor_meeting": len(meetings), "rakor_decision": len(decisions),
                       "rakor_action": len(actions), "rakor_progressupdate": len(updates)})
