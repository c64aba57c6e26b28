import json
from pathlib import Path

from satupintu.situation.nlp.topics import TOPICS, domain, topics

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "situation-dev.jsonl"


def test_the_fifteen_topics():
    assert len(TOPICS) == 15


def test_topics_of_short_texts():
    text = ("Kemenag membuka pendaftaran haji reguler. Calon jemaah haji diminta melunasi BPIH sebelum manasik. "
            "Informasi layanan di PTSP.")
    assert topics(text)[0] == "haji-umrah"
    assert "zakat-wakaf" in topics("Penyaluran zakat", title="BAZNAS salurkan zakat fitrah")
    assert topics("Selamat pagi semuanya.") == []


def test_domain():
    politics = ("Menjelang pemilu, ASN diminta menjaga netralitas dan tidak ikut kampanye partai politik. "
                "Pemilu damai, kampanye tertib.")
    assert domain(topics(politics), politics) == "politik"
    disaster = "Banjir dan longsor melanda; Kemenag salurkan bantuan untuk korban bencana dan pengungsi banjir."
    assert domain(topics(disaster), disaster) == "sosial"
    faith = "Moderasi beragama dan kerukunan umat dibahas FKUB; toleransi antarumat dijaga bersama."
    assert domain(topics(faith), faith) == "keagamaan"


def test_seed_articles_floor():
    """A floor on the five labelled articles (a held-out set judges the real quality)."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    found = wanted = hit = 0
    for row in rows:
        got = set(topics(row["text"]))
        found, wanted, hit = found + len(got), wanted + len(row["topics"]), hit + len(got & set(row["topics"]))
        assert domain(list(got), row["text"]) == row["domain"]
    assert hit / wanted >= 0.7 and hit / found >= 0.6
