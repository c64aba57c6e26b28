"""The news model (topics, domain, article tone learned from labelled real news), as shipped.

The articles below are made up for these tests; none comes from the training data.
"""

import json

import pytest
import skops.io
from sklearn.linear_model import LogisticRegression

from satupintu.situation.analysis import Analyzer, Record
from satupintu.situation.nlp import news_models as nm

# Each made-up article is news length (the model reads articles; short texts keep the lexicons).
HAJJ = (
    "Kantor Kementerian Agama Kabupaten Contoh memberangkatkan 320 jemaah haji kloter pertama menuju embarkasi. "
    "Sebelum berangkat, para jemaah mengikuti manasik haji selama tiga hari di asrama haji. Kepala Seksi "
    "Penyelenggaraan Haji dan Umrah menjelaskan bahwa seluruh dokumen jemaah, paspor dan visa haji telah "
    "lengkap. Petugas kloter juga memeriksa kesehatan jemaah lanjut usia. Pelunasan biaya perjalanan ibadah "
    "haji sudah selesai sejak bulan lalu, dan jemaah diminta menjaga kesehatan selama di Tanah Suci. "
    "Keberangkatan jemaah haji tahun ini berjalan lancar dan tertib. Bupati mengapresiasi kinerja petugas "
    "yang sukses melayani jemaah dengan ramah, dan jemaah menyampaikan terima kasih serta bangga atas "
    "pelayanan terbaik yang meraih penghargaan tingkat nasional tahun ini."
)
FLOOD = (
    "Banjir merendam puluhan rumah warga dan tiga madrasah di Kecamatan Contoh setelah hujan deras sepanjang "
    "malam. Badan Penanggulangan Bencana Daerah mencatat ratusan warga mengungsi ke masjid dan balai desa. "
    "Kantor Kementerian Agama menyalurkan bantuan sembako dan perlengkapan sekolah bagi siswa madrasah yang "
    "terdampak banjir. Kegiatan belajar mengajar dipindahkan sementara ke rumah guru. Petugas mendata "
    "kerusakan gedung madrasah dan buku pelajaran yang rusak terendam air. Warga berharap bantuan segera "
    "datang karena banjir kerap terjadi setiap musim hujan di wilayah tersebut. Relawan dan tim SAR masih "
    "membantu evakuasi korban banjir, sementara dapur umum menyediakan makanan bagi para pengungsi."
)
ELECTION = (
    "Menjelang pemilihan umum dan pilkada serentak, Kepala Kantor Wilayah Kementerian Agama mengingatkan "
    "seluruh aparatur sipil negara untuk menjaga netralitas. ASN dilarang ikut kampanye, memasang atribut "
    "partai politik, atau mendukung calon tertentu di media sosial. Badan Pengawas Pemilu akan menindak ASN "
    "yang terbukti tidak netral dalam pemilu. Kepala kantor meminta para penyuluh agama tidak menjadikan "
    "rumah ibadah sebagai tempat kampanye politik. Pelanggaran netralitas ASN pada pemilu dapat dikenai "
    "sanksi disiplin sesuai aturan kepegawaian yang berlaku bagi seluruh calon dan pegawai. Kanwil juga "
    "membentuk tim pemantau netralitas ASN bersama Bawaslu selama masa kampanye pemilu berlangsung."
)
LEVY = (
    "Sejumlah calon pengantin mengeluhkan pungutan liar saat mendaftar nikah di sebuah kantor urusan agama. "
    "Warga mengaku dimintai uang tambahan di luar biaya resmi oleh oknum petugas. Kasus pungli ini dilaporkan "
    "ke inspektorat dan aparat penegak hukum. Oknum tersebut kini diperiksa dan terancam sanksi pemecatan. "
    "Masyarakat kecewa karena praktik pungutan liar merugikan warga kurang mampu yang ingin menikah. "
    "Kepala kantor meminta maaf atas kejadian tersebut dan berjanji menindak tegas setiap pelanggaran "
    "serta membuka kanal pengaduan bagi korban pungli yang dirugikan. Aparat masih menyelidiki dugaan "
    "keterlibatan oknum lain, dan warga diminta melapor bila mengalami pungutan serupa."
)


