#!/usr/bin/env python3
"""Regex + dictionary + context PHI detector: a throwaway prototype to size what a pure-Swift scrubber
(no ML) can reach on the gold corpora. Layers: (1) patterns, (2) context rules, (3) dictionaries,
(4) 'unknown capitalised word' fallback, then merge across whitespace.

  build_dicts.sh                      # once: fetch word lists into dicts/ (git-ignored)
  scrub.py GOLD.jsonl PRED.jsonl [--layers patterns,context,dict,fallback]
  python3 ../../../../shared/tools/score_deid.py --gold GOLD.jsonl --pred PRED.jsonl [--ignore-types AGE]
Rules were written while reading dev-set misses: its dev figures are optimistic. Not production code.
"""
import json, re, sys, os

D = os.environ.get("DEID_DICTS") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "dicts")
def load(name): return set(l.strip() for l in open(os.path.join(D, name)) if l.strip())
FIRST, LAST, LOWER, PLACES = load("first.txt"), load("last.txt"), load("english_lower.txt"), load("places.txt")
MEDICAL = load("medical.txt") - FIRST - LAST - PLACES
DEMONYMS = set("""african american american asian caucasian hispanic latino latina latinx black white european english british
french german spanish italian russian swedish danish dutch finnish norwegian icelandic greek cypriot hungarian czech slovak
polish slovenian croatian serbian bosnian chechen ukrainian romanian bulgarian turkish arab arabic jewish muslim christian
catholic protestant chinese japanese korean vietnamese thai indian pakistani filipino mexican cuban brazilian canadian
australian irish scottish welsh portuguese swiss austrian belgian estonian latvian lithuanian greenlander native
indigenous cambodian somali nigerian ethiopian egyptian iranian persian israeli""".split())

# Clinical words that are capitalised but not identifiers (hand list; eponyms handled by context).
MED = set("""icu er ed or pacu nicu picu ccu micu sicu bp hr rr spo2 o2 gcs avpu copd chf cad ckd aki esrd dm t1dm t2dm
htn hld gerd ibd ibs uti mi stemi nstemi cva tia dvt pe afib vte ards sirs sofa qsofa news news2 mews hiv aids
hcv hbv tb covid mrsa vre cdiff ct mri pet ekg ecg eeg echo cxr abg cbc bmp cmp lft inr ptt hba1c a1c bnp crp esr
wbc rbc hgb hct plt bun cr gfr egfr ldl hdl tsh psa nsaid nsaids ssri ssris ace arb ppi iv im po prn bid tid qid qd
hs npo dnr dni cpr acls bls rn np pa md do mba phd ms dds od pt ot slp sob cp ha n v d nkda nka rx dx hx tx sx fx
pmh hpi ros ms cns pns gi gu ent ob gyn obgyn er ua us uk usa eu who cdc fda nih ama aha acc ada mayo
alzheimer alzheimers parkinson parkinsons crohn crohns hodgkin hodgkins cushing cushings addison addisons graves
hashimoto hashimotos guillain barre kawasaki raynaud raynauds sjogren sjogrens tourette tourettes down huntington
huntingtons bell bells lyme wilson wilsons whipple epstein barr medicare medicaid tylenol advil motrin lipitor
eliquis xarelto coumadin lasix humira ozempic keytruda""".split())
EPONYM_NEXT = re.compile(r"(?:'s|’s)?\s+(?:disease|syndrome|sign|test|criteria|scale|score|palsy|lymphoma|"
                         r"sarcoma|phenomenon|procedure|classification|maneuver|reflex|ulcer|esophagus)\b", re.I)
TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sir|Madam|Mme|Mlle|Herr|Frau|Sr|Sra|Nurse)"
INSTITUTION = (r"(?:Hospital|Medical Center|Medical Centre|Med Center|Health Center|Health System|Clinic|Center|Centre|"
               r"Institute|University|Infirmary|Memorial|Hospice|Nursing Home|Rehabilitation|Rehab|Health|"
               r"Healthcare|Children's|Cancer Center|Senior Center|Care Center|Medical Group|Practice)")
