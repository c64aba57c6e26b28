"""`satupintu analyze evaluate FILE`: how well the pipeline labels a labelled JSON Lines file.

The labelled file has the input fields plus the expected answers, named either as the output
(`province`, `meeting.type` ...) or as in `situation-dev.jsonl` (`province_code`,
`meeting_type`, `event_date`, `is_meeting` ...). Per field: accuracy and macro-F1 (labels
that are sets: exact-match accuracy, micro precision/recall/F1 and, for topics, macro-F1 over
topics). With the shared sentiment data at hand, the sentiment model is also compared side by
side with a TF-IDF + linear SVM baseline trained on the same rows. With ``--cv K``, the learned
news model is refitted fold by fold and put next to the lexicons on the same folds
(``evaluation_cv``): the plain scores are of the shipped model, which may have seen the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from satupintu.situation.analysis import Analysis, Analyzer, BadRecord, Record, record_from_json

NULL = "∅"


def _gold_meeting(g: dict) -> dict:
    meeting = g.get("meeting")
    return meeting if isinstance(meeting, dict) else {}


# field -> (gold getter, predicted getter); a getter returning None means "no label".
SINGLE: dict[str, tuple[Callable[[dict], object], Callable[[Analysis], object]]] = {
    "province": (lambda g: g.get("province_code", g.get("province")), lambda a: a.province),
    "regency": (lambda g: g.get("regency_code", g.get("regency")), lambda a: a.regency),
    "domain": (lambda g: g.get("domain"), lambda a: a.domain),
    "sentiment": (lambda g: g.get("sentiment"), lambda a: a.sentiment),
    "language": (lambda g: g.get("language"), lambda a: a.language),
    "is_meeting": (lambda g: g.get("is_meeting", ("meeting" in g and g["meeting"] is not None) if "meeting" in g
                                    else None), lambda a: a.meeting is not None),
    "meeting_type": (lambda g: g.get("meeting_type", _gold_meeting(g).get("type")),
                     lambda a: (a.meeting or {}).get("type")),
    "event_date": (lambda g: g.get("event_date", _gold_meeting(g).get("date")),
                   lambda a: (a.meeting or {}).get("date")),
    "participants": (lambda g: g.get("participants", _gold_meeting(g).get("participants")),
                     lambda a: (a.meeting or {}).get("participants")),
}
SETS: dict[str, tuple[Callable[[dict], Iterable | None], Callable[[Analysis], Iterable | None]]] = {
    "provinces": (lambda g: g.get("provinces"), lambda a: a.provinces),
    "regencies": (lambda g: g.get("regencies"), lambda a: a.regencies),
    "topics": (lambda g: g.get("topics"), lambda a: a.topics),
}
_MEETING_ONLY = {"meeting_type", "event_date", "participants"}


def _present(g: dict, name: str) -> bool:
    """Whether the labelled line carries this field at all (absent fields are not scored)."""
    aliases = {"province": ("province_code", "province"), "regency": ("regency_code", "regency"),
               "is_meeting": ("is_meeting", "meeting"), "meeting_type": ("meeting_type", "meeting"),
               "event_date": ("event_date", "meeting"), "participants": ("participants", "meeting")}
    return any(k in g for k in aliases.get(name, (name,)))


def macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold) | set(pred))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _norm(value: object) -> str:
    if value is None:
        return NULL
    return str(value).strip().lower()


def _name(official: str) -> str:
    return re.sub(r"[^\w]", "", official.split(",")[0].lower())


@dataclass
class FieldScore:
    name: str
    n: int = 0
    accuracy: float = 0.0
    macro_f1: float | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()
                if v is not None and v != {}}


def score_single(name: str, pairs: list[tuple[dict, Analysis]]) -> FieldScore | None:
    gold_get, pred_get = SINGLE[name]
    rows = [(g, a) for g, a in pairs if _present(g, name)]
    if name in _MEETING_ONLY:  # only meaningful where the gold says it is a meeting
        rows = [(g, a) for g, a in rows if SINGLE["is_meeting"][0](g) is not False]
    if not rows:
        return None
    gold = [_norm(gold_get(g)) for g, _ in rows]
    pred = [_norm(pred_get(a)) for _, a in rows]
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    return FieldScore(name, len(rows), correct / len(rows), macro_f1(gold, pred))


def score_set(name: str, pairs: list[tuple[dict, Analysis]]) -> FieldScore | None:
    gold_get, pred_get = SETS[name]
    rows = [(set(gold_get(g) or []), set(pred_get(a) or [])) for g, a in pairs if gold_get(g) is not None]
    if not rows:
        return None
    tp = sum(len(g & p) for g, p in rows)
    fp = sum(len(p - g) for g, p in rows)
    fn = sum(len(g - p) for g, p in rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    score = FieldScore(name, len(rows), sum(g == p for g, p in rows) / len(rows),
                       precision=precision, recall=recall, f1=f1)
    if name == "topics":
        labels = sorted(set().union(*(g | p for g, p in rows)))
        per = []
        for label in labels:
            t = sum(1 for g, p in rows if label in g and label in p)
            f_p = sum(1 for g, p in rows if label not in g and label in p)
            f_n = sum(1 for g, p in rows if label in g and label not in p)
            per.append(2 * t / (2 * t + f_p + f_n) if t else 0.0)
        score.macro_f1 = sum(per) / len(per) if per else 0.0
    return score


def score_officials(pairs: list[tuple[dict, Analysis]]) -> FieldScore | None:
    labelled = [(g.get("officials", _gold_meeting(g).get("officials")), a) for g, a in pairs]
    rows: list[tuple[list, Analysis]] = [(gold, a) for gold, a in labelled if gold]
    if not rows:
        return None
    found = total = 0
    for gold, a in rows:
        predicted = {_name(o) for o in ((a.meeting or {}).get("officials") or [])}
        predicted |= {_name(p.get("name", "")) for p in a.entities.get("people", [])}
        for official in gold:
            total += 1
            found += _name(official) in predicted
    return FieldScore("officials (names found)", len(rows), found / total if total else 0.0, recall=found / total)


def score_place(pairs: list[tuple[dict, Analysis]]) -> FieldScore | None:
    rows = [(g.get("place", _gold_meeting(g).get("place")), a) for g, a in pairs if _present(g, "place") or
            "place" in _gold_meeting(g)]
    if not rows:
        return None
    ok = 0
    for gold, a in rows:
        pred = (a.meeting or {}).get("place")
        if gold is None or pred is None:
            ok += gold is None and pred is None
        else:
            g, p = gold.lower(), pred.lower()
            ok += g in p or p in g
    return FieldScore("place (overlapping)", len(rows), ok / len(rows))


def load_labelled(path: Path, errors) -> list[tuple[dict, Record]]:  # type: ignore[no-untyped-def]
    rows: list[tuple[dict, Record]] = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                gold = json.loads(line)
                rows.append((gold, record_from_json(gold, fallback_id=f"line-{lineno}")))
            except (json.JSONDecodeError, BadRecord) as e:
                print(f"baris {lineno}: {e}; dilewati", file=errors)
    return rows


def evaluate(path: Path, errors) -> dict:  # type: ignore[no-untyped-def]
    """Scores per field on a labelled file, plus the predicted sentiment labels for comparisons."""
    labelled = load_labelled(path, errors)
    analyses = Analyzer().analyze_many([r for _, r in labelled])
    pairs = [(g, a) for (g, _), a in zip(labelled, analyses, strict=True)]
    scores = [score_single(n, pairs) for n in SINGLE] + [score_set(n, pairs) for n in SETS]
    scores += [score_place(pairs), score_officials(pairs)]
    return {"file": str(path), "items": len(pairs), "fields": [s.as_json() for s in scores if s],
            "_pairs": pairs}


def sentiment_side_by_side(data_dir: Path, pairs: list[tuple[dict, Analysis]], seed: int = 13) -> dict:
    """The model and a TF-IDF + linear SVM baseline, trained on the same rows, on (1) the shared
    data's held-out rows (the model's score as recorded at training) and (2) the labelled file's
    sentiment labels (the pipeline as shipped)."""
    import json as _json

    from satupintu.situation.nlp.sentiment import MODEL_PATH
    from satupintu.situation.nlp.sentiment_training import build_baseline, split_sentiment_data

    split = split_sentiment_data(data_dir, seed)
    meta = _json.loads(MODEL_PATH.with_name("sentiment.json").read_text(encoding="utf-8"))
    baseline = build_baseline(seed).fit([t for t, _ in split.train], [lab for _, lab in split.train])
    x = [t for t, _ in split.test]
    y = [lab for _, lab in split.test]
    # The shipped model was refitted on every row, held-out ones included: its held-out score is the
    # one recorded at training, of the same settings fitted on the training rows only.
    result = {
        "heldout_rows": len(x),
        "heldout_matches_training": meta.get("heldout_fingerprint") == split.test_fingerprint,
        "heldout": {"model": meta["heldout"]["model_macro_f1"],
                    "baseline": round(macro_f1(y, list(baseline.predict(x))), 4)},
    }
    if "cross_dataset" in meta:
        result["cross_dataset"] = meta["cross_dataset"]
    rows = [(g["sentiment"], a) for g, a in pairs if g.get("sentiment")]
    if rows:
        gold = [lab for lab, _ in rows]
        from satupintu.situation.analysis import SENTIMENT_CHARS

        texts = [f"{a_title}\n{g_text[:SENTIMENT_CHARS]}" for a_title, g_text in
                 ((g.get("title") or "", g["text"]) for g, _ in pairs if g.get("sentiment"))]
        ours = [a.sentiment for _, a in rows]
        base = list(baseline.predict(texts))
        result["file"] = {
            "rows": len(rows),
            "model": {"accuracy": round(sum(a == b for a, b in zip(gold, ours, strict=True)) / len(rows), 4),
                      "macro_f1": round(macro_f1(gold, ours), 4)},
            "baseline": {"accuracy": round(sum(a == b for a, b in zip(gold, base, strict=True)) / len(rows), 4),
                         "macro_f1": round(macro_f1(gold, base), 4)},
        }
    return result
