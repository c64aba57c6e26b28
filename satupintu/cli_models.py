"""The `satupintu train` and `satupintu analyze` commands: the Situation Room's models, trained
from the shared data and run on JSON Lines (the rest of the command is satupintu/cli.py)."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from satupintu.cli_setup import django_setup


def cmd_train_news(ns: argparse.Namespace) -> int:
    """Train the news model (topics, domain, tone) on the labelled news and write it into the package."""
    django_setup()
    from satupintu.situation.nlp.news_training import train_news

    data, out = Path(ns.data), Path(ns.out)
    if not data.is_dir():
        print(f"Folder data tidak ditemukan: {data}", file=sys.stderr)
        return 2
    meta = train_news(data, out, seed=ns.seed, k=ns.folds, repeats=ns.repeats,
                      log=lambda line: print(line, file=sys.stderr))
    cv = meta["cv"]
    print(f"Model disimpan: {out} ({meta['model_bytes'] / 1e6:.1f} MB, {meta['training_seconds']} s, "
          f"{meta['rows']} artikel, parameter {meta['params']})")
    print(f"Validasi silang {cv['folds']} lipatan x {cv['repeats']}: topik micro-F1 "
          f"{cv['topics_micro_f1']['mean']:.3f}±{cv['topics_micro_f1']['sd']:.3f}, domain akurasi "
          f"{cv['domain_accuracy']['mean']:.3f}±{cv['domain_accuracy']['sd']:.3f}, nada macro-F1 "
          f"{cv['tone_macro_f1']['mean']:.3f}±{cv['tone_macro_f1']['sd']:.3f}")
    return 0


def cmd_train(ns: argparse.Namespace) -> int:
    """Train a model from the shared data and write it (with its metadata) into the package."""
    from satupintu.situation.nlp.sentiment_training import train_sentiment

    data, out = Path(ns.data), Path(ns.out)
    if not data.is_dir():
        print(f"Folder data tidak ditemukan: {data}", file=sys.stderr)
        return 2
    meta = train_sentiment(data, out, seed=ns.seed)
    print(f"Model disimpan: {out} ({meta['model_bytes'] / 1e6:.1f} MB, {meta['training_seconds']} s, "
          f"{meta['rows']['training']} baris latih, C={meta['C']})")
    h = meta["heldout"]
    print(f"Data uji terpisah ({h['rows']} baris): macro-F1 model {h['model_macro_f1']:.4f}, "
          f"baseline TF-IDF + SVM linear {h['baseline_macro_f1']:.4f}")
    return 0


def cmd_analyze(ns: argparse.Namespace) -> int:
    """`analyze [FILE]` (stdin when FILE is - or absent) or `analyze evaluate FILE`."""
    django_setup()
    args = list(ns.args)
    if args and args[0] == "evaluate":
        return _analyze_evaluate(ns, args[1:])
    if len(args) > 1:
        print("Pemakaian: satupintu analyze [FILE] | satupintu analyze evaluate FILE", file=sys.stderr)
        return 2
    from satupintu.situation.analyze_command import analyze_stream

    path = args[0] if args else "-"
    if path == "-":
        # Read as UTF-8 whatever the locale, a byte that is not UTF-8 replaced, as from a file.
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        analyze_stream(stdin, sys.stdout, sys.stderr, use_database=not ns.no_database)
        return 0
    file = Path(path)
    if not file.is_file():
        print(f"Berkas tidak ditemukan: {file}", file=sys.stderr)
        return 2
    with file.open(encoding="utf-8", errors="replace") as f:
        analyze_stream(f, sys.stdout, sys.stderr, total_bytes=file.stat().st_size, use_database=not ns.no_database)
    return 0


def _analyze_evaluate(ns: argparse.Namespace, args: list[str]) -> int:
    import json

    from satupintu.situation.evaluation import evaluate, sentiment_side_by_side

    if len(args) != 1 or not Path(args[0]).is_file():
        print("Pemakaian: satupintu analyze evaluate FILE (berkas JSON Lines berlabel)", file=sys.stderr)
        return 2
    report = evaluate(Path(args[0]), sys.stderr)
    pairs = report.pop("_pairs")
    data = Path(ns.sentiment_data) if ns.sentiment_data else None
    if data and data.is_dir():
        report["sentiment_vs_baseline"] = sentiment_side_by_side(data, pairs)
    if ns.cv:
        from satupintu.situation.evaluation_cv import cross_validate

        try:
            report["cv"] = cross_validate(Path(args[0]), k=ns.cv, repeats=ns.cv_repeats)
        except ValueError as e:
            print(str(e), file=sys.stderr)
            return 2
    if ns.loo:
        from tqdm import tqdm

        from satupintu.situation.evaluation_cv import leave_one_out

        with tqdm(unit="baris", desc="tinggalkan satu", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            try:
                report["loo"] = leave_one_out(Path(args[0]), progress=lambda done, n: bar.update(done - bar.n))
            except ValueError as e:
                print(str(e), file=sys.stderr)
                return 2
    if ns.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{report['file']}: {report['items']} butir")
    print(f"{'kolom':<26}{'n':>4}{'akurasi':>9}{'macro-F1':>10}{'P':>7}{'R':>7}{'F1':>7}")
    for f in report["fields"]:
        cells = [f.get(k) for k in ("accuracy", "macro_f1", "precision", "recall", "f1")]
        widths = (9, 10, 7, 7, 7)
        print(f"{f['name']:<26}{f['n']:>4}" + "".join(
            f"{c:>{w}.3f}" if c is not None else " " * w for c, w in zip(cells, widths, strict=True)))
    from satupintu.situation.evaluation_cv import trained_on

    if trained_on(Path(args[0])):
        print("(Model berita dilatih pada berkas ini: topik, domain dan nada di atas tidak bermakna; "
              "pakai --cv K atau --loo untuk validasi silang.)")
    side = report.get("sentiment_vs_baseline")
    if side:
        h = side["heldout"]
        print(f"\nSentimen pada data uji terpisah ({side['heldout_rows']} baris, "
              f"{'sama dengan saat pelatihan' if side['heldout_matches_training'] else 'BEDA dengan saat pelatihan'}):")
        print(f"  model {h['model']:.4f} macro-F1   baseline TF-IDF + SVM linear {h['baseline']:.4f}"
              f"   ({h['model'] - h['baseline']:+.4f})")
        if "cross_dataset" in side:
            c = side["cross_dataset"]
            print(f"  antar-data ({c['train']} -> {c['test']}): model {c['model_macro_f1']:.4f}, "
                  f"baseline {c['baseline_macro_f1']:.4f}")
        if "file" in side:
            m, b = side["file"]["model"], side["file"]["baseline"]
            print(f"Sentimen pada berkas ini ({side['file']['rows']} butir): model akurasi {m['accuracy']:.3f} "
                  f"macro-F1 {m['macro_f1']:.3f}; baseline akurasi {b['accuracy']:.3f} macro-F1 {b['macro_f1']:.3f}")
    elif ns.sentiment_data:
        print(f"\n(Data sentimen tidak ditemukan di {ns.sentiment_data}: perbandingan dengan baseline dilewati)")
    if "cv" in report:
        from satupintu.situation.evaluation_cv import format_cv

        print(format_cv(report["cv"]))
    if "loo" in report:
        from satupintu.situation.evaluation_cv import format_loo

        print(format_loo(report["loo"]))
    return 0
