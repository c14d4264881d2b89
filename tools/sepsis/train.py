"""Trains the served sepsis model from the Swift feature export (`vigil features export`), so the features it
learns from are the ones the service computes.

Patient-level split: fold = sha256(stay) mod 5. Fold 0 is held out (scored once, by `vigil eval sepsis --fold 0`
and the official scorer); folds 1-4 give out-of-fold predictions, from which the decision threshold is chosen
(maximum normalized utility). The shipped model is trained on folds 1-4.

    python3 tools/sepsis/train.py train --features DIR --out DIR [--rounds N] [--weighting utility|none]
    python3 tools/sepsis/train.py card --out DIR --holdout SCORES.json   # adds the held-out figures to the card

Writes model.json (LightGBM dump, fields the Swift evaluator reads), metadata.json, card.md, training.json and,
with --check FILE, rows with LightGBM's own probabilities for the Swift evaluator's agreement test.
"""
import argparse, hashlib, json, os, platform, sys, time
import numpy as np
import lightgbm as lgb

sys.path.insert(0, os.path.dirname(__file__))
from utility import normalized_utility, row_weights  # noqa: E402

PARAMS = dict(objective='binary', learning_rate=0.05, num_leaves=31, min_data_in_leaf=200, feature_fraction=0.7,
              bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, num_threads=2, seed=7, verbose=-1,
              deterministic=True, force_row_wise=True)
NODE_KEYS = ('split_feature', 'threshold', 'decision_type', 'default_left', 'missing_type', 'internal_value',
             'left_child', 'right_child', 'leaf_value')


def load(directory):
    names = open(os.path.join(directory, 'names.txt')).read().split()
    X = np.fromfile(os.path.join(directory, 'features.f64'), '<f8').reshape(-1, len(names))
    rows = [line.split('\t') for line in open(os.path.join(directory, 'rows.tsv')).read().splitlines()[1:]]
    stay = np.array([r[0] for r in rows])
    y = np.array([int(r[2]) for r in rows])
    fold = np.array([int(r[3]) for r in rows])
    return names, X, y, stay, fold


def stays_of(stay, mask):
    """(start, end) row ranges of the stays whose rows are in mask (a stay's rows are contiguous)."""
    starts = np.r_[0, np.flatnonzero(stay[1:] != stay[:-1]) + 1]
    ends = np.r_[starts[1:], len(stay)]
    return [(s, e) for s, e in zip(starts, ends) if mask[s]]


def strip(tree):
    """Only what the Swift evaluator reads: halves the file."""
    return {k: (strip(v) if isinstance(v, dict) else v) for k, v in tree.items() if k in NODE_KEYS}


def train(a):
    t0 = time.time()
    names, X, y, stay, fold = load(a.features)
    weights = np.ones(len(y))
    if a.weighting == 'utility':
        for s, e in stays_of(stay, np.ones(len(y), bool)):
            weights[s:e] = row_weights(y[s:e])
    fit = lambda mask: lgb.train(PARAMS, lgb.Dataset(X[mask], y[mask], weight=weights[mask], feature_name=names),
                                 num_boost_round=a.rounds)
    oof = np.zeros(len(y))
    for f in (1, 2, 3, 4):
        oof[fold == f] = fit((fold != f) & (fold != 0)).predict(X[fold == f])
        print(f'cv fold {f} trained ({time.time() - t0:.0f}s)', flush=True)
    cv = [(y[s:e], oof[s:e]) for s, e in stays_of(stay, fold != 0)]
    grid = np.unique(np.round(np.geomspace(0.002, 0.6, 90), 4))
    utilities = [normalized_utility(cv, t) for t in grid]
    threshold = float(grid[int(np.argmax(utilities))])
    print(f'threshold {threshold}: CV normalized utility {max(utilities):.4f}', flush=True)

    model = fit(fold != 0)
    dump = model.dump_model()
    dump['tree_info'] = [{'tree_index': t['tree_index'], 'tree_structure': strip(t['tree_structure'])}
                         for t in dump['tree_info']]
    for key in ('feature_importances', 'pandas_categorical', 'feature_infos'):
        dump.pop(key, None)
    os.makedirs(a.out, exist_ok=True)
    body = json.dumps(dump, separators=(',', ':')).encode()
    open(os.path.join(a.out, 'model.json'), 'wb').write(body)
    gain = sorted(zip(model.feature_importance('gain'), names), reverse=True)[:10]
    training = dict(
        params=PARAMS, rounds=a.rounds, weighting=a.weighting, threshold=threshold,
        cv_normalized_utility=round(max(utilities), 4), train_stays=len(set(stay[fold != 0])),
        holdout_stays=len(set(stay[fold == 0])), train_rows=int((fold != 0).sum()),
        features_sha256=hashlib.sha256(open(os.path.join(a.features, 'features.f64'), 'rb').read()).hexdigest(),
        top_gain=[n for _, n in gain], lightgbm=lgb.__version__, numpy=np.__version__,
        python=platform.python_version(), seconds=round(time.time() - t0))
    json.dump(training, open(os.path.join(a.out, 'training.json'), 'w'), indent=1)
    metadata = dict(id='sepsis-lgbm', version=a.version, sha256=hashlib.sha256(body).hexdigest(),
                    featureSchema='sepsis-features/1', threshold=threshold)
    json.dump(metadata, open(os.path.join(a.out, 'metadata.json'), 'w'), indent=1)
    if a.check:
        write_check(a.check, model, X, y, fold)
    write_card(a.out, None)
    print(json.dumps(training, indent=1))


