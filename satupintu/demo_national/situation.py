"""The Situation Room's year: sources, news and social items with what the pipeline would
have found (regions, topics, tone, language, entities, duplicates, issues), and alerts.

Running the analysis on hundreds of thousands of texts takes hours, so the analysed fields are
set directly, with the distributions of real coverage: Jawa has most of the news, pendidikan,
ibadah and haji most of the topics, six in ten items are neutral, one in ten is a copy of a
story already seen, three in ten belong to an issue."""

from __future__ import annotations

import json

import numpy as np

from satupintu.demo_national import bulk
from satupintu.demo_national.common import DAY, Context, defaults_for
from satupintu.demo_national.skew import PROVINCE_POPULATION, TOPIC_WEIGHTS

ITEMS_PER_APPLICATION = 0.3
SOURCES = (("Kemenag RI", "feed", "https://kemenag.go.id/feed", 14), ("Antara Humaniora", "feed",
           "https://www.antaranews.com/rss/humaniora", 8), ("Detik Hikmah", "feed", "https://www.detik.com/hikmah/rss", 6),
           ("Kompas Regional", "feed", "https://regional.kompas.com/rss", 6),
           ("Republika Khazanah", "feed", "https://republika.co.id/rss/khazanah", 5),
           ("Kanwil Kemenag Jawa Barat", "feed", "https://jabar.kemenag.go.id/feed", 7),
           ("Kanwil Kemenag Jawa Timur", "feed", "https://jatim.kemenag.go.id/feed", 7),
           ("Kanwil Kemenag Jawa Tengah", "feed", "https://jateng.kemenag.go.id/feed", 6),
           ("Kanwil Kemenag Sulawesi Selatan", "feed", "https://sulsel.kemenag.go.id/feed", 4),
           ("Impor X", "social", "", 10), ("Impor Facebook", "social", "", 8), ("Impor Instagram", "social", "", 5))
FEED_OWNERS = {"https://kemenag.go.id/feed": "pusat", "https://jabar.kemenag.go.id/feed": "32",
               "https://jatim.kemenag.go.id/feed": "35", "https://jateng.kemenag.go.id/feed": "33",
               "https://sulsel.kemenag.go.id/feed": "73"}
PHRASES = {
    "pendidikan": "madrasah dan guru", "ibadah": "kegiatan ibadah di masjid", "haji-umrah": "jemaah haji dan umrah",
    "layanan-publik": "layanan PTSP", "koordinasi": "rapat koordinasi", "nikah-keluarga": "layanan nikah di KUA",
    "kerukunan": "kerukunan umat beragama", "kepegawaian-anggaran": "anggaran dan kepegawaian",
    "humas-media": "pemberitaan", "integritas": "zona integritas", "zakat-wakaf": "zakat dan wakaf",
    "bencana-sosial": "bantuan bencana", "halal": "sertifikasi halal", "pemilu-politik": "netralitas ASN",
    "radikalisme-intoleransi": "pencegahan intoleransi",
}


