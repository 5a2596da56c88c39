#!/usr/bin/env python3
"""choose-blend.py BIN LOBO.json [BLEND...] — how the wording prior's `blend` would score.

BLEND (scripts/train-wording-model.py) weighs a cause's wording posterior against a pointer's own
confidence when modeldoctor orders the findings below its diagnoses (`WordingPrior`). This runs BIN
(a modeldoctor binary) on every labelled real ticket with the shipped rule packs but *without* the
wording model, then replays the ordering with each ticket's held-out posterior (LOBO.json, from
`train-wording-model.py --cv --dump LOBO.json`: the model trained without the ticket's batch) and
prints top-1 / top-3 for each blend (default 0 2 4 6 8 16). Held-out posteriors keep the wording
honest; the rules themselves were written on these tickets, so the figures flatter both.
"""
import json, os, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TICKETS = os.path.join(ROOT, "Tests", "Fixtures", "real-tickets")
PSEUDO = {"unexplained-failure", "outside-taxonomy"}
SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def symptoms():
    out, key = {}, None
    for line in open(os.path.join(ROOT, "rules", "causes.yaml"), encoding="utf-8"):
        m = re.match(r"  - key: (\S+)", line)
        if m:
            key = m.group(1)
        m = re.match(r"    symptom: (\S+)", line)
        if m and key:
            out[key] = m.group(1)
    return out


def findings(binary, home, d):
    p = subprocess.run([binary, "analyze", os.path.join(d, "ticket.txt"), "--format", "json"],
                       capture_output=True, text=True, env=dict(os.environ, MODELDOCTOR_HOME=home))
    j = json.loads(p.stdout)
    failed = any(int(k) >= 400 for k in j["facts"].get("status_codes", {})) or bool(j["facts"].get("errors"))
    # A machine capture (an SDK log, a HAR, a gateway log that gave calls): no blend there.
    captured = any(i["kind"] not in ("error-text", "unknown") and i["exchanges"] > 0 for i in j["inputs"])
    return j["findings"], j["facts"].get("exchanges", 0), failed, captured


def order(fs, nex, failed, captured, post, blend, taxonomy):
    """The cause order WordingPrior gives (see Sources/DoctorFindings/WordingPrior.swift)."""
    if captured:
        blend = 0
    causes = [f for f in fs if f["cause"] not in PSEUDO]
    if not causes and any(f["cause"] == "outside-taxonomy" for f in fs):
        return []
    if not fs and ((nex > 0 and not failed) or post.get("none", 0) > 0.5):
        return []
    lead = []
    for f in causes:
        if SEV[f["severity"]] >= 2 and f["cause"] not in lead:
            lead.append(f["cause"])
    base, proposed = {}, set()
    for f in causes:
        if f["cause"] not in lead:
            base[f["cause"]] = max(base.get(f["cause"], 0), f["confidence"])
    ranked_post = sorted(post.items(), key=lambda x: (-x[1], x[0]))
    first = next((c for c, _ in ranked_post if c != "none" and c in taxonomy), None)
    list_only = (taxonomy.get(first) == "model-list-empty") if not causes else \
        all(taxonomy.get(f["cause"], f.get("symptom")) == "model-list-empty" for f in causes)
    for c, p in ranked_post:
        if list_only and taxonomy.get(c) == "model-not-found" and not (not causes and c == first):
            continue
        if c != "none" and p >= 0.05 and c in taxonomy and c not in lead and c not in base:
            base[c] = 0
            proposed.add(c)
    ranked = sorted(base, key=lambda c: -(base[c] + blend * post.get(c, 0)))
    out = list(lead)
    for c in ranked:
        if c in proposed and len(out) >= 3:
            continue
        out.append(c)
    return out


def main():
    args = [a for a in sys.argv[1:]]
    if len(args) < 2:
        print(__doc__)
        return 2
    binary, lobo = args[0], json.load(open(args[1]))
    blends = [float(x) for x in args[2:]] or [0, 2, 4, 6, 8, 16]
    taxonomy = symptoms()
    home = tempfile.mkdtemp(prefix="choose-blend-")
    try:
        # The shipped packs without the wording model (MODELDOCTOR_HOME's rules/ replaces them).
        os.mkdir(os.path.join(home, "rules"))
        for f in os.listdir(os.path.join(ROOT, "rules")):
            if f.endswith(".yaml"):
                shutil.copy(os.path.join(ROOT, "rules", f), os.path.join(home, "rules"))
        cases = []
        for b in sorted(os.listdir(TICKETS)):
            for c in sorted(os.listdir(os.path.join(TICKETS, b))) if os.path.isdir(os.path.join(TICKETS, b)) else []:
                lab = os.path.join(TICKETS, b, c, "label.yaml")
                if os.path.isfile(lab):
                    m = re.search(r"^cause:\s*\"?([\w:-]+)", open(lab, encoding="utf-8").read(), re.M)
                    if m and m.group(1) not in ("none",) and not m.group(1).startswith("other"):
                        cases.append(("%s/%s" % (b, c), m.group(1), os.path.join(TICKETS, b, c)))
        with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
            runs = list(ex.map(lambda x: findings(binary, home, x[2]), cases))
    finally:
        shutil.rmtree(home)
    for blend in blends:
        t1 = t3 = 0
        for (key, want, _), (fs, nex, failed, captured) in zip(cases, runs):
            got = order(fs, nex, failed, captured, lobo.get(key, {}), blend, taxonomy)
            t1 += bool(got) and got[0] == want
            t3 += want in got[:3]
        print("blend %-5g top-1 %d/%d  top-3 %d/%d" % (blend, t1, len(cases), t3, len(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
