"""Facts about the dev set: files, rows, stay length, prevalence, missingness, label shape."""
import os, sys, json
import numpy as np
from common import DATA, patients, load, MEASURED

pids = patients()
rows, septic, pos_hours, onset_row, lens, first_pos_at0, after = 0, 0, 0, [], [], 0, []
present = np.zeros(len(MEASURED)); header = None
for p in pids:
    header, x = load(os.path.join(DATA, p + '.psv'))
    y = x[:, header.index('SepsisLabel')]
    n = len(y); rows += n; lens.append(n)
    present += (~np.isnan(x[:, [header.index(c) for c in MEASURED]])).sum(axis=0)
    if y.any():
        septic += 1; pos_hours += int(y.sum()); i = int(np.argmax(y)); onset_row.append(i)
        first_pos_at0 += i == 0; after.append(n - i)
        assert y[i:].all(), p  # labels stay 1 to the end once set
lens = np.array(lens)
print(json.dumps({
    'files': len(pids), 'rows': rows, 'columns': len(header), 'header': '|'.join(header),
    'septic_stays': septic, 'septic_fraction': round(septic / len(pids), 4),
    'positive_hours': pos_hours, 'positive_hour_fraction': round(pos_hours / rows, 4),
    'stay_hours_median': float(np.median(lens)), 'stay_hours_p5_p95': [float(np.percentile(lens, 5)), float(np.percentile(lens, 95))],
    'stay_hours_min_max': [int(lens.min()), int(lens.max())],
    'first_positive_row_median': float(np.median(onset_row)), 'positive_at_row0': int(first_pos_at0),
    'positive_rows_per_septic_stay_median': float(np.median(after)),
    'present_fraction': {c: round(float(v) / rows, 4) for c, v in zip(MEASURED, present)},
}, indent=1))
