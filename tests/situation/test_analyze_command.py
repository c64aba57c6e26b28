"""`satupintu analyze` and `satupintu analyze evaluate`, run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

# No database: the command (or setting) is the same whatever DATABASE_URL says; CI runs it once.
pytestmark = pytest.mark.once

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "situation-dev.jsonl"
SEEDS_AVAILABLE = DEV.is_file()


def run(*args: str, stdin: str | None = None, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "SATUPINTU_DATA_DIR": os.environ.get("SATUPINTU_TEST_DATA_DIR", "/tmp/satupintu-analyze-test"),
           **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "satupintu.cli", "analyze", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def test_stdin_to_stdout_with_bad_lines_reported_and_skipped():
    lines = [
        json.dumps({"id": "a", "title": "Kemenag Kabupaten Bogor gelar dialog kerukunan",
                    "text": "Kantor Kementerian Agama Kabupaten Bogor menggelar dialog lintas agama bersama FKUB. "
                            "Kegiatan kerukunan ini diikuti 120 peserta pada Rabu (14/3).",
                    "published_at": "2018-03-16T09:00:00+07:00"}),
        "{not json",
        json.dumps({"id": "b"}),
        "",
        json.dumps({"id": "c", "text": "Kantor Kementerian Agama Kabupaten Bogor menggelar dialog lintas agama "
                                       "bersama FKUB. Kegiatan kerukunan ini diikuti 120 peserta pada Rabu (14/3)."}),
    ]
    done = run("--no-database", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "c"]
    first = out[0]
    assert first["language"] == "id"
    assert first["province"] == "32" and "32.01" in first["regencies"]
    assert "kerukunan" in first["topics"]
    assert first["domain"] == "keagamaan"
    assert first["sentiment"] in {"positive", "neutral", "negative"} and -1 <= first["sentiment_score"] <= 1
    assert {"date": "2018-03-14", "text": "Rabu (14/3)"}.items() <= first["dates"][0].items()
    assert first["duplicate_of"] is None
    assert out[1]["duplicate_of"] == "a"  # the same story again, without its title
    assert "baris 2" in done.stderr and "bukan JSON" in done.stderr
    assert "baris 3" in done.stderr and "text" in done.stderr
    assert "Traceback" not in done.stderr


def test_hostile_lines_are_skipped_one_by_one_and_the_good_ones_kept():
    import os

    good = json.dumps({"id": "ok", "text": "Kantor Kementerian Agama Kota Makassar menggelar dialog kerukunan."})
    hostile = [
        json.dumps({"id": "n", "text": "x", "published_at": 1e20}),  # past any clock
        '{"id": "nan", "text": "x", "published_at": NaN}',
        json.dumps({"id": "old", "text": "x", "published_at": -1e12}),
        json.dumps({"id": "edge", "text": "x", "published_at": "9999-12-31T23:59:59-05:00"}),
        '{"id": ' + "1" * 5000 + ', "text": "x"}',  # past Python's digit limit
        "[" * 100000,  # nested past the recursion limit
    ]
    lines = [good, *hostile, good.replace('"ok"', '"ok2"')]
    stdin = ("\n".join(lines) + "\n").encode() + b'{"id": "latin1", "text": "caf\xe9 di Kota Makassar"}\n'
    env = {**os.environ, "LC_ALL": "C.UTF-8",
           "SATUPINTU_DATA_DIR": os.environ.get("SATUPINTU_TEST_DATA_DIR", "/tmp/satupintu-analyze-test")}
    done = subprocess.run([sys.executable, "-m", "satupintu.cli", "analyze", "--no-database", "-"], input=stdin,
                          capture_output=True, timeout=120, env=env)
    err = done.stderr.decode()
    assert done.returncode == 0 and "Traceback" not in err, err
    out = [json.loads(x) for x in done.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["ok", "ok2", "latin1"]  # a byte that is not UTF-8 is replaced, as from a file
    for lineno in range(2, 6):
        assert f"baris {lineno}: published_at di luar rentang waktu" in err
    assert "baris 6: bukan JSON yang dapat dibaca" in err and "baris 7: bukan JSON yang dapat dibaca" in err


def test_file_argument_and_missing_file(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "x", "text": "Banjir melanda Kota Semarang, madrasah diliburkan."}) + "\n",
                 encoding="utf-8")
    done = run(str(f), "--no-database")
    assert done.returncode == 0
    assert json.loads(done.stdout)["province"] == "33"
    missing = run(str(tmp_path / "none.jsonl"))
    assert missing.returncode == 2 and "tidak ditemukan" in missing.stderr


@pytest.mark.skipif(not SEEDS_AVAILABLE, reason="shared development data not available")
def test_the_five_seed_articles_analyse_to_their_provinces_and_topics():
    gold = [json.loads(x) for x in DEV.read_text(encoding="utf-8").splitlines()]
    inp = "\n".join(json.dumps({"id": g["id"], "text": g["text"]}) for g in gold)
    done = run("--no-database", stdin=inp)
    assert done.returncode == 0, done.stderr
    out = {o["id"]: o for o in map(json.loads, done.stdout.splitlines())}
    for g in gold:
        o = out[g["id"]]
        assert o["province"] == g["province_code"], g["id"]
        assert set(o["provinces"]) == set(g["provinces"])
        assert set(g["regencies"]) <= set(o["regencies"])
        assert g["topics"][0] in o["topics"] or set(o["topics"]) & set(g["topics"])
        assert o["meeting"] is not None and o["meeting"]["type"] == g["meeting_type"]


@pytest.mark.skipif(not SEEDS_AVAILABLE, reason="shared development data not available")
def test_evaluate_reports_every_field_and_the_sentiment_baseline(tmp_path):
    done = run("evaluate", str(DEV), "--json", "--sentiment-data", str(DEV.parent / "sentiment"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    fields = {f["name"]: f for f in report["fields"]}
    assert {"province", "regency", "topics", "domain", "sentiment", "meeting_type", "event_date"} <= set(fields)
    assert fields["province"]["accuracy"] == 1.0
    side = report["sentiment_vs_baseline"]
    assert side["heldout_matches_training"] is True
    assert side["heldout"]["model"] > side["heldout"]["baseline"]
    # A labelled file with a broken line: reported, the rest scored.
    bad = tmp_path / "bad.jsonl"
    bad.write_text(DEV.read_text(encoding="utf-8") + "{oops\n", encoding="utf-8")
    again = run("evaluate", str(bad), "--sentiment-data", "/nonexistent")
    assert again.returncode == 0 and "baris 6" in again.stderr
    assert "province" in again.stdout


def _made_up_labelled_news(path: Path) -> None:
    """Twelve made-up news-length articles (nothing from the shared data), labelled."""
    from tests.situation.test_news_model import ELECTION, FLOOD, HAJJ, LEVY

    rows = []
    for text, domain, sentiment, topics in ((HAJJ, "keagamaan", "positive", ["haji-umrah"]),
                                            (FLOOD, "sosial", "neutral", ["bencana-sosial"]),
                                            (ELECTION, "politik", "neutral", ["pemilu-politik"]),
                                            (LEVY, "keagamaan", "negative", ["integritas", "nikah-keluarga"])):
        for n, tail in enumerate(("Demikian laporan kontributor.", "Kegiatan dipantau langsung oleh kepala kantor.",
                                  "Informasi lebih lanjut tersedia di kantor setempat.")):
            rows.append({"id": f"{domain}-{sentiment}-{n}", "text": f"{text} {tail}", "domain": domain,
                         "sentiment": sentiment, "topics": topics, "province_code": None, "regency_code": None})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_evaluate_cv_puts_the_learned_model_next_to_the_lexicons(tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    _made_up_labelled_news(labelled)
    done = run("evaluate", str(labelled), "--cv", "3", "--sentiment-data", "/nonexistent", "--no-database")
    assert done.returncode == 0, done.stderr
    assert "model (rata±sd)" in done.stdout and "leksikon (rata±sd)" in done.stdout
    for name in ("topics micro-F1", "domain accuracy", "sentiment macro-F1"):
        assert name in done.stdout
    as_json = run("evaluate", str(labelled), "--cv", "3", "--json", "--sentiment-data", "/nonexistent",
                  "--no-database")
    cv = json.loads(as_json.stdout)["cv"]
    assert cv["folds"] == 3 and cv["items"] == 12
    for sides in cv["fields"].values():
        assert len(sides["model"]["folds"]) == len(sides["lexicon"]["folds"]) == 3
        assert 0.0 <= sides["model"]["mean"] <= 1.0 and sides["lexicon"]["sd"] >= 0.0
    # The plain table is still there, above.
    assert "province" in done.stdout.split("Validasi silang")[0]


def test_evaluate_leave_one_out_scores_each_line_by_a_model_that_never_saw_it(tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    _made_up_labelled_news(labelled)
    done = run("evaluate", str(labelled), "--loo", "--json", "--sentiment-data", "/nonexistent", "--no-database")
    assert done.returncode == 0, done.stderr
    loo = json.loads(done.stdout)["loo"]
    assert loo["method"] == "leave-one-out" and loo["items"] == 12 and loo["trained_on"] == 11
    for sides in loo["fields"].values():
        for side in ("model", "lexicon", "difference"):
            low, high = sides[side]["ci95"]
            assert low <= sides[side]["score"] <= high
        assert sides["difference"]["score"] == pytest.approx(sides["model"]["score"] - sides["lexicon"]["score"],
                                                             abs=1e-3)
    # Each article has two reworded copies among the other lines: refitted on them, the model
    # reads their tone, which the lexicons alone miss on some.
    tone = loo["fields"]["sentiment macro-F1"]
    assert tone["model"]["score"] > tone["lexicon"]["score"]
    table = run("evaluate", str(labelled), "--loo", "--sentiment-data", "/nonexistent", "--no-database")
    assert "Tinggalkan satu (leave-one-out)" in table.stdout and "11 baris lainnya" in table.stdout


def test_evaluate_leave_one_out_needs_three_lines(tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    _made_up_labelled_news(labelled)
    labelled.write_text("".join(labelled.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    done = run("evaluate", str(labelled), "--loo", "--sentiment-data", "/nonexistent", "--no-database")
    assert done.returncode == 2 and "terlalu sedikit untuk tinggalkan-satu" in done.stderr


def test_evaluate_cv_with_more_folds_than_lines_says_so_in_indonesian(tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    _made_up_labelled_news(labelled)
    done = run("evaluate", str(labelled), "--cv", "7", "--sentiment-data", "/nonexistent", "--no-database")
    assert done.returncode == 2 and "terlalu sedikit untuk 7 lipatan (perlu minimal 14)" in done.stderr
