"""Reference tree-ensemble evaluator over LightGBM's dump_model() JSON: the exact algorithm the Swift
evaluator in ModelCore implements (docs/design/inference.md §4.5). Checks it against Booster.predict and
computes per-feature contributions (Saabas path attribution) and TreeSHAP via LightGBM for comparison.

    nice -n 10 python3 tree_eval.py /tmp/vigil-sepsis/sepsis-lgbm-shift0.txt /tmp/vigil-sepsis/features.npz
"""
import json, math, sys
import numpy as np
import lightgbm as lgb


def goes_left(node, v):
    """LightGBM numerical split: NaN handling per missing_type, then `v <= threshold`."""
    mt = node['missing_type']
    if math.isnan(v):
        if mt == 'NaN':
            return node['default_left']
        v = 0.0                      # missing_type None or Zero: NaN is treated as 0.0
    if mt == 'Zero' and abs(v) <= 1e-35:  # kZeroThreshold
        return node['default_left']
    assert node['decision_type'] == '<=', 'categorical splits are not used'
    return v <= node['threshold']


def raw_score(model, row, contrib=None):
    total = 0.0
    for tree in model['tree_info']:
        node = tree['tree_structure']
        while 'leaf_value' not in node:
            child = node['left_child'] if goes_left(node, row[node['split_feature']]) else node['right_child']
            if contrib is not None:  # Saabas: change of expected value along the path (needs internal_value)
                contrib[node['split_feature']] += child.get('internal_value', child.get('leaf_value')) - node['internal_value']
            node = child
        total += node['leaf_value']
    return total


def probability(model, row):
    return 1.0 / (1.0 + math.exp(-raw_score(model, row)))


if __name__ == '__main__':
    booster = lgb.Booster(model_file=sys.argv[1]); model = booster.dump_model()
    X = np.load(sys.argv[2])['X']
    rng = np.random.default_rng(1); idx = rng.choice(len(X), 5000, replace=False)
    ref = booster.predict(X[idx]); ours = np.array([probability(model, X[i]) for i in idx])
    print(f'rows {len(idx)}  max |swift-algorithm - lightgbm| = {np.max(np.abs(ref - ours)):.3e}')
    names = model['feature_names']; row = X[idx[int(np.argmax(ref))]]
    c = np.zeros(len(names)); base = raw_score(model, row, c)
    bias = sum(t['tree_structure'].get('internal_value', 0.0) for t in model['tree_info'])
    print(f'highest-risk sample p={probability(model, row):.4f}; bias {bias:.4f} + sum(contrib) {c.sum():.4f} = {base:.4f}')
    shap = booster.predict(row[None, :], pred_contrib=True)[0]
    for j in np.argsort(-np.abs(c))[:8]:
        print(f'  {names[j]:<22} value {row[j]:>9.3f}  saabas {c[j]:+.4f}  treeshap {shap[j]:+.4f}')
