"""Train the Situation Room's sentiment model (positive / neutral / negative) on SmSA + NusaX.

The data stays outside the package (``../shared/data/sentiment``); only the trained model ships,
in skops format, with a ``sentiment.json`` next to it saying what it was trained on and how well
it did on data it had not seen.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
import zipfile
from collections import Counter
from pathlib import Path

SMSA_FILE = "smsa_train.tsv"
NUSAX_TRAIN_FILE = "nusax_ind_train.csv"
NUSAX_VALID_FILE = "nusax_ind_valid.csv"
LABELS = ("negative", "neutral", "positive")
_LABEL_ALIASES = {
    "positive": "positive", "pos": "positive", "positif": "positive",
    "negative": "negative", "neg": "negative", "negatif": "negative",
    "neutral": "neutral", "neu": "neutral", "netral": "neutral",
}
DEV_FRACTION = 0.15
C_GRID = (1.0, 2.0, 5.0)
_SPACE = re.compile(r"\s+")


def normalize_label(label: str) -> str:
    try:
        return _LABEL_ALIASES[label.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown sentiment label: {label!r}") from None


def text_key(text: str) -> str:
    """The key for "same text": case and runs of whitespace do not count."""
    return _SPACE.sub(" ", text.strip().lower())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_smsa(path: Path) -> list[tuple[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            text, sep, label = line.rpartition("\t")
            if not sep:
                raise ValueError(f"{path.name}:{lineno}: expected text<TAB>label")
            rows.append((text, normalize_label(label)))
    return rows


def _read_nusax(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["text"], normalize_label(r["label"])) for r in csv.DictReader(f)]


def _dedupe(rows: list[tuple[str, str]], exclude: set[str] = frozenset()) -> tuple[list[tuple[str, str]], int]:
    """Keep the first of each text; drop texts in ``exclude`` and texts seen with two labels."""
    labels: dict[str, set[str]] = {}
    for text, label in rows:
        labels.setdefault(text_key(text), set()).add(label)
    seen: set[str] = set()
    out = []
    for text, label in rows:
        key = text_key(text)
        if not key or key in seen or key in exclude or len(labels[key]) > 1:
            continue
        seen.add(key)
        out.append((text, label))
    return out, len(rows) - len(out)


def build_pipeline(c: float = 2.0, seed: int = 13):
    """Hashed word 1-2 grams + char_wb 2-5 grams, tf-idf weighted, into a logistic regression.

    Hashing instead of a vocabulary keeps the skops file small and quick to write: skops stores
    a fitted vocabulary as one entry per term, which for ~80k terms is ~100 MB and minutes to dump.
    """
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    def tfidf(analyzer: str, ngrams: tuple[int, int], n_features: int, **kwargs) -> Pipeline:
        return Pipeline([
            ("hash", HashingVectorizer(analyzer=analyzer, ngram_range=ngrams, n_features=n_features,
                                       alternate_sign=False, norm=None, lowercase=True, **kwargs)),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ])

    features = FeatureUnion([
        ("word", tfidf("word", (1, 2), 2**17, token_pattern=r"(?u)\b\w+\b")),
        ("char", tfidf("char_wb", (2, 5), 2**18)),
    ])
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


def _macro_f1(y_true, y_pred) -> tuple[float, dict[str, float]]:
    from sklearn.metrics import f1_score

    per = f1_score(y_true, y_pred, labels=list(LABELS), average=None, zero_division=0)
    return float(per.mean()), {label: round(float(v), 4) for label, v in zip(LABELS, per, strict=True)}


def train_sentiment(data_dir: Path, out_path: Path, seed: int = 13, c_grid: tuple[float, ...] = C_GRID) -> dict:
    """Train, evaluate on a seeded stratified 15% dev split and NusaX valid, retrain on all, save.

    Returns the metadata also written to ``sentiment.json`` next to ``out_path``.
    """
    import sklearn
    from sklearn.model_selection import train_test_split
    from skops.io import dump

    data_dir, out_path = Path(data_dir), Path(out_path)
    started = time.monotonic()
    files = {name: data_dir / name for name in (SMSA_FILE, NUSAX_TRAIN_FILE, NUSAX_VALID_FILE)}
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(path)

    smsa = _read_smsa(files[SMSA_FILE])
    nusax_train = _read_nusax(files[NUSAX_TRAIN_FILE])
    nusax_valid, valid_dropped = _dedupe(_read_nusax(files[NUSAX_VALID_FILE]))
    valid_keys = {text_key(t) for t, _ in nusax_valid}
    # NusaX was adapted from SmSA: keep NusaX-valid's texts out of the training data.
    train_rows, train_dropped = _dedupe(smsa + nusax_train, exclude=valid_keys)
    texts = [t for t, _ in train_rows]
    labels = [lab for _, lab in train_rows]

    x_tr, x_dev, y_tr, y_dev = train_test_split(
        texts, labels, test_size=DEV_FRACTION, random_state=seed, stratify=labels)
    valid_x = [t for t, _ in nusax_valid]
    valid_y = [lab for _, lab in nusax_valid]

    search = {}
    best = None
    for c in c_grid:
        model = build_pipeline(c, seed).fit(x_tr, y_tr)
        f1, per = _macro_f1(y_dev, model.predict(x_dev))
        search[str(c)] = round(f1, 4)
        if best is None or f1 > best[1]:
            best = (c, f1, per, model)
    best_c, dev_f1, dev_per, dev_model = best
    valid_f1, valid_per = _macro_f1(valid_y, dev_model.predict(valid_x))

    # The shipped model: every row we have, NusaX valid included, with the chosen C.
    all_rows, _ = _dedupe(train_rows + nusax_valid)
    final = build_pipeline(best_c, seed).fit([t for t, _ in all_rows], [lab for _, lab in all_rows])

    out_path.parent.mkdir(parents=True, exist_ok=True)
    dump(final, out_path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    meta = {
        "task": "sentiment (positive / neutral / negative), score = P(positive) - P(negative)",
        "model_file": out_path.name,
        "model_bytes": out_path.stat().st_size,
        "data_files": {name: {"sha256": _sha256(p), "rows": rows}
                       for (name, p), rows in zip(files.items(), (len(smsa), len(nusax_train), len(nusax_valid)
                                                                   + valid_dropped), strict=True)},
        "rows": {
            "train_pool_after_dedupe": len(train_rows),
            "dropped_duplicates_or_in_nusax_valid": train_dropped,
            "dev_split": len(x_dev),
            "nusax_valid": len(nusax_valid),
            "final_training": len(all_rows),
            "label_counts": dict(sorted(Counter(labels).items())),
        },
        "seed": seed,
        "dev_fraction": DEV_FRACTION,
        "sklearn_version": sklearn.__version__,
        "pipeline": "hashed tf-idf word 1-2 (2^17) + char_wb 2-5 (2^18), sublinear_tf -> LogisticRegression(balanced)",
        "C": best_c,
        "C_search_dev_macro_f1": search,
        "dev_macro_f1": round(dev_f1, 4),
        "dev_per_class_f1": dev_per,
        "nusax_valid_macro_f1": round(valid_f1, 4),
        "nusax_valid_per_class_f1": valid_per,
        "note": "dev and NusaX-valid scores are from the model trained without them; "
                "the shipped model is retrained on all rows",
        "training_seconds": round(time.monotonic() - started, 1),
    }
    out_path.with_name("sentiment.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
    return meta
