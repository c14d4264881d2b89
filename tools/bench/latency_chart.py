"""Plot p50/p95/p99 latency against offered load from `vigil-bench e2e`'s e2e.json.

Usage: latency_chart.py E2E_JSON OUT_PNG
"""

import json
import sys

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")  # no display on servers and CI
import matplotlib.pyplot as plt  # noqa: E402


def main(source: str, target: str) -> None:
    report = json.load(open(source))
    steps = report["steps"]
    if not steps:
        sys.exit("e2e.json has no latency steps")
    offered = [step["offeredEventsPerSecond"] for step in steps]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for axis, key, title in [
        (axes[0], "riskLatency", "ingest → risk record"),
        (axes[1], "alertLatency", "ingest → raised alert"),
    ]:
        for percentile, style in [("p50", "o-"), ("p95", "s-"), ("p99", "^-")]:
            axis.plot(offered, [step[key][percentile] for step in steps], style, label=percentile)
        for step in steps:
            if step["saturated"]:
                axis.axvline(step["offeredEventsPerSecond"], color="grey", linestyle=":", linewidth=1)
        axis.set_title(title)
        axis.set_xlabel("offered load, events/s")
        axis.set_xscale("log")
        axis.set_xticks(offered, [f"{rate:.0f}" for rate in offered])
        axis.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        axis.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("latency, ms (log)")
    axes[0].set_yscale("log")
    axes[1].axhline(100, color="red", linestyle="--", linewidth=1, label="target p99 100 ms")
    axes[1].legend()
    figure.suptitle(f"Vigil end to end ({report['machine']}; dotted: saturated)", fontsize=10)
    figure.tight_layout()
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
