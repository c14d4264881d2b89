#!/usr/bin/env python3
# Copied from ../shared/tools/score_deid.py (the project's shared de-identification scorer); keep in sync.
"""Score de-identification predictions against gold PHI spans.

  score_deid.py --gold GOLD.jsonl --pred PRED.jsonl [--json] [--ignore-types T1,T2]
                [--count-whitespace]

GOLD lines: {"patient", "note", "text", "phi": [{"start","end","type",...}]}
PRED lines: {"patient", "note", "spans": [{"start","end","type"}]}
Documents are paired by (patient, note); a gold document missing from PRED counts as
"nothing detected"; PRED documents absent from GOLD are ignored (reported on stderr).

Metrics (character offsets, end exclusive):
  char_recall     gold PHI characters covered by the union of predicted spans / gold PHI characters
  char_precision  predicted characters that are gold PHI / predicted characters
                  (null when nothing at all was predicted)
  span_recall     gold spans with >= 50% of their characters covered by predictions / gold spans
  per_type        gold type -> span recall
By default whitespace characters are not counted (so "Mr\\nSmith" vs "Mr Smith" boundaries
and trailing blanks do not matter); --count-whitespace counts every character.
--ignore-types removes gold spans of those types from every metric; predicted characters
that fall on an ignored gold span are treated as "don't care" (neither TP nor FP).
"""
import argparse
import collections
import json
import sys


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit("%s:%d: bad JSON (%s)" % (path, n, e))


def key(d):
    return (str(d["patient"]), str(d["note"]))


def char_set(spans, text, count_ws):
    out = set()
    n = len(text)
    for s in spans:
        a, b = max(0, int(s["start"])), min(n, int(s["end"]))
        for i in range(a, b):
            if count_ws or not text[i].isspace():
                out.add(i)
    return out


def score(gold_path, pred_path, ignore=(), count_ws=False):
    ignore = {t.strip().upper() for t in ignore if t.strip()}
    gold = {}
    for d in load_jsonl(gold_path):
        k = key(d)
        if k in gold:
            sys.exit("duplicate gold document %r" % (k,))
        gold[k] = d
    pred = collections.defaultdict(list)
    for d in load_jsonl(pred_path):
        pred[key(d)].extend(d.get("spans") or [])
    extra = [k for k in pred if k not in gold]
    if extra:
        print("warning: %d predicted documents not in gold (ignored)" % len(extra), file=sys.stderr)

    g_chars = g_hit = p_chars = p_tp = 0
    n_spans = n_span_hit = 0
    per_type_n = collections.Counter()
    per_type_hit = collections.Counter()
    for k, d in gold.items():
        text = d["text"]
        spans = [s for s in d.get("phi", []) if str(s["type"]).upper() not in ignore]
        ign = [s for s in d.get("phi", []) if str(s["type"]).upper() in ignore]
        gset = char_set(spans, text, count_ws)
        dont_care = char_set(ign, text, count_ws) - gset
        pset = char_set(pred.get(k, []), text, count_ws) - dont_care
        g_chars += len(gset)
        g_hit += len(gset & pset)
        p_chars += len(pset)
        p_tp += len(pset & gset)
        for s in spans:
            sc = char_set([s], text, count_ws) or char_set([s], text, True)
            cov = len(sc & pset) / len(sc) if sc else 0.0
            hit = cov >= 0.5
            n_spans += 1
            n_span_hit += hit
            per_type_n[s["type"]] += 1
            per_type_hit[s["type"]] += hit

    def ratio(a, b):
        return (a / b) if b else None

    return {
        "char_recall": ratio(g_hit, g_chars),
        "char_precision": ratio(p_tp, p_chars),
        "span_recall": ratio(n_span_hit, n_spans),
        "per_type": {t: per_type_hit[t] / per_type_n[t] for t in sorted(per_type_n)},
        "n_docs": len(gold),
        "n_gold_spans": n_spans,
    }, {"per_type_n": dict(per_type_n), "per_type_hit": dict(per_type_hit),
        "gold_chars": g_chars, "pred_chars": p_chars, "tp_chars": p_tp,
        "missing_pred_docs": sum(1 for k in gold if k not in pred)}


def fmt(x):
    return "n/a" if x is None else "%.4f" % x


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--json", action="store_true", help="print a single JSON object")
    ap.add_argument("--ignore-types", default="", help="comma-separated gold types to ignore")
    ap.add_argument("--count-whitespace", action="store_true",
                    help="count whitespace characters in character metrics")
    a = ap.parse_args(argv)
    res, extra = score(a.gold, a.pred, a.ignore_types.split(","), a.count_whitespace)
    if a.json:
        print(json.dumps(res))
        return
    print("gold: %s   pred: %s" % (a.gold, a.pred))
    print("documents: %d (%d without predictions)   gold spans: %d" %
          (res["n_docs"], extra["missing_pred_docs"], res["n_gold_spans"]))
    print("char recall    : %s  (%d / %d chars)" % (fmt(res["char_recall"]), extra["tp_chars"], extra["gold_chars"]))
    print("char precision : %s  (%d / %d chars)" % (fmt(res["char_precision"]), extra["tp_chars"], extra["pred_chars"]))
    print("span recall    : %s  (>=50%% chars covered)" % fmt(res["span_recall"]))
    print()
    print("%-14s %7s %7s %8s" % ("type", "spans", "found", "recall"))
    for t, r in res["per_type"].items():
        print("%-14s %7d %7d %8s" % (t, extra["per_type_n"][t], extra["per_type_hit"][t], fmt(r)))


if __name__ == "__main__":
    main()
