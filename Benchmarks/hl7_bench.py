#!/usr/bin/env python3
"""Baseline for the HL7 parser benchmark: python-hl7 parsing every message of a corpus folder, repeated
for at least --seconds. Prints one JSON object (messages/s, MB/s)."""
import argparse
import json
import pathlib
import time

import hl7


def load(folder):
    messages = []
    for path in sorted(pathlib.Path(folder).glob("*.hl7")):
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        # python-hl7 wants CR segment terminators.
        messages.append(text.replace("\r\n", "\r").replace("\n", "\r").strip("\r"))
    return messages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    messages = load(args.corpus)
    size = sum(len(m.encode("utf-8")) for m in messages)
    parsed = 0
    volume = 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for message in messages:
            hl7.parse(message)
        parsed += len(messages)
        volume += size
    elapsed = time.perf_counter() - start
    print(json.dumps({"client": "python-hl7 " + getattr(hl7, "__version__", "?"), "messages": len(messages),
                      "messages_per_s": parsed / elapsed, "mb_per_s": volume / elapsed / 1e6}))


if __name__ == "__main__":
    main()
