"""Builds the causal feature matrix for every dev stay into a cache outside the repo (default /tmp/vigil-sepsis)."""
import os, sys, time
import numpy as np
from common import DATA, patients, load, features

out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/vigil-sepsis'
os.makedirs(out, exist_ok=True)
t0 = time.time(); X, Y, P, names = [], [], [], None
for i, p in enumerate(patients()):
    h, x = load(os.path.join(DATA, p + '.psv'))
    names, f = features(h, x)
    X.append(f); Y.append(x[:, h.index('SepsisLabel')]); P.extend([p] * len(f))
np.savez(os.path.join(out, 'features.npz'), X=np.vstack(X), y=np.concatenate(Y), pid=np.array(P), names=np.array(names))
print(f'{len(P)} rows x {len(names)} features in {time.time() - t0:.0f}s -> {out}/features.npz')
