"""Shared helpers for the vigil-infer sepsis prototype (not production code).

Reads the PhysioNet/CinC 2019 .psv stays, splits patients deterministically (no leakage: a patient is in exactly
one fold), and builds causal hourly features (each row uses only rows at or before it), the same definitions the
Swift feature code must reproduce (docs/design/inference.md §4).
"""
import hashlib, os, warnings
import numpy as np

warnings.filterwarnings('ignore', category=RuntimeWarning)

DATA = os.environ.get('SEPSIS_DEV', os.path.join(os.path.dirname(__file__), '../../../../shared/data/sepsis/dev'))
VITALS = ['HR', 'O2Sat', 'Temp', 'SBP', 'MAP', 'DBP', 'Resp', 'EtCO2']
LABS = ['BaseExcess', 'HCO3', 'FiO2', 'pH', 'PaCO2', 'SaO2', 'AST', 'BUN', 'Alkalinephos', 'Calcium', 'Chloride',
        'Creatinine', 'Bilirubin_direct', 'Glucose', 'Lactate', 'Magnesium', 'Phosphate', 'Potassium',
        'Bilirubin_total', 'TroponinI', 'Hct', 'Hgb', 'PTT', 'WBC', 'Fibrinogen', 'Platelets']
MEASURED = VITALS + LABS
STATIC = ['Age', 'Gender', 'Unit1', 'Unit2', 'HospAdmTime']


def load(path):
    with open(path) as fh:
        header = fh.readline().strip().split('|')
    x = np.loadtxt(path, delimiter='|', skiprows=1, ndmin=2)
    return header, x


def fold_of(pid, k=5):
    """Deterministic patient-level fold 0..k-1 from the file name (sha256), independent of file order."""
    return int(hashlib.sha256(pid.encode()).hexdigest(), 16) % k


def patients():
    return sorted(f[:-4] for f in os.listdir(DATA) if f.endswith('.psv'))


def ffill(a):
    """Last value carried forward along axis 0; NaN before the first value."""
    out = a.copy()
    for j in range(a.shape[1]):
        col = out[:, j]
        idx = np.where(~np.isnan(col), np.arange(len(col)), -1)
        np.maximum.accumulate(idx, out=idx)
        out[:, j] = np.where(idx >= 0, col[np.maximum(idx, 0)], np.nan)
    return out


def hours_since(a):
    """Hours since the last measurement (0 = measured this hour); 999 (sentinel) before the first."""
    n = a.shape[0]
    t = np.arange(n)[:, None]
    idx = np.where(~np.isnan(a), t, -1)
    idx = np.maximum.accumulate(idx, axis=0)
    return np.where(idx >= 0, t - idx, 999).astype(float)


def lag(a, k):
    out = np.full_like(a, np.nan)
    if k < len(a):
        out[k:] = a[:-k] if k else a
    return out


def window(a, w, fn):
    """fn over the last w rows (inclusive) of raw values, ignoring NaN; NaN when none."""
    n = a.shape[0]
    out = np.full(a.shape, np.nan)
    for i in range(n):
        s = a[max(0, i - w + 1):i + 1]
        ok = ~np.isnan(s)
        if ok.any():
            with np.errstate(all='ignore'):
                out[i] = np.where(ok.any(axis=0), fn(np.where(ok, s, np.nan), axis=0), np.nan)
    return out


def features(header, x):
    """Causal hourly features for one stay. Returns (names, matrix rows x features)."""
    col = {h: i for i, h in enumerate(header)}
    raw = x[:, [col[c] for c in MEASURED]]
    ff = ffill(raw)
    since = hours_since(raw)
    names, parts = [], []

    def add(prefix, arr, cols=MEASURED):
        names.extend(f'{c}{prefix}' for c in cols)
        parts.append(arr)

    add('', ff)                                   # last value carried forward
    add('_since', since)                          # hours since last measured (missingness)
    add('_count', np.cumsum(~np.isnan(raw), axis=0).astype(float))  # measurements so far
    vit = ff[:, :len(VITALS)]
    for k in (1, 3, 6):                           # deltas of carried-forward vitals
        add(f'_d{k}', vit - lag(vit, k), VITALS)
    add('_d6', ff[:, len(VITALS):] - lag(ff[:, len(VITALS):], 6), LABS)
    vraw = raw[:, :len(VITALS)]
    for w in (6, 12):
        add(f'_min{w}', window(vraw, w, np.nanmin), VITALS)
        add(f'_max{w}', window(vraw, w, np.nanmax), VITALS)
        add(f'_mean{w}', window(vraw, w, np.nanmean), VITALS)
    add('_sd12', window(vraw, 12, np.nanstd), VITALS)
    st = x[:, [col[c] for c in STATIC]]
    add('', st, STATIC)
    iculos = x[:, col['ICULOS']][:, None]
    add('', iculos, ['ICULOS'])
    g = lambda c: ff[:, MEASURED.index(c)]
    with np.errstate(all='ignore'):
        derived = np.column_stack([
            g('HR') / g('SBP'),                                   # shock index
            g('BUN') / g('Creatinine'),
            (g('Resp') >= 22).astype(float) + (g('SBP') <= 100).astype(float),   # qSOFA without mentation
            (g('Temp') > 38).astype(float) + (g('Temp') < 36).astype(float) + (g('HR') > 90).astype(float)
            + (g('Resp') > 20).astype(float) + (g('PaCO2') < 32).astype(float)
            + (g('WBC') > 12).astype(float) + (g('WBC') < 4).astype(float),     # SIRS-like count (NaN compares False)
            np.cumsum(~np.isnan(raw[:, len(VITALS):]).any(axis=1)) / iculos[:, 0],  # lab-draw rate
        ])
    add('', derived, ['ShockIndex', 'BUN_Cr', 'qSOFA_partial', 'SIRS_count', 'LabRate'])
    return names, np.hstack(parts)
