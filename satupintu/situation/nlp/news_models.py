"""Topics, domain and tone of news articles, learned from labelled real news.

``satupintu train news`` fits one small linear model per label (each topic, the domain, the
tone) on the article's hashed words (tf-idf of the words that at least two training articles
use), plus the lexicons' own signals, standardised: mentions per topic (``topics.TOPICS``),
positive and negative news words and the tone cues of ``news_tone`` (polar words in the lead and
in the body, achievements against routine meetings and plans, aid in a disaster), and the
meeting the article reports (``meetings``). The tone cues are read by the tone head only: they
cost the topics accuracy. The lexicons stay in charge in two ways:

- their counts are features, computed when an item is analysed, so a word an officer adds to a
  lexicon raises that topic's (or tone's) score at once, without retraining;
- for topics the lexicon rule's verdict is blended into the decision (``score = w * P(model)
  + (1 - w) * lexicon``, ``w`` chosen by cross-validation); a topic added to TOPICS after the
  model was trained is decided by the lexicon alone.

Without the model file the pipeline falls back on the lexicons. The model is stored with skops
as plain arrays (``NewsModel``), loaded once per process and only if every type in it is on the
allow-list.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from satupintu.situation.nlp.meetings import MEETING_TYPES
from satupintu.situation.nlp.news_tone import CUE_NAMES

NEWS_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "news.skops"
LEAD_CHARS = 400
TONES = ("negative", "neutral", "positive")
ALLOWED_TYPES = frozenset({
    "satupintu.situation.nlp.news_models.NewsModel",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "numpy.float32", "numpy.float64", "numpy.int32", "numpy.int64", "numpy.dtype",
    "builtins.tuple", "builtins.list", "builtins.dict", "builtins.str", "builtins.float", "builtins.int",
})


@dataclass(frozen=True)
class Signals:
    """What the rest of the pipeline already found in an item that the models read too."""

    text: str
    topic_counts: Counter[str]
    positive_words: int
    negative_words: int
    meeting_type: str | None  # None: no meeting reported
    is_meeting: bool
    words: int = 0
    cues: dict[str, float] = field(default_factory=dict)  # news_tone.tone_cues, by CUE_NAMES


def hasher(n_features: int):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import HashingVectorizer

    # Single words: on 160 labelled articles word pairs and a separate lead block only added noise
    # (cross-validated tone macro-F1 0.65 with them, 0.69 without, before the lexicon signals).
    return HashingVectorizer(analyzer="word", ngram_range=(1, 1), n_features=n_features, alternate_sign=False,
                             norm=None, lowercase=True, token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32)


def extra_names(topics: list[str]) -> list[str]:
    return ([f"lexicon:{t}" for t in topics] + ["tone:positive", "tone:negative", "tone:polarity",
                                                  "tone:positive_density", "tone:negative_density", "meeting"]
            + [f"meeting:{t}" for t in MEETING_TYPES] + [f"cue:{name}" for name in CUE_NAMES])


def extra_features(signals: list[Signals], topics: list[str]) -> np.ndarray:
    rows = []
    for s in signals:
        pos, neg = s.positive_words, s.negative_words
        rows.append([np.log1p(s.topic_counts.get(t, 0)) for t in topics]
                    + [np.log1p(pos), np.log1p(neg), (pos - neg) / (pos + neg + 3),
                       10 * pos / (s.words + 50), 10 * neg / (s.words + 50), float(s.is_meeting)]
                    + [float(s.meeting_type == t) for t in MEETING_TYPES]
                    + [s.cues.get(name, 0.0) for name in CUE_NAMES])
    return np.asarray(rows, dtype=np.float32).reshape(len(signals), len(extra_names(topics)))


class NewsModel(BaseEstimator):
    """Hashed tf-idf of the article's words, the lexicon signals (standardised), and linear heads.

    Only the hashed columns that at least ``min_df`` training articles use are kept
    (``columns_``): a word one article alone uses says nothing about the next one, and dropping
    the others keeps the file small. The lexicon signals are standardised on the training rows
    and weighted by ``extras_weight`` against the unit-length text vector: stronger, they drown
    the words; weaker, they are ignored (chosen by cross-validation, see ``news_training``).
    """

    def __init__(self, n_features: int = 2**18, min_df: int = 2, extras_weight: float = 0.1):
        self.n_features = n_features
        self.min_df = min_df
        self.extras_weight = extras_weight

    # -- features ---------------------------------------------------------------------------------------------

    def _hashed(self, signals: list[Signals]) -> sparse.csr_matrix:
        return hasher(self.n_features).transform([s.text for s in signals]).tocsr()

    def _tfidf(self, hashed: sparse.csr_matrix) -> sparse.csr_matrix:
        x = hashed[:, self.columns_].tocsr().astype(np.float32)
        x.data = 1.0 + np.log(x.data)  # sublinear tf, as TfidfTransformer(sublinear_tf=True)
        x = x.multiply(self.idf_).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return (sparse.diags(1.0 / norms) @ x).tocsr()

    def _raw_extras(self, signals: list[Signals]) -> np.ndarray:
        # The extra columns the model was trained with, by name: a model keeps working when a later
        # version computes more (a name it does not know is left out, one no longer computed is 0).
        computed = extra_features(signals, list(self.topics_))
        where = {name: i for i, name in enumerate(extra_names(list(self.topics_)))}
        extras = np.zeros((len(signals), len(self.extras_)), dtype=np.float32)
        for j, name in enumerate(self.extras_):
            if name in where:
                extras[:, j] = computed[:, where[name]]
        return extras

    def features(self, signals: list[Signals]) -> sparse.csr_matrix:
        extras = (self._raw_extras(signals) - self.extras_mean_) / self.extras_scale_ * self.extras_weight
        return sparse.hstack([self._tfidf(self._hashed(signals)), sparse.csr_matrix(extras.astype(np.float32))]).tocsr()

    def fit_features(self, signals: list[Signals], topics: list[str]) -> sparse.csr_matrix:
        hashed = self._hashed(signals)
        present = np.asarray((hashed > 0).sum(axis=0)).ravel()
        self.columns_ = np.flatnonzero(present >= self.min_df).astype(np.int32)
        df = present[self.columns_].astype(np.float64)
        self.idf_ = (np.log((1 + len(signals)) / (1 + df)) + 1).astype(np.float32)
        self.topics_ = list(topics)
        self.extras_ = extra_names(self.topics_)
        raw = self._raw_extras(signals)
        scale = raw.std(axis=0)
        scale[scale == 0] = 1.0
        self.extras_mean_, self.extras_scale_ = raw.mean(axis=0).astype(np.float32), scale.astype(np.float32)
        return self.features(signals)

    def reading(self, excluded_prefixes: tuple[str, ...] = ()) -> np.ndarray:
        """The feature columns a head reads: every text column and the extras whose names do not
        start with one of ``excluded_prefixes`` (a head's weights elsewhere are zero)."""
        text = np.arange(len(self.columns_))
        extras = [len(self.columns_) + j for j, name in enumerate(self.extras_)
                  if not name.startswith(excluded_prefixes)]
        return np.concatenate([text, np.asarray(extras, dtype=text.dtype)])

    # -- heads ------------------------------------------------------------------------------------------------

    def set_head(self, name: str, classes: list[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        heads = dict(getattr(self, "heads_", {}))
        heads[name] = {"classes": list(classes), "coef": np.asarray(coef, dtype=np.float32),
                       "intercept": np.asarray(intercept, dtype=np.float32)}
        self.heads_ = heads

    def proba(self, name: str, x: sparse.csr_matrix) -> np.ndarray:
        """Probabilities as the fitted logistic regression gives them (binary: P(class 1))."""
        head = self.heads_[name]
        if len(head["classes"]) == 1:  # every training row had the one label
            return np.ones((x.shape[0], 1))
        z = np.asarray(x @ head["coef"].T) + head["intercept"]
        if head["coef"].shape[0] == 1:
            return 1.0 / (1.0 + np.exp(-z[:, 0]))
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class NewsLabels:
    topics: list[str]
    domain: str
    tone: str
    tone_score: float


def lexicon_topics(counts: Counter[str]) -> list[str]:
    from satupintu.situation.nlp.topics import topics_from_counts

    return topics_from_counts(counts)


def predict(model: NewsModel, signals: list[Signals]) -> list[NewsLabels]:
    """Topics (model blended with the lexicon rule), domain and tone for each item."""
    from satupintu.situation.nlp.topics import TOPICS

    if not signals:
        return []
    x = model.features(signals)
    blend, threshold = float(model.topic_blend_), float(model.topic_threshold_)
    learned = [t for t in model.topics_ if f"topic:{t}" in model.heads_]
    p_topics = np.column_stack([model.proba(f"topic:{t}", x) for t in learned]) if learned else None
    domains = model.proba("domain", x)
    tones = model.proba("tone", x)
    d_classes, t_classes = model.heads_["domain"]["classes"], model.heads_["tone"]["classes"]
    pos = t_classes.index("positive") if "positive" in t_classes else None
    neg = t_classes.index("negative") if "negative" in t_classes else None
    out = []
    for i, s in enumerate(signals):
        by_lexicon = set(lexicon_topics(s.topic_counts))
        scores: dict[str, float] = {}
        for j, topic in enumerate(learned):
            assert p_topics is not None
            scores[topic] = blend * float(p_topics[i, j]) + (1 - blend) * (topic in by_lexicon)
        chosen = {t for t, v in scores.items() if v >= threshold}
        if scores and not chosen:  # every article is about something: its best topic
            chosen.add(max(scores, key=lambda t: scores[t]))
        # Topics the model does not know (added after training): the lexicon decides.
        chosen |= {t for t in by_lexicon if t not in scores and t in TOPICS}
        ordered = sorted(chosen, key=lambda t: (-scores.get(t, 1.0 if t in by_lexicon else 0.0), t))
        tone_row = tones[i]
        out.append(NewsLabels(
            topics=ordered,
            domain=str(d_classes[int(domains[i].argmax())]),
            tone=str(t_classes[int(tone_row.argmax())]),
            tone_score=round(max(-1.0, min(1.0, (float(tone_row[pos]) if pos is not None else 0.0)
                                       - (float(tone_row[neg]) if neg is not None else 0.0))), 4),
        ))
    return out


class UntrustedNewsModelError(RuntimeError):
    """The model file holds types we did not expect: refuse to load it."""


def load_news_model(path: Path | str = NEWS_MODEL_PATH) -> NewsModel:
    import skops.io

    path = Path(path)
    untrusted = skops.io.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise UntrustedNewsModelError(f"{path.name}: refusing to load unexpected types: {', '.join(unexpected)}")
    model = skops.io.load(path, trusted=list(untrusted))
    if not isinstance(model, NewsModel) or not {"domain", "tone"} <= set(getattr(model, "heads_", {})):
        raise UntrustedNewsModelError(f"{path.name}: not a news model")
    return model


_lock = threading.Lock()
_model: Any = None
_MISSING = object()


def get_news_model() -> NewsModel | None:
    """The shipped model, or None when there is none (the pipeline then uses the lexicons)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load_news_model() if NEWS_MODEL_PATH.is_file() else _MISSING
    return None if _model is _MISSING else _model


def reset_news_model() -> None:
    global _model
    with _lock:
        _model = None


def make_signals(text: str, tokens: list[tuple[str, int, int]], counts: Counter[str],
                 meeting: dict | None) -> Signals:
    """The models' view of an item, from what the pipeline found (``tokens`` of ``text``)."""
    from satupintu.situation.nlp.news_tone import tone_cues

    pos, neg, cues = tone_cues(tokens)
    return Signals(text=text, topic_counts=counts, positive_words=pos, negative_words=neg,
                   meeting_type=(meeting or {}).get("type"), is_meeting=meeting is not None, words=len(tokens),
                   cues=cues)
