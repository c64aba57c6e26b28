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
from dataclasses import dataclass
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
TEST_FRACTION = 0.10
C_GRID = (0.1, 0.3, 0.5)
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


def _dedupe(rows: list[tuple[str, str]], exclude: set[str] | frozenset[str] = frozenset()) -> tuple[list[tuple[str, str]], int]:
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


def build_pipeline(c: float = 0.3, seed: int = 13):
    """Hashed word 1-3 grams + char_wb 2-6 grams, tf-idf weighted, into an NB-SVM.

    Hashing instead of a vocabulary keeps the skops file small and quick to write: skops stores
    a fitted vocabulary as one entry per term, which for ~80k terms is ~100 MB and minutes to dump.
    """
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline

    from satupintu.situation.nlp.nbsvm import NBSVMClassifier

    def tfidf(analyzer: str, ngrams: tuple[int, int], n_features: int, **kwargs) -> Pipeline:
        return Pipeline([
            ("hash", HashingVectorizer(analyzer=analyzer, ngram_range=ngrams, n_features=n_features,
                                       alternate_sign=False, norm=None, lowercase=True, **kwargs)),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ])

    features = FeatureUnion([
        ("word", tfidf("word", (1, 3), 2**19, token_pattern=r"(?u)\b\w+\b")),
        ("char", tfidf("char_wb", (2, 6), 2**19)),
    ])
    return Pipeline([("features", features), ("clf", NBSVMClassifier(C=c, random_state=seed))])


def _macro_f1(y_true, y_pred) -> tuple[float, dict[str, float]]:
    from sklearn.metrics import f1_score

    per = f1_score(y_true, y_pred, labels=list(LABELS), average=None, zero_division=0)
    return float(per.mean()), {label: round(float(v), 4) for label, v in zip(LABELS, per, strict=True)}


