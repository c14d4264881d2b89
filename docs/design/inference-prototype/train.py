"""Patient-level held-out evaluation of a LightGBM sepsis model (prototype for vigil-infer, issue 6).

Fold 0 of a sha256(patient id) 5-way split is held out and touched once; folds 1-4 give out-of-fold predictions
from which the decision threshold is chosen (max normalized utility), then a model trained on folds 1-4 scores
fold 0. Writes challenge-format predictions and a symlinked label dir for ../../../../shared/tools/score_sepsis.py.

    nice -n 10 python3 train.py [--shift H] [--out /tmp/vigil-sepsis]
"""
import argparse, hashlib, json, os, time
import numpy as np
import lightgbm as lgb
from common import DATA, fold_of
import sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '../../../tools/sepsis'))
from utility import normalized_utility  # the one copy, shared with tools/sepsis/train.py

ap = argparse.ArgumentParser()
ap.add_argument('--out', default='/tmp/vigil-sepsis')
ap.add_argument('--shift', type=int, default=0, help='train on labels moved H hours earlier (septic stays)')
ap.add_argument('--rounds', type=int, default=300)
a = ap.parse_args()
PARAMS = dict(objective='binary', learning_rate=0.05, num_leaves=31, min_data_in_leaf=200, feature_fraction=0.7,
              bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, num_threads=1, seed=7, verbose=-1,
              deterministic=True)

d = np.load(os.path.join(a.out, 'features.npz'))
X, y, pid, names = d['X'], d['y'], d['pid'], list(d['names'])
X[:, names.index('Age')] = np.minimum(X[:, names.index('Age')], 90)  # de-id top-codes age at 90
upid, start = np.unique(pid, return_index=True)  # pid rows are contiguous and sorted
order = np.argsort(start); upid, start = upid[order], start[order]
end = np.r_[start[1:], len(pid)]
fold = np.array([fold_of(p) for p in upid]); row_fold = np.repeat(fold, end - start)

target = y.copy()
if a.shift:
    for s, e in zip(start, end):
        if y[s:e].any():
            i = s + int(np.argmax(y[s:e])); target[max(s, i - a.shift):i] = 1


def fit(mask):
    return lgb.train(PARAMS, lgb.Dataset(X[mask], target[mask], feature_name=names), num_boost_round=a.rounds)


def stays(mask_f, prob):
    out, k = [], 0
    for s, e, f in zip(start, end, fold):
        if mask_f(f):
            out.append((y[s:e], prob[k:k + e - s])); k += e - s
    return out

t0 = time.time(); oof = np.zeros(len(y))
for f in (1, 2, 3, 4):
    m = fit((row_fold != f) & (row_fold != 0)); oof[row_fold == f] = m.predict(X[row_fold == f])
    print(f'cv fold {f} trained ({time.time() - t0:.0f}s)', flush=True)
cv_stays = stays(lambda f: f != 0, oof[row_fold != 0])
grid = np.unique(np.round(np.geomspace(0.002, 0.3, 80), 4))
cv_u = [normalized_utility(cv_stays, t) for t in grid]
thr = float(grid[int(np.argmax(cv_u))])
print(f'threshold {thr} (CV normalized utility {max(cv_u):.4f})', flush=True)

model = fit(row_fold != 0); prob = model.predict(X[row_fold == 0])
tag = f'shift{a.shift}-r{a.rounds}'
pred_dir, lab_dir = os.path.join(a.out, f'pred-{tag}'), os.path.join(a.out, 'labels-fold0')
os.makedirs(pred_dir, exist_ok=True); os.makedirs(lab_dir, exist_ok=True)
k = 0
for p, s, e, f in zip(upid, start, end, fold):
    if f != 0: continue
    with open(os.path.join(pred_dir, p + '.psv'), 'w') as fh:
        fh.write('PredictedProbability|PredictedLabel\n')
        for q in prob[k:k + e - s]:
            fh.write(f'{q:.6f}|{int(q >= thr)}\n')  # label from the rounded probability is the same ordering
    k += e - s
    link = os.path.join(lab_dir, p + '.psv')
    if not os.path.exists(link): os.symlink(os.path.abspath(os.path.join(DATA, p + '.psv')), link)

model_path = os.path.join(a.out, f'sepsis-lgbm-{tag}.txt'); model.save_model(model_path)
json_path = os.path.join(a.out, f'sepsis-lgbm-{tag}.json')
with open(json_path, 'w') as fh: json.dump(model.dump_model(), fh)
imp = sorted(zip(model.feature_importance('gain'), names), reverse=True)[:15]
summary = dict(shift=a.shift, rounds=a.rounds, params=PARAMS, threshold=thr, cv_normalized_utility=max(cv_u),
               holdout_patients=int((fold == 0).sum()), train_patients=int((fold != 0).sum()),
               holdout_internal_utility=normalized_utility(stays(lambda f: f == 0, prob), thr),
               model_json_sha256=hashlib.sha256(open(json_path, 'rb').read()).hexdigest(),
               model_json_bytes=os.path.getsize(json_path), seconds=round(time.time() - t0),
               top_gain=[n for _, n in imp])
print(json.dumps(summary, indent=1))
json.dump(summary, open(os.path.join(a.out, f'summary-{tag}.json'), 'w'), indent=1)