def generate(ctx: Context, n: int) -> int:
    from satupintu.organization import reference
    from satupintu.organization.models import Office
    from satupintu.situation.models import TOPIC_ORDER, Alert, Issue, Item, Source

    rng = ctx.part_rng("situation")
    provinces = [p["code"] for p in reference.provinces()]
    names = reference.region_names()
    regencies: dict[str, list[str]] = {}
    for r in reference.regencies():
        regencies.setdefault(r["province_code"], []).append(r["code"])
    p_w = np.array([PROVINCE_POPULATION.get(p, 1.0) for p in provinces])
    # The ministry's own sites are their offices' channels (Humas counts their stories), never outside media.
    owners = dict(Office.objects.filter(code__in=set(FEED_OWNERS.values())).values_list("code", "pk"))
    sources = Source.objects.bulk_create([Source(name=name, kind=kind, url=url, active=True,
                                                 office_id=owners.get(FEED_OWNERS.get(url, "")))
                                          for name, kind, url, _ in
                                          SOURCES])
    s_w = np.array([s[3] for s in SOURCES], float)
    topic_w = np.log(np.array([TOPIC_WEIGHTS.get(t, 3) for t in TOPIC_ORDER], float))

    def places(k: int, share_without: float):  # type: ignore[no-untyped-def]
        prov = np.array(provinces, dtype=object)[rng.choice(len(provinces), k, p=p_w / p_w.sum())]
        reg = np.array([rng.choice(regencies[p]) if p in regencies and rng.random() > share_without else ""
                        for p in prov], dtype=object)
        none = rng.random(k) < 0.04
        prov[none], reg[none] = "", ""
        return prov, reg

    def masks(k: int):  # type: ignore[no-untyped-def]
        many = rng.choice(3, k, p=[0.5, 0.35, 0.15]) + 1
        keys = topic_w[None, :] + rng.gumbel(size=(k, len(TOPIC_ORDER)))
        ranked = np.argsort(-keys, axis=1)[:, :3]
        mask = np.zeros(k, dtype=np.int64)
        for j in range(3):
            mask |= np.where(many > j, np.left_shift(1, ranked[:, j]), 0)
        return mask

    # Issues: a window, a place, topics.
    m = max(10, n // 40)
    i_end = ctx.start + rng.integers(3 * DAY, ctx.now - ctx.start, m)
    i_start = i_end - (rng.exponential(3.0, m) * DAY).astype(np.int64) - 3600
    i_prov, i_reg = places(m, 0.4)
    i_mask = masks(m)
    popularity = rng.pareto(1.2, m) + 1
    # Items.
    t = np.sort(ctx.start + rng.integers(0, ctx.now - ctx.start, n))
    prov, reg = places(n, 0.15)
    mask = masks(n)
    issue = np.full(n, -1)
    member = rng.random(n) < 0.3
    chosen = rng.choice(m, int(member.sum()), p=popularity / popularity.sum())
    issue[member] = chosen
    t[member] = np.minimum(i_start[chosen] + (rng.random(len(chosen)) * (i_end[chosen] - i_start[chosen])).astype(
        np.int64), ctx.now - 60)
    prov[member], reg[member], mask[member] = i_prov[chosen], i_reg[chosen], i_mask[chosen]
    order = np.argsort(t, kind="stable")
    t, prov, reg, mask, issue = t[order], prov[order], reg[order], mask[order], issue[order]
    u = rng.random(n)
    tone = np.where(u < 0.6, "neutral", np.where(u < 0.85, "positive", "negative")).astype(object)
    score = np.where(tone == "neutral", rng.uniform(-0.19, 0.19, n),
                     np.where(tone == "positive", 0.2 + 0.8 * rng.beta(2, 3, n), -0.2 - 0.8 * rng.beta(2, 3, n)))
    src = rng.choice(len(SOURCES), n, p=s_w / s_w.sum())
    dup = (rng.random(n) < 0.1) & (np.arange(n) > 50)
    dup_of = np.where(dup, np.maximum(0, np.arange(n) - 1 - rng.geometric(1 / 200, n)), -1)
    while True:  # point copies at an original, never at another copy
        chained = (dup_of >= 0) & (dup_of[np.maximum(dup_of, 0)] >= 0)
        if not chained.any():
            break
        dup_of[chained] = dup_of[dup_of[chained]]
    copies = dup_of >= 0
    for arr in (prov, reg, mask, issue, tone, score):
        arr[copies] = arr[dup_of[copies]]
    t[copies] = np.maximum(t[copies], t[dup_of[copies]])
    lang = np.array(["id", "jv", "en", ""], dtype=object)[rng.choice(4, n, p=[0.95, 0.03, 0.015, 0.005])]

    # Issue rows with their counts from their items.
    is_member = issue >= 0
    cnt = np.bincount(issue[is_member], minlength=m)
    neg = np.bincount(issue[is_member], weights=(tone[is_member] == "negative"), minlength=m).astype(int)
    avg = np.bincount(issue[is_member], weights=score[is_member], minlength=m) / np.maximum(cnt, 1)
    first_seen = np.full(m, np.iinfo(np.int64).max)
    last_seen = np.zeros(m, dtype=np.int64)
    np.minimum.at(first_seen, issue[is_member], t[is_member])
    np.maximum.at(last_seen, issue[is_member], t[is_member])
    first_seen = np.where(cnt > 0, first_seen, i_start)
    last_seen = np.where(cnt > 0, last_seen, i_end)

    def topics_of(mk: int) -> list[str]:
        return [tp for b, tp in enumerate(TOPIC_ORDER) if mk >> b & 1]

    def domain_of(tps: list[str]) -> str:
        if tps == ["pemilu-politik"]:
            return "politik"
        if "bencana-sosial" in tps and len(tps) <= 2:
            return "sosial"
        return "keagamaan"

    topic_json: dict[int, tuple[str, str, list[str]]] = {}

    def topic_info(mk: int) -> tuple[str, str, list[str]]:
        if mk not in topic_json:
            tps = topics_of(mk)
            topic_json[mk] = (json.dumps(tps), domain_of(tps), tps)
        return topic_json[mk]

    ts = bulk.ts_text
    first_issue = bulk.next_ids("situation_issue", m)
    status = np.where(rng.random(m) < 0.88, "open", "closed").astype(object)
    fs, ls = ts(first_seen), ts(last_seen)
    i_cols = ("id", "title", "status", "merged_into_id", "province_code", "regency_code", "provinces", "regencies",
              "topics", "topics_mask", "domain", "keywords", "item_count", "negative_count", "sentiment_avg",
              "first_seen", "last_seen", "title_locked", "created_at")
    extra_cols, extra_vals = defaults_for(Issue, i_cols)
    rows = []
    for k in range(m):
        tj, dom, tps = topic_info(int(i_mask[k]))
        where = names.get(i_reg[k]) or names.get(i_prov[k]) or "nasional"
        title = f"{PHRASES.get(tps[0], 'isu')} di {where}".capitalize() if tps else f"Isu di {where}"
        rows.append((first_issue + k, title, status[k], None, i_prov[k], i_reg[k],
                     json.dumps([i_prov[k]] if i_prov[k] else []), json.dumps([i_reg[k]] if i_reg[k] else []), tj,
                     int(i_mask[k]), dom, json.dumps(title.lower().split()[:5]), int(cnt[k]), int(neg[k]),
                     round(float(avg[k]), 4), fs[k], ls[k], False, fs[k]) + extra_vals)
    bulk.insert("situation_issue", i_cols + extra_cols, rows)

    first_item = bulk.next_ids("situation_item", n)
    pub = ts(t)
    fetched = ts(np.minimum(t + rng.integers(60, 3600, n), ctx.now))
    it_cols = ("id", "source_id", "external_id", "url", "title", "text", "author", "published_at", "fetched_at",
               "language", "province_code", "regency_code", "provinces", "regencies", "topics", "topics_mask",
               "domain", "sentiment", "sentiment_score", "duplicate_of_id", "minhash", "entities", "dates",
               "meeting", "issue_id")
    extra_cols, extra_vals = defaults_for(Item, it_cols)
    tone_word = {"positive": "mengapresiasi", "negative": "mengeluhkan", "neutral": "membahas"}
    src_ids = [s.pk for s in sources]

    def rows_items():  # type: ignore[no-untyped-def]
        for k in range(n):
            tj, dom, tps = topic_info(int(mask[k]))
            where = names.get(reg[k]) or names.get(prov[k]) or "Indonesia"
            about = PHRASES.get(tps[0], "layanan keagamaan") if tps else "layanan keagamaan"
            title = f"Warga {where} {tone_word[tone[k]]} {about}"
            text = (f"{title}. Kantor Kementerian Agama setempat menyampaikan perkembangan terkait "
                    f"{', '.join(PHRASES.get(x, x) for x in tps) or about} pada pekan ini. (butir {k + 1})")
            ent = {"people": [], "organisations": ["Kementerian Agama"], "places": [where] if where != "Indonesia"
                   else []}
            s = int(src[k])
            yield (first_item + k, src_ids[s], f"nat-{ctx.seed}-{k}",
                   f"{SOURCES[s][2].rsplit('/', 1)[0] or 'https://x.com'}/berita/{k}" if SOURCES[s][2] else "",
                   title, text, "", pub[k], fetched[k], lang[k], prov[k], reg[k],
                   json.dumps([prov[k]] if prov[k] else []), json.dumps([reg[k]] if reg[k] else []), tj, int(mask[k]),
                   dom, tone[k], round(float(score[k]), 4), first_item + int(dup_of[k]) if dup_of[k] >= 0 else None,
                   None, json.dumps(ent, ensure_ascii=False), "[]", None,
                   first_issue + int(issue[k]) if issue[k] >= 0 else None) + extra_vals

    bar = ctx.bar(n, "situasi")
    bulk.insert("situation_item", it_cols + extra_cols, rows_items(), progress=bar)
    if bar is not None:
        bar.close()
    # Alerts: a few a week, the recent ones still open.
    alerts = []
    n_alerts = max(20, int(300 * ctx.scale))
    for k in range(n_alerts):
        at = ctx.now - int(rng.exponential(60) * DAY) % (365 * DAY)
        p = str(rng.choice([c for c in provinces], p=p_w / p_w.sum()))
        topic = str(rng.choice(TOPIC_ORDER))
        count = int(rng.integers(8, 120))
        from datetime import UTC, datetime, timedelta

        end = datetime.fromtimestamp(at, UTC)
        alerts.append(Alert(kind=str(rng.choice(["volume", "negative"])),
                            status="new" if at > ctx.now - 3 * DAY else str(rng.choice(["resolved", "acknowledged"])),
                            province_code=p, topic=topic, window_start=end - timedelta(days=1), window_end=end,
                            count=count, negative_count=count // 3, baseline=count / 4, score=3.5 + rng.random() * 4,
                            summary=f"{topic} naik di {names.get(p, p)}", key=f"national-{ctx.seed}-{k}",
                            created_at=end))
    Alert.objects.bulk_create(alerts, batch_size=1000)
    ctx.counts.update({"situation_item": n, "situation_issue": m, "situation_alert": len(alerts),
                       "situation_source": len(sources)})
    return n
