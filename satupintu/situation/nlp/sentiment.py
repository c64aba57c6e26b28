"""Sentiment of Indonesian text: ``sentiment(text) -> (label, score)``.

The model ships in the package as ``situation/models/sentiment.skops`` (trained by
``satupintu train sentiment``). It is loaded once per process, lazily and thread-safely, and
only if every type in the file that skops does not already trust is on our allow-list.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "sentiment.skops"
LABELS = ("negative", "neutral", "positive")

# Types skops does not trust by default that our own pipeline may contain. Anything else refuses.
ALLOWED_TYPES = frozenset({
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "satupintu.situation.nlp.nbsvm.NBSVMClassifier",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "builtins.frozenset",
})


class UntrustedModelError(RuntimeError):
    """The model file holds types we did not expect: refuse to load it."""


def load_model(path: Path | str = MODEL_PATH) -> Any:
    """Load a skops model file, refusing any type outside the allow-list."""
    import skops.io

    path = Path(path)
    untrusted = skops.io.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise UntrustedModelError(f"{path.name}: refusing to load unexpected types: {', '.join(unexpected)}")
    model = skops.io.load(path, trusted=list(untrusted))
    classes = set(getattr(model, "classes_", ()))
    if classes != set(LABELS):
        raise UntrustedModelError(f"{path.name}: expected classes {LABELS}, got {sorted(classes)}")
    return model


_lock = threading.Lock()
_model: Any = None


def get_model() -> Any:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load_model(MODEL_PATH)
    return _model


def sentiment_many(texts: list[str]) -> list[tuple[str, float]]:
    """(label, score) for each text; score = P(positive) - P(negative), in [-1, 1]."""
    results: list[tuple[str, float] | None] = [None] * len(texts)
    todo = [(i, t) for i, t in enumerate(texts) if t and t.strip()]
    for i, t in enumerate(texts):
        if not (t and t.strip()):
            results[i] = ("neutral", 0.0)
    if todo:
        model = get_model()
        classes = list(model.classes_)
        pos, neg = classes.index("positive"), classes.index("negative")
        probs = model.predict_proba([t for _, t in todo])
        for (i, _), p in zip(todo, probs, strict=True):
            label = str(classes[int(p.argmax())])
            score = max(-1.0, min(1.0, float(p[pos] - p[neg])))
            results[i] = (label, round(score, 4))
    return results  # type: ignore[return-value]


def sentiment(text: str) -> tuple[str, float]:
    """Label (positive / neutral / negative) and score in [-1, 1] of one text; empty text is neutral, 0.0."""
    return sentiment_many([text])[0]
