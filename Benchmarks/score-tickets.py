#!/usr/bin/env python3
"""score-tickets BIN DIR [-v] — scores modeldoctor on labelled tickets (DIR/<case>/ticket.txt +
label.yaml, the format of Tests/Fixtures/real-tickets). A case with a cause passes top-1 when the
first finding names it and top-3 when it is among the first three distinct causes; a negative
(`cause: none`) passes when no finding is medium or higher."""
import json, os, subprocess, sys

def label(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        if ":" in line and not line.startswith(" "):
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    if len(args) != 2:
        print(__doc__); return 2
    binary, root = args
    verbose = "-v" in sys.argv
    n = top1 = top3 = neg = neg_ok = 0
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        if not os.path.isfile(os.path.join(d, "label.yaml")):
            continue
        want = label(os.path.join(d, "label.yaml")).get("cause", "")
        if want.startswith("other"):
            continue
        p = subprocess.run([binary, "analyze", os.path.join(d, "ticket.txt"), "--format", "json"],
                           capture_output=True, text=True)
        try:
            findings = json.loads(p.stdout).get("findings", [])
        except ValueError:
            findings = None
        causes = []
        for f in findings or []:
            if f.get("cause") not in causes:
                causes.append(f.get("cause"))
        if want == "none":
            neg += 1
            loud = [f["cause"] for f in findings or [] if f.get("severity") in ("medium", "high", "critical")]
            neg_ok += not loud and findings is not None
            if verbose and loud:
                print(f"{case:40} none  FALSE ALARM: {loud[0]}")
            continue
        n += 1
        ok1 = bool(causes) and causes[0] == want
        ok3 = want in causes[:3]
        top1 += ok1; top3 += ok3
        if verbose and not ok1:
            print(f"{case:40} {want:28} {'top-3' if ok3 else 'MISS '}  got {causes[0] if causes else '(no finding)'}")
    print(f"top-1: {top1}/{n}  top-3: {top3}/{n}  negatives quiet: {neg_ok}/{neg}")
    return 0

sys.exit(main())
