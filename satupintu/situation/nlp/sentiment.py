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


class TransformerModel:
    """A larger local model an operator plugs in (a Hugging Face model directory on disk, e.g. an
    IndoBERT fine-tuned for sentiment). Needs `transformers` and `torch` installed; nothing is
    downloaded (local_files_only). Labels are mapped onto positive / neutral / negative."""

    def __init__(self, directory: Path):
        try:
            from transformers import pipeline  # type: ignore[import-not-found]
        except ImportError as e:
            raise UntrustedModelError(
                f"{directory}: a transformer model needs the 'transformers' and 'torch' packages") from e
        self._pipe = pipeline("text-classification", model=str(directory), tokenizer=str(directory),
                              top_k=None, truncation=True, model_kwargs={"local_files_only": True})
        self.classes_ = list(LABELS)

    def predict_proba(self, texts: list[str]):  # type: ignore[no-untyped-def]
        import numpy as np

        rows = []
        for scores in self._pipe(list(texts)):
            by = {_label_of(s["label"]): s["score"] for s in scores}
            rows.append([by.get(label, 0.0) for label in self.classes_])
        return np.array(rows)

    def predict(self, texts: list[str]):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.array(self.classes_)[self.predict_proba(texts).argmax(axis=1)]


def _label_of(name: str) -> str:
    lowered = name.lower()
    for label in LABELS:
        if lowered.startswith(label[:3]):
            return label
    return {"label_0": "negative", "label_1": "neutral", "label_2": "positive"}.get(lowered, lowered)


def configured_model_path() -> Path:
    """SITUATION_SENTIMENT_MODEL (a .skops file or a transformer directory), else the shipped model."""
    from django.conf import settings

    configured = getattr(settings, "SITUATION_SENTIMENT_MODEL", "")
    return Path(configured) if configured else MODEL_PATH


def get_model() -> Any:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                path = configured_model_path()
                _model = TransformerModel(path) if path.is_dir() else load_model(path)
    return _model


def reset_model() -> None:
    """Forget the loaded model (after the configuration changed)."""
    global _model
    with _lock:
        _model = None


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
