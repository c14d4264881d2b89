"""Vectorized copy of the PhysioNet/CinC 2019 normalized utility (the official evaluate_sepsis_score.py), used to
choose the decision threshold inside cross-validation. Reported figures come from the official scorer."""
import numpy as np

DT_EARLY, DT_OPT, DT_LATE, U_FP, U_FN = -12, -6, 3, -0.05, -2.0


def patient_utility(labels, pred):
    n = len(labels)
    t = np.arange(n)
    if labels.any():
        ts = int(np.argmax(labels)) - DT_OPT
        m1 = 1.0 / (DT_OPT - DT_EARLY)
        b1 = -m1 * DT_EARLY
        m2 = -1.0 / (DT_LATE - DT_OPT)
        b2 = -m2 * DT_LATE
        m3 = U_FN / (DT_LATE - DT_OPT)
        b3 = -m3 * DT_OPT
        d = t - ts
        tp = np.where(d <= DT_OPT, np.maximum(m1 * d + b1, U_FP), m2 * d + b2)
        fn = np.where(d <= DT_OPT, 0.0, m3 * d + b3)
        u = np.where(pred == 1, tp, fn)
        return float(np.sum(np.where(d <= DT_LATE, u, 0.0)))
    return float(np.sum(pred) * U_FP)


def normalized_utility(stays, threshold):
    """stays: list of (labels, probabilities) per stay."""
    observed = best = inaction = 0.0
    for y, p in stays:
        observed += patient_utility(y, (p >= threshold).astype(int))
        b = np.zeros(len(y), int)
        if y.any():
            ts = int(np.argmax(y)) - DT_OPT
            b[max(0, ts + DT_EARLY):min(ts + DT_LATE + 1, len(y))] = 1
        best += patient_utility(y, b)
        inaction += patient_utility(y, np.zeros(len(y), int))
    return (observed - inaction) / (best - inaction)


def row_weights(labels):
    """Per-row training weight from what a positive prediction is worth there: |U(TP) - U(FN)| (at least the
    false-positive cost), and 0 after t_sepsis + 3, where the utility ignores predictions."""
    n = len(labels)
    if not labels.any():
        return np.full(n, -U_FP)
    zeros = np.zeros(n, int)
    w = np.empty(n)
    for i in range(n):  # stays are short (median 38 h); clarity over speed
        one = zeros.copy()
        one[i] = 1
        w[i] = abs(patient_utility(labels, one) - patient_utility(labels, zeros))
    return np.maximum(w, -U_FP)