def write_check(path, model, X, y, fold):
    """Held-out rows (all positives of a few stays plus others) and LightGBM's probability for each."""
    rng = np.random.default_rng(7)
    holdout = np.flatnonzero(fold == 0)
    rows = np.sort(np.concatenate([rng.choice(holdout[y[holdout] == 1], 60, replace=False),
                                   rng.choice(holdout[y[holdout] == 0], 240, replace=False)]))
    p = model.predict(X[rows])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as fh:
        fh.write('# rows of sepsis-features/1 and LightGBM %s Booster.predict for them (tools/sepsis/train.py)\n'
                 % lgb.__version__)
        for r, q in zip(rows, p):
            fh.write(repr(float(q)) + '\t' + '\t'.join(repr(float(v)) for v in X[r]) + '\n')


def write_card(out, holdout):
    meta = json.load(open(os.path.join(out, 'metadata.json')))
    tr = json.load(open(os.path.join(out, 'training.json')))
    if holdout:
        figures = (f"| held-out fold 0 ({tr['holdout_stays']} stays), official scorer | "
                   f"{holdout['normalized_utility']:.3f} | {holdout['auroc']:.3f} | {holdout['auprc']:.3f} |")
    else:
        figures = '| held-out fold 0 | not yet scored (run `make train`) | | |'
    text = open(os.path.join(os.path.dirname(__file__), 'card_template.md')).read()
    for key, value in dict(
        version=meta['version'], sha256=meta['sha256'], threshold=meta['threshold'], figures=figures,
        cv=tr['cv_normalized_utility'], train_stays=tr['train_stays'], train_rows=tr['train_rows'],
        rounds=tr['rounds'], weighting=tr['weighting'], lightgbm=tr['lightgbm'], top=', '.join(tr['top_gain']),
        features_sha256=tr['features_sha256'],
    ).items():
        text = text.replace('{{' + key + '}}', str(value))
    open(os.path.join(out, 'card.md'), 'w').write(text)


def card(a):
    scores = json.load(open(a.holdout))
    keys = {k.lower(): v for k, v in scores.items()}
    pick = lambda *names: next(float(keys[n]) for n in names if n in keys)
    write_card(a.out, dict(normalized_utility=pick('normalized_utility', 'utility'),
                           auroc=pick('auroc'), auprc=pick('auprc')))
    print(open(os.path.join(a.out, 'card.md')).read())


def reference(a):
    """The held-out score distribution that live monitoring measures drift against (PSI over its deciles)."""
    scores = []
    for name in sorted(os.listdir(a.predictions)):
        with open(os.path.join(a.predictions, name)) as f:
            next(f)
            scores += [float(line.split('|')[0]) for line in f if line.strip()]
    scores.sort()
    n = len(scores)
    edges = sorted(set(round(scores[int(n * q / 10)], 6) for q in range(1, 10)))
    counts = [0] * (len(edges) + 1)
    for v in scores:
        counts[sum(1 for e in edges if v >= e)] += 1
    out = dict(schema='vigil.score-reference/1', source='held-out fold 0 predictions of vigil eval sepsis',
               rows=n, edges=edges, proportions=[round(c / n, 6) for c in counts])
    with open(os.path.join(a.out, 'reference-scores.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'reference distribution: {n} rows, {len(counts)} bins')


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='command', required=True)
    t = sub.add_parser('train')
    t.add_argument('--features', required=True)
    t.add_argument('--out', required=True)
    t.add_argument('--rounds', type=int, default=300)
    t.add_argument('--weighting', choices=('none', 'utility'), default='none')
    t.add_argument('--version', default='1.0.0')
    t.add_argument('--check', help='write LightGBM agreement rows here')
    c = sub.add_parser('card')
    c.add_argument('--out', required=True)
    c.add_argument('--holdout', required=True, help='score_sepsis.py --json output for fold 0')
    r = sub.add_parser('reference')
    r.add_argument('--out', required=True)
    r.add_argument('--predictions', required=True, help='vigil eval sepsis predictions folder (fold 0)')
    args = ap.parse_args()
    {'train': train, 'card': card, 'reference': reference}[args.command](args)
