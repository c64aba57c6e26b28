import json
import shutil
from pathlib import Path

import pytest
import skops.io
from sklearn.linear_model import LogisticRegression

from satupintu.situation.nlp import sentiment as sent
from satupintu.situation.nlp.sentiment_training import NUSAX_TRAIN_FILE, NUSAX_VALID_FILE, SMSA_FILE, train_sentiment

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sentiment"


class Sneaky:
    """Not on any allow-list."""

    def __init__(self):
        self.payload = "x"


def test_shipped_model_loads():
    model = sent.get_model()
    assert set(model.classes_) == {"positive", "neutral", "negative"}
    assert sent.MODEL_PATH.stat().st_size < 15_000_000


def test_loader_refuses_untrusted_types(tmp_path):
    model = LogisticRegression()
    model.sneaky = Sneaky()
    path = tmp_path / "bad.skops"
    skops.io.dump(model, path)
    with pytest.raises(sent.UntrustedModelError, match="Sneaky"):
        sent.load_model(path)


@pytest.mark.parametrize(("text", "label"), [
    ("Pelayanan di kantor ini sangat cepat dan ramah, terima kasih", "positive"),
    ("Petugasnya sangat membantu dan prosesnya mudah, saya puas sekali", "positive"),
    ("Petugas kasar dan meminta pungutan liar, sangat mengecewakan", "negative"),
    ("Pelayanan lambat, antre berjam-jam dan petugasnya tidak peduli. Buruk sekali", "negative"),
    ("Kantor Kementerian Agama akan mengadakan rapat koordinasi pada hari Senin", "neutral"),
])
def test_obvious_sentences(text, label):
    got, score = sent.sentiment(text)
    assert got == label
    assert -1.0 <= score <= 1.0
    if label == "positive":
        assert score > 0
    if label == "negative":
        assert score < 0


def test_empty_text_is_neutral_and_many_keeps_order():
    assert sent.sentiment("") == ("neutral", 0.0)
    assert sent.sentiment("   ") == ("neutral", 0.0)
    out = sent.sentiment_many(["", "Petugas kasar dan meminta pungutan liar, sangat mengecewakan"])
    assert out[0] == ("neutral", 0.0)
    assert out[1][0] == "negative"
    assert all(-1.0 <= s <= 1.0 for _, s in out)


def test_metadata_records_quality():
    meta = json.loads((sent.MODEL_PATH.parent / "sentiment.json").read_text(encoding="utf-8"))
    held = meta["heldout"]
    assert held["rows"] > 1000
    # The shipped model beats the TF-IDF + linear SVM baseline on rows neither was trained on.
    assert held["model_macro_f1"] > held["baseline_macro_f1"]
    # ... and on data of another making (fitted on SmSA, scored on NusaX).
    cross = meta["cross_dataset"]
    assert cross["model_macro_f1"] > cross["baseline_macro_f1"]
    assert "all" in meta["shipped"]  # the shipped model learned from every row
    assert set(held["model_per_class_f1"]) == {"positive", "neutral", "negative"}
    assert set(meta["data_files"]) == {SMSA_FILE, NUSAX_TRAIN_FILE, NUSAX_VALID_FILE}
    assert all(len(f["sha256"]) == 64 for f in meta["data_files"].values())
    assert meta["sklearn_version"] == "1.9.1"


@pytest.mark.once
@pytest.mark.skipif(not DATA.is_dir(), reason="shared training data not available")
def test_training_is_reproducible(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with (DATA / SMSA_FILE).open(encoding="utf-8") as f:
        (data / SMSA_FILE).write_text("".join(f.readlines()[:600]), encoding="utf-8")
    for name in (NUSAX_TRAIN_FILE, NUSAX_VALID_FILE):
        shutil.copy(DATA / name, data / name)
    sentences = [
        "Pelayanan di kantor ini sangat cepat dan ramah, terima kasih",
        "Petugas kasar dan meminta pungutan liar, sangat mengecewakan",
        "Rapat koordinasi diadakan hari Senin",
    ]
    probs = []
    for run in ("a", "b"):
        out = tmp_path / run / "sentiment.skops"
        meta = train_sentiment(data, out, seed=7, c_grid=(0.3,))
        assert (out.parent / "sentiment.json").is_file()
        assert meta["seed"] == 7
        probs.append(sent.load_model(out).predict_proba(sentences).tolist())
    assert probs[0] == probs[1]


@pytest.mark.skipif(not DATA.is_dir(), reason="shared training data not available")
def test_heldout_split_is_stable_and_disjoint():
    from satupintu.situation.nlp.sentiment_training import split_sentiment_data, text_key

    a, b = split_sentiment_data(DATA), split_sentiment_data(DATA)
    assert a.test_fingerprint == b.test_fingerprint
    meta = json.loads((sent.MODEL_PATH.parent / "sentiment.json").read_text(encoding="utf-8"))
    # The held-out score was measured on these rows, by the model fitted without them.
    assert meta["heldout_fingerprint"] == a.test_fingerprint
    assert not {text_key(t) for t, _ in a.train} & {text_key(t) for t, _ in a.test}


def test_an_operator_can_plug_in_another_model(settings, tmp_path):
    """SITUATION_SENTIMENT_MODEL points at another skops file; a directory needs transformers."""
    from sklearn.pipeline import Pipeline

    model = sent.load_model(sent.MODEL_PATH)
    assert isinstance(model, Pipeline)
    other = tmp_path / "other.skops"
    shutil.copy(sent.MODEL_PATH, other)
    settings.SITUATION_SENTIMENT_MODEL = str(other)
    sent.reset_model()
    try:
        assert sent.configured_model_path() == other
        assert sent.sentiment("Petugas kasar dan meminta pungutan liar, sangat mengecewakan")[0] == "negative"
        settings.SITUATION_SENTIMENT_MODEL = str(tmp_path)  # a directory: a transformer model
        sent.reset_model()
        try:
            import transformers  # noqa: F401
        except ImportError:
            with pytest.raises(sent.UntrustedModelError, match="transformers"):
                sent.get_model()
    finally:
        settings.SITUATION_SENTIMENT_MODEL = ""
        sent.reset_model()


def test_the_pipeline_reads_a_short_text_whole():
    """A review longer than an article's lead is read to its end (its verdict often comes last)."""
    from satupintu.situation.analysis import SENTIMENT_CHARS, Analyzer, Record

    text = ("Saya datang ke kantor ini pagi hari untuk mengurus berkas pendaftaran, membawa fotokopi KTP, "
            "kartu keluarga, pas foto dan surat pengantar dari kelurahan seperti yang diminta di papan "
            "pengumuman, lalu mengambil nomor antrean dan menunggu dipanggil di ruang tunggu bersama warga lain. "
            "Ternyata petugasnya kasar, meminta pungutan liar dan berkas saya ditolak tanpa alasan. "
            "Sangat mengecewakan, pelayanan buruk sekali.")
    assert len(text) > SENTIMENT_CHARS + 100
    assert sent.sentiment(text[:SENTIMENT_CHARS])[0] != "negative"
    assert Analyzer(news_model=False).analyze(Record(id="r", text=text)).sentiment == "negative"