def build_baseline(seed: int = 13):
    """The yardstick the issue names: TF-IDF word 1-2 grams into a linear SVM, default C."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
        ("svm", LinearSVC(C=1.0, random_state=seed)),
    ])


@dataclass
class SentimentSplit:
    """The shared data cut the same way every time: ``train`` for fitting, ``test`` never seen by the model."""

    train: list[tuple[str, str]]
    test: list[tuple[str, str]]
    files: dict[str, dict]
    dropped: int

    @property
    def test_fingerprint(self) -> str:
        return hashlib.sha256("\n".join(sorted(text_key(t) for t, _ in self.test)).encode()).hexdigest()


def split_sentiment_data(data_dir: Path, seed: int = 13) -> SentimentSplit:
    """Held-out test = NusaX valid + a seeded, stratified 10% of the rest; train = everything else.

    NusaX was adapted from SmSA, so NusaX-valid's texts are kept out of the training pool.
    """
    from sklearn.model_selection import train_test_split

    data_dir = Path(data_dir)
    files = {name: data_dir / name for name in (SMSA_FILE, NUSAX_TRAIN_FILE, NUSAX_VALID_FILE)}
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(path)
    smsa = _read_smsa(files[SMSA_FILE])
    nusax_train = _read_nusax(files[NUSAX_TRAIN_FILE])
    nusax_valid_raw = _read_nusax(files[NUSAX_VALID_FILE])
    nusax_valid, _ = _dedupe(nusax_valid_raw)
    valid_keys = {text_key(t) for t, _ in nusax_valid}
    pool, dropped = _dedupe(smsa + nusax_train, exclude=valid_keys)
    train, test_part = train_test_split(pool, test_size=TEST_FRACTION, random_state=seed,
                                        stratify=[lab for _, lab in pool])
    info = {name: {"sha256": _sha256(p), "rows": rows}
            for (name, p), rows in zip(files.items(), (len(smsa), len(nusax_train), len(nusax_valid_raw)),
                                       strict=True)}
    return SentimentSplit(train=list(train), test=nusax_valid + list(test_part), files=info, dropped=dropped)


def compare_on_heldout(split: SentimentSplit, model, seed: int = 13) -> dict:
    """Macro-F1 of ``model`` and of the TF-IDF + linear SVM baseline (fitted here on the same
    training rows) on the held-out rows, side by side."""
    baseline = build_baseline(seed).fit([t for t, _ in split.train], [lab for _, lab in split.train])
    x = [t for t, _ in split.test]
    y = [lab for _, lab in split.test]
    ours, ours_per = _macro_f1(y, model.predict(x))
    base, base_per = _macro_f1(y, baseline.predict(x))
    return {"rows": len(x), "model_macro_f1": round(ours, 4), "model_per_class_f1": ours_per,
            "baseline_macro_f1": round(base, 4), "baseline_per_class_f1": base_per}


def compare_across_datasets(data_dir: Path, c: float, seed: int = 13) -> dict:
    """Data of another making: both fitted on SmSA (without the texts NusaX adapted), scored on NusaX."""
    nusax, _ = _dedupe(_read_nusax(data_dir / NUSAX_TRAIN_FILE) + _read_nusax(data_dir / NUSAX_VALID_FILE))
    smsa, _ = _dedupe(_read_smsa(data_dir / SMSA_FILE), exclude={text_key(t) for t, _ in nusax})
    x, y = [t for t, _ in smsa], [lab for _, lab in smsa]
    xt, yt = [t for t, _ in nusax], [lab for _, lab in nusax]
    ours, _ = _macro_f1(yt, build_pipeline(c, seed).fit(x, y).predict(xt))
    base, _ = _macro_f1(yt, build_baseline(seed).fit(x, y).predict(xt))
    return {"train": f"{SMSA_FILE} without NusaX texts ({len(x)} rows)", "test": f"NusaX train+valid ({len(xt)} rows)",
            "model_macro_f1": round(ours, 4), "baseline_macro_f1": round(base, 4)}


def train_sentiment(data_dir: Path, out_path: Path, seed: int = 13, c_grid: tuple[float, ...] = C_GRID) -> dict:
    """Pick C on a dev split of the training rows, fit on all training rows, score on the held-out
    rows (and across datasets) against the SVM baseline, then refit on every row and save.
    Returns the metadata also written to ``sentiment.json``."""
    import sklearn
    from sklearn.model_selection import train_test_split
    from skops.io import dump

    out_path = Path(out_path)
    started = time.monotonic()
    split = split_sentiment_data(Path(data_dir), seed)
    texts = [t for t, _ in split.train]
    labels = [lab for _, lab in split.train]
    x_tr, x_dev, y_tr, y_dev = train_test_split(
        texts, labels, test_size=DEV_FRACTION, random_state=seed, stratify=labels)

    search = {}
    best_c, best_f1 = c_grid[0], -1.0
    for c in c_grid:
        f1, _ = _macro_f1(y_dev, build_pipeline(c, seed).fit(x_tr, y_tr).predict(x_dev))
        search[str(c)] = round(f1, 4)
        if f1 > best_f1:
            best_c, best_f1 = c, f1

    measured = build_pipeline(best_c, seed).fit(texts, labels)
    heldout = compare_on_heldout(split, measured, seed)
    cross = compare_across_datasets(Path(data_dir), best_c, seed)
    # Held-out rows served to choose and to measure; the model shipped learns from every row.
    everything = split.train + split.test
    final = build_pipeline(best_c, seed).fit([t for t, _ in everything], [lab for _, lab in everything])

    out_path.parent.mkdir(parents=True, exist_ok=True)
    dump(final, out_path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    meta = {
        "task": "sentiment (positive / neutral / negative), score = P(positive) - P(negative)",
        "model_file": out_path.name,
        "model_bytes": out_path.stat().st_size,
        "data_files": split.files,
        "rows": {
            "training": len(split.train),
            "heldout_test": len(split.test),
            "dropped_duplicates_or_in_nusax_valid": split.dropped,
            "label_counts": dict(sorted(Counter(labels).items())),
        },
        "heldout_fingerprint": split.test_fingerprint,
        "seed": seed,
        "test_fraction": TEST_FRACTION,
        "dev_fraction": DEV_FRACTION,
        "sklearn_version": sklearn.__version__,
        "pipeline": "hashed tf-idf word 1-3 (2^19) + char_wb 2-6 (2^19), sublinear_tf -> NB-SVM (one-vs-rest, balanced)",
        "baseline": "TfidfVectorizer word 1-2 (sublinear_tf) -> LinearSVC(C=1)",
        "C": best_c,
        "C_search_dev_macro_f1": search,
        "heldout": heldout,
        "cross_dataset": cross,
        "shipped": f"refitted with C={best_c} on all {len(everything)} rows (training + held-out)",
        "note": "'heldout' is the model fitted on the training rows only, with C chosen on a dev split of "
                "them, scored on held-out rows (NusaX valid + 10% of the rest, seeded) it never saw, next to "
                "the baseline fitted on the same rows; 'cross_dataset' fits both on SmSA (without NusaX's "
                "texts) and scores them on NusaX; the shipped model is then refitted on every row",
        "training_seconds": round(time.monotonic() - started, 1),
    }
    out_path.with_name("sentiment.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
    return meta