@pytest.fixture(scope="module")
def analyses():
    records = [Record(id=name, text=text) for name, text in
               (("hajj", HAJJ), ("flood", FLOOD), ("election", ELECTION), ("levy", LEVY))]
    return {a.id: a for a in Analyzer(news_model=None).analyze_many(records)}


def test_shipped_model_loads_with_its_cross_validated_scores():
    model = nm.get_news_model()
    assert model is not None
    assert {"domain", "tone"} <= set(model.heads_)
    assert model.heads_["tone"]["classes"] == sorted(nm.TONES)
    assert nm.NEWS_MODEL_PATH.stat().st_size < 15_000_000
    meta = json.loads(nm.NEWS_MODEL_PATH.with_name("news.json").read_text(encoding="utf-8"))
    assert meta["rows"] >= 100
    for key in ("topics_micro_f1", "domain_accuracy", "tone_macro_f1"):
        assert 0.0 < meta["cv"][key]["mean"] <= 1.0 and meta["cv"][key]["sd"] >= 0.0
    assert meta["cv"]["folds"] >= 2 and meta["cv"]["stratified_by"] == "domain"
    assert set(meta["params"]) == {"c_topics", "c_domain", "c_tone", "blend", "threshold"}
    assert meta["sklearn_version"] == "1.9.1"


def test_loader_refuses_untrusted_types(tmp_path):
    class Sneaky:
        pass

    model = LogisticRegression()
    model.sneaky = Sneaky()
    path = tmp_path / "bad.skops"
    skops.io.dump(model, path)
    with pytest.raises(nm.UntrustedNewsModelError, match="Sneaky"):
        nm.load_news_model(path)


def test_clear_made_up_articles(analyses):
    assert "haji-umrah" in analyses["hajj"].topics
    assert analyses["hajj"].domain == "keagamaan"
    assert "bencana-sosial" in analyses["flood"].topics
    assert analyses["flood"].domain == "sosial"
    assert "pemilu-politik" in analyses["election"].topics
    assert analyses["election"].domain == "politik"
    assert analyses["levy"].sentiment == "negative" and analyses["levy"].sentiment_score < 0
    assert analyses["hajj"].sentiment == "positive" and analyses["hajj"].sentiment_score > 0


def test_lexicon_words_an_officer_adds_still_count(monkeypatch):
    """A word added to a topic's lexicon raises that topic's score at once (it is a feature and
    part of the decision), without retraining."""
    from satupintu.situation.nlp import topics

    text = ("Pengurus menggelar pelatihan tata kelola produk olahan warga bersama pelaku usaha kecil. " * 8).strip()
    record = Record(id="x", text=text)
    model = nm.get_news_model()
    assert model is not None

    def halal_score() -> float:
        topics._matcher.cache_clear()
        signals = Analyzer(news_model=False).signals([record])
        return float(model.proba("topic:halal", model.features(signals))[0])

    before = halal_score()
    monkeypatch.setitem(topics.TOPICS, "halal", topics.TOPICS["halal"] + ("produk olahan",))
    try:
        after = halal_score()
        assert after > before
        lexicon_says = nm.lexicon_topics(Analyzer(news_model=False).signals([record])[0].topic_counts)
        assert "halal" in lexicon_says
    finally:
        monkeypatch.undo()
        topics._matcher.cache_clear()


def test_without_a_model_the_lexicons_decide():
    analysis = Analyzer(news_model=False).analyze(Record(id="x", text=ELECTION))
    assert "pemilu-politik" in analysis.topics


def test_short_texts_keep_the_lexicons_and_the_short_text_model():
    text = "Kemenag Kabupaten Bogor gelar dialog kerukunan lintas agama bersama FKUB."
    learned = Analyzer().analyze(Record(id="a", text=text))
    lexicons = Analyzer(news_model=False).analyze(Record(id="b", text=text))
    assert (learned.topics, learned.domain, learned.sentiment) == (lexicons.topics, lexicons.domain,
                                                                   lexicons.sentiment)