STREET = (r"(?:Street|St|Road|Rd|Avenue|Ave|Drive|Dr|Lane|Ln|Court|Ct|Boulevard|Blvd|Way|Place|Pl|Terrace|Parks?|"
          r"Gateway|Square|Sq|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Trail|Crescent|Close|Row|Walk|Alley|Plaza)")
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
ORD = r"\d{1,2}(?:st|nd|rd|th)?"
CAP = r"(?:(?=[^\W\d_])(?=\w)[^\W\d_a-zß-öø-ÿα-ωа-я])[\w’'\-]*"   # word starting upper-case (approx.)
W = r"[^\W\d_]"
STATES = "|".join("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split())                                # a letter

PATTERNS = [
    ("EMAIL", r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"),
    ("URL", r"(?:https?://|www\.)[^\s<>\"]+[\w/]"),
    ("URL", r"\b[\w\-]+(?:\.[\w\-]+)*\.(?:com|org|net|edu|gov|io|info|biz|co|us|uk|de|fr|nl|be|se|si|ee|pl|pt|ca|au|cy|hu|ch|at|it|es|fi|no|dk|cz|ie|nz)\b/?"),
    ("IP", r"\b(?:\d{1,3}\.){3}\d{1,3}\b"),
    ("IP", r"\b(?:[0-9a-fA-F]{1,4}:){4,7}[0-9a-fA-F]{1,4}\b"),
    ("ID", r"\b\d{3}-\d{2}-\d{4}\b"),                                         # SSN
    ("ID", r"\b[A-Za-z]{2}\d{2}[A-Za-z0-9]{11,30}\b"),                        # IBAN
    ("ID", r"#?\b[A-Za-z]{1,5}[-#]?\d{3,}[A-Za-z0-9\-]*\b"),                 # MS-12345678, H678934
    ("ID", r"\b[A-Z]{2,6}\d{2,}[A-Z0-9]*\b"),                                 # ABCD1234
    ("ID", r"\b\d{6,}\b"),
    ("ID", r"#?\b\d{3,}-?[A-Z]{1,4}\b"),                                       # 12345-JS, 87342GH
    ("ID", r"#\d[\d\-]{4,}\d"),                                                     # long digit runs (cards, MRNs)
    ("PHONE", r"(?:\+\d{1,3}[\s.\-]?)?(?:\(0?\d{1,4}\)[\s.\-]?)?\d{2,5}(?:[\s.\-]\d{2,5}){1,4}(?:\s*(?:x|ext\.?)\s*\d{1,5})?"),
    ("PHONE", r"\(\d{3}\)\s?\d{3}[\s.\-]?\d{4}"),
    ("DATE", r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b"),
    ("DATE", r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"),
    ("DATE", r"\b\d{1,2}/\d{4}\b"),
    ("DATE", rf"\b\d{{1,2}}[\-\s]{MONTH}[\-\s]\d{{2,4}}\b"),
    ("DATE", rf"\b{MONTH}\s+{ORD}(?:,?\s+(?:\d{{4}}|'\d{{2}}))?\b"),
    ("DATE", rf"\b{ORD}\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?\b"),
    ("DATE", rf"\b(?:early |mid-?|late |last |next |this )?(?:Jan(?:uary)?|Feb(?:ruary)?|March|Apr(?:il)?|June|July|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?:,?\s+\d{{4}})?\b"),
    ("DATE", rf"\b{WEEKDAY}s?\b"),
    ("DATE", r"\b(?:19|20)\d{2}\b"),
    ("DATE", r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"),
    ("AGE", r"\b(?:9\d|1[0-2]\d)(?=\s*(?:-|\s)?(?:years?|yrs?|y/?o|yo)\b)"),
    ("AGE", r"(?<=\baged )(?:9\d|1[0-2]\d)\b"),
    ("LOCATION", r"\b\d{5}(?:-\d{4})?\b"),                                    # US ZIP
    ("LOCATION", r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),                              # CA postcode
    ("LOCATION", r"\b(?:P\.?O\.?\s*Box|PSC|Unit|Box|Apt\.?|Suite|Ste\.?|Room|Rm\.?|Bed|Floor)\s*#?\s*\d+[A-Z]?\b"),
    ("LOCATION", r"\b(?:APO|FPO|DPO)\s+[A-Z]{2}\s+\d{5}\b"),
]
PATTERNS = [(t, re.compile(p)) for t, p in PATTERNS]

CONTEXT = [
    ("NAME", re.compile(rf"\b({TITLES}\.?\s+(?:{CAP}|[A-Z]\.)(?:\s+(?:{CAP}|[A-Z]\.)){{0,2}})")),
    ("NAME", re.compile(rf"\b({CAP}(?:\s+{CAP})?\s+[A-Z]\.)(?!\w)")),
    ("NAME", re.compile(rf"\b({CAP}\s+[A-Z]\.?\s+{CAP})\b")),
    ("ORGANIZATION", re.compile(rf"\b((?:{CAP}[\s,]+){{1,3}}(?:Inc|Ltd|LLC|LLP|PLC|GmbH|AG|SA|Corp|Corporation|Company|Co|Group|Software|Insurance|Bank|Partners|Associates|Holdings|Technologies|Systems|Consulting|Labs?|Pharmaceuticals?)\b\.?)")),
    ("ORGANIZATION", re.compile(rf"\b({CAP}(?:,\s*{CAP})*,?\s+and\s+(?:Sons|{CAP}))\b")),
    ("NAME", re.compile(rf"(?:\bname(?:'s| is|:)|\bnamed|\bcalled|\bI'm|\bI am|\bpatient|\bpt\.?|\bMr\.|\bby|\bwith)\s+((?:{CAP})(?:\s+(?:{CAP}|[A-Z]\.)){{0,2}})")),
    ("LOCATION", re.compile(rf"((?:(?:St|Mt)\.\s?|Saint |Mount )?(?:{CAP}\s+){{0,3}}{INSTITUTION}(?:\s+(?:of|at)\s+{CAP}(?:\s+{CAP})?)?)")),
    ("LOCATION", re.compile(rf"\b((?:St|Mt)\.\s?{CAP}|Saint {CAP}|Mount {CAP})")),
    ("LOCATION", re.compile(rf"\b({CAP}(?:\s+{CAP})*\s+(?:clinic|office|facility|branch|hospital|campus|center|centre|site|unit|ward)s?)\b")),
    ("LOCATION", re.compile(rf"\b({CAP}(?:\s+{CAP}){{0,2}},\s*(?:{STATES}))\b")),
    ("LOCATION", re.compile(rf"\b(\d{{1,6}}\s+(?:{CAP}\s+){{0,3}}{STREET}\b\.?)")),
    ("LOCATION", re.compile(rf"\b(\d{{1,6}}(?:\s+\d{{1,6}})?\s+{CAP}(?:\s+{CAP}){{0,3}}(?:\s+\d{{1,5}}\.?)?)")),
    ("LOCATION", re.compile(rf"\b({CAP}(?:\s+{CAP}){{0,2}}\s+\d{{1,4}}[A-Za-z]?\.?)(?=[\s,]|$)")),   # Koskikatu 25
    ("LOCATION", re.compile(rf"(?:\blives? (?:in|at|on)|\bfrom|\bmoved to|\btravell?ing to|\bvisit(?:ed)? |\bin|\bat|\bnear)\s+({CAP}(?:[\s\-]+{CAP}){{0,2}})")),
]

STOP = set("the a an this that my our his her their your i we you it he she they of and or in on at to for".split())
TOKEN = re.compile(rf"{W}[\w’'\-]*")

def is_common(word):
    w = word.lower().replace("’", "'")
    if "'" in w: w = w.split("'")[0]
    if w in LOWER or w in MED or w in MEDICAL or w in DEMONYMS: return True
    for suf in ("s", "es", "ions", "ion", "ing", "ed", "ly"):      # crude stand-in for hunspell affix rules
        if w.endswith(suf) and len(w) > len(suf) + 3:
            b = w[:-len(suf)]
            if b in MEDICAL or b + "e" in MEDICAL or b in LOWER or b + "e" in LOWER: return True
    return False

def dict_spans(text, fallback):
    out = []
    for m in TOKEN.finditer(text):
        tok = m.group(0)
        if not tok[0].isupper():
            continue
        low0 = tok.lower().removesuffix("'s").removesuffix("’s")
        if out and out[-1][2] == "NAME" and re.fullmatch(r"\s+", text[out[-1][1]:m.start()]) and (
                low0 in LAST or low0 in FIRST or not is_common(tok)):
            out.append((m.start(), m.end(), "NAME")); continue
        low = tok.lower().replace("’", "'").removesuffix("'s")
        if low in MED:
            continue
        if EPONYM_NEXT.match(text, m.end()):
            continue
        common = is_common(tok)
        nxt = re.match(r"\s+(?:[A-Z]\.|[A-Z][a-z]+)", text[m.end():])
        if low in FIRST and (not common or nxt):
            out.append((m.start(), m.end(), "NAME")); continue
        if not common and (low in FIRST or low in LAST):
            out.append((m.start(), m.end(), "NAME")); continue
        if not common and low in PLACES:
            out.append((m.start(), m.end(), "LOCATION")); continue
        if fallback and not common:
            if tok.isupper() and len(tok) <= 4:
                continue                    # short acronyms: clinical more often than not
            out.append((m.start(), m.end(), "NAME"))
    return out

def detect(text, layers=("patterns", "context", "dict", "fallback"), known=()):
    spans = []
    if "patterns" in layers:
        for t, rx in PATTERNS:
            for m in rx.finditer(text):
                if t == "PHONE" and sum(c.isdigit() for c in m.group(0)) < 6: continue
                spans.append((m.start(), m.end(), t))
    if "context" in layers:
        for t, rx in CONTEXT:
            for m in rx.finditer(text):
                g = 1 if rx.groups else 0
                s, e = m.span(g)
                seg = text[s:e]
                # context hits made only of common words are not names/places ("with Diabetes")
                toks = TOKEN.findall(seg)
                # trim leading function words ("The Princess ...")
                while toks and toks[0].lower() in STOP and t != "LOCATION":
                    k = seg.find(toks[0]) + len(toks[0]); s += k; seg = text[s:e]
                    s += len(seg) - len(seg.lstrip()); seg = seg.lstrip(); toks = toks[1:]
                if not toks: continue
                if t == "NAME" and toks and all(is_common(x) and x.lower() not in FIRST and x.lower() not in LAST
                                                for x in toks if len(x) > 1): continue
                if t == "LOCATION" and rx.pattern.startswith("(?:\\blives") and all(is_common(x) for x in toks): continue
                spans.append((s, e, t))
    if "dict" in layers or "fallback" in layers:
        spans += dict_spans(text, "fallback" in layers)
        spans += phrase_places(text)
    spans = extend_addresses(text, spans)
    for value in known:                      # structured PHI of the event's own patient
        for m in re.finditer(re.escape(value), text, re.I):
            spans.append((m.start(), m.end(), "KNOWN"))
    return merge(text, spans)

MAXN = 4
def phrase_places(text):
    toks = list(TOKEN.finditer(text)); out = []
    i = 0
    while i < len(toks):
        hit = None
        for n in range(MAXN, 1, -1):
            if i + n > len(toks): continue
            seg = toks[i:i + n]
            if not seg[0].group(0)[0].isupper(): continue
            if any(not re.fullmatch(r"[\s\-]+", text[a.end():b.start()]) for a, b in zip(seg, seg[1:])): continue
            phrase = text[seg[0].start():seg[-1].end()].lower()
            if phrase in PLACES: hit = (seg[0].start(), seg[-1].end()); break
        if hit: out.append((hit[0], hit[1], "LOCATION")); i += n
        else: i += 1
    return out

ADDR_PIECE = re.compile(r"[ \t]*(?:\n[ \t]*)?(?:,[ \t]*(?:\n[ \t]*)?)?(?:\d{1,6}[A-Za-z]?\b\.?|(?:Apt|Suite|Ste|Unit|Box|PSC|APO|DPO|FPO)\b\.?|[^\W\d_][\w’'\-]*\.?|\((?:[^\W\d_][\w’'\-]*)\))")
def extend_addresses(text, spans):
    out = []
    for s, e, t in spans:
        if t == "LOCATION" and re.search(r"\d", text[s:e]) and re.search(r"[^\W\d_]", text[s:e]):
            while True:
                m = ADDR_PIECE.match(text, e)
                if not m: break
                word = m.group(0).strip(" \t\n,.")
                if word and word[0].isalpha() and word[0].islower() and word not in ("nan",) and is_common(word): break
                if word.lower() in ("and", "or", "is", "the", "to", "in", "on", "at"): break
                e = m.end()
        out.append((s, e, t))
    return out

def merge(text, spans):
    spans.sort()
    out = []
    for s, e, t in spans:
        if out and s <= out[-1][1] + 1 and text[out[-1][1]:s].strip() == "":
            ps, pe, pt = out[-1]
            out[-1] = (ps, max(pe, e), pt)
        else:
            out.append((s, e, t))
    return out

def main():
    gold, pred = sys.argv[1], sys.argv[2]
    layers = ("patterns", "context", "dict", "fallback")
    if "--layers" in sys.argv: layers = tuple(sys.argv[sys.argv.index("--layers") + 1].split(","))
    with open(pred, "w") as f:
        for line in open(gold, encoding="utf-8"):
            d = json.loads(line)
            sp = detect(d["text"], layers)
            f.write(json.dumps({"patient": d["patient"], "note": d["note"],
                                "spans": [{"start": s, "end": e, "type": t} for s, e, t in sp]}) + "\n")

if __name__ == "__main__":
    main()