def test_tone_cues_read_the_lead_apart_from_the_body_and_the_aid_in_a_disaster():
    from satupintu.situation.nlp.news_tone import CUE_LEAD_CHARS, CUE_NAMES, tone_cues
    from satupintu.situation.nlp.phrases import tokenize

    lead = "Banjir merendam madrasah, Kemenag menyalurkan bantuan sembako bagi warga terdampak. "
    body = "Rapat koordinasi membahas persiapan. Kegiatan tidak berhasil dan belum optimal. " * 8
    text = lead.ljust(CUE_LEAD_CHARS) + body
    pos, neg, cues = tone_cues(tokenize(text))
    assert set(cues) == set(CUE_NAMES)
    assert neg == 1 and cues["lead_negative"] > 0 and cues["body_negative"] == 0  # "banjir"
    assert pos > 2 and cues["body_positive"] > 0 and cues["lead_positive"] > 0  # "berhasil", "optimal"; "bantuan"
    assert cues["aid_in_disaster"] > 0 and cues["disaster_lead"] > 0 and cues["aid_lead"] > 0
    assert cues["negated_positive"] > 0  # "tidak berhasil"
    assert cues["routine_all"] > cues["routine_lead"] == 0.0
    assert cues["pending_all"] > 0  # "belum"
    assert cues["achievement_vs_routine"] < 0  # meetings and plans outnumber achievements
    # The same words without a disaster: no aid in a disaster.
    _, _, calm = tone_cues(tokenize("Kemenag menyalurkan bantuan sembako bagi warga kurang mampu. " * 3))
    assert calm["aid_in_disaster"] == 0.0 and calm["aid_all"] > 0


def test_shipped_model_keeps_the_tone_cues_for_the_tone_head():
    model = nm.get_news_model()
    assert model is not None
    cue_columns = [len(model.columns_) + j for j, name in enumerate(model.extras_) if name.startswith("cue:")]
    assert cue_columns and set(model.reading(("cue:",)).tolist()).isdisjoint(cue_columns)
    assert abs(model.heads_["tone"]["coef"][:, cue_columns]).sum() > 0
    for name, head in model.heads_.items():
        if name != "tone":
            assert not head["coef"][:, cue_columns].any(), name


def test_shipped_model_keeps_the_reported_meeting_out_of_the_tone_head():
    """A rakor is neither good nor bad news: the meeting found (and its type) helps topics and
    domain, while the tone head gives it no weight."""
    model = nm.get_news_model()
    assert model is not None
    meeting_columns = [len(model.columns_) + j for j, name in enumerate(model.extras_) if name.startswith("meeting")]
    assert len(meeting_columns) > 1
    assert not model.heads_["tone"]["coef"][:, meeting_columns].any()
    assert abs(model.heads_["domain"]["coef"][:, meeting_columns]).sum() > 0
    assert abs(model.heads_["topic:koordinasi"]["coef"][:, meeting_columns]).sum() > 0


def test_training_keeps_words_two_articles_use():
    """A word only one training article uses gets no column; words two use do."""
    from satupintu.situation.nlp.news_training import Labelled, Params, fit
    from satupintu.situation.nlp.topics import TOPICS

    texts = {"hajj": HAJJ, "flood": FLOOD, "election": ELECTION, "levy": LEVY,
             "hajj2": HAJJ.replace("Kabupaten Contoh", "Kota Contoh") + " Zzqunik.",
             "flood2": FLOOD + " Banjir susulan."}
    records = [Record(id=k, text=t) for k, t in texts.items()]
    signals = Analyzer(news_model=False).signals(records)
    gold = {"hajj": (["haji-umrah"], "keagamaan", "positive"), "flood": (["bencana-sosial"], "sosial", "neutral"),
            "election": (["pemilu-politik"], "politik", "neutral"), "levy": (["integritas"], "keagamaan", "negative")}
    gold["hajj2"], gold["flood2"] = gold["hajj"], gold["flood"]
    data = Labelled(list(texts), signals, [gold[k][0] for k in texts], [gold[k][1] for k in texts],
                    [gold[k][2] for k in texts])
    model = fit(data, list(range(len(texts))), Params(), list(TOPICS))
    h = nm.hasher(model.n_features)

    def column(word: str) -> int:
        return int(h.transform([word]).indices[0])

    kept = set(model.columns_.tolist())
    assert column("zzqunik") not in kept  # one article
    assert column("jemaah") in kept and column("banjir") in kept
    x = model.features(signals)
    assert x.shape == (len(texts), len(model.columns_) + len(model.extras_))
    assert model.proba("topic:haji-umrah", x)[0] > model.proba("topic:haji-umrah", x)[1]
