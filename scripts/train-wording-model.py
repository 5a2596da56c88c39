#!/usr/bin/env python3
"""train-wording-model.py — the wording prior (rules/wording-model.tsv) from the labelled real tickets.

    python3 scripts/train-wording-model.py            # train on every batch, write the model and its check file
    python3 scripts/train-wording-model.py --cv       # also: leave-one-batch-out figures (about 2 minutes)
    python3 scripts/train-wording-model.py --cv --dump LOBO.json   # and each ticket's held-out posteriors
                                                      # (scripts/choose-blend.py reads them)

Needs scikit-learn (pip install scikit-learn); modeldoctor itself does not: it reads the JSON this writes.

What it learns: which cause real tickets worded like a given one had (Tests/Fixtures/real-tickets/batch-*/,
`ticket.txt` + the cause in `label.yaml`; negatives as the class `none`). A multinomial logistic regression
over binary TF-IDF features of the ticket's words (ASCII words of 3+ characters, lower-cased; CJK character
pairs; `/v1/...` and `/api/...` path words; 4xx/5xx status numbers). modeldoctor uses it only to order the
pointers below its diagnoses (family candidates, rivals: by confidence plus BLEND × posterior), to fill
the differential (the top three causes), and to propose causes where a ticket's text gives no rule
anything to decide: never above `low`, never before a rule's diagnosis (medium or above).

The tokenizer below is the contract with `WordingModel.tokens(of:)` in Sources/DoctorRules/WordingModel.swift;
`Tests/Fixtures/wording/check.json` holds this script's predictions (from the pruned, exported weights) for a
sample of tickets, and a unit test asserts the Swift side gives the same.
"""
import json
import math
import os
import re
import sys
from datetime import date

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TICKETS = os.path.join(ROOT, "Tests", "Fixtures", "real-tickets")
OUT = os.path.join(ROOT, "rules", "wording-model.tsv")
CHECK = os.path.join(ROOT, "Tests", "Fixtures", "wording", "check.json")
C = 2.0            # inverse L2 strength
MIN_DF = 2         # a word in fewer tickets is not learnt
PRUNE = 0.1        # weights (times idf) below this are dropped from the export
# How much a cause's posterior weighs against a pointer's confidence (a family candidate's weight,
# a rival's) when modeldoctor orders the findings below its diagnoses (`WordingPrior`). Chosen on
# leave-one-batch-out posteriors (`--cv --dump`) by scripts/choose-blend.py over batch-01..36 (1,626
# tickets with a cause), modeldoctor's findings made without the wording model: blend 0 1050 top-1,
# 1255 top-3; 4: 1064, 1284; 6: 1066, 1287; 8: 1062, 1291 — a broad optimum, so its middle. Over
# batch-01..37 (1,675): 0: 1085, 1294; 4: 1100, 1328; 6: 1102, 1331; 8: 1098, 1330.
BLEND = 6
LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

WORD = re.compile(r"[a-z][a-z0-9_]{2,}")
PATH = re.compile(r"/v1/[a-z/_]+|/api/[a-z0-9/_]+")
STATUS = re.compile(r"(?<![A-Za-z0-9_])[45][0-9]{2}(?![A-Za-z0-9_])")


def tokens(text):
    """The ticket's distinct tokens (see the module doc); ASCII-only lower-casing."""
    s = text.translate(LOWER)
    out = set(WORD.findall(s))
    run = []
    for ch in s + "\n":
        if "\u4e00" <= ch <= "\u9fff":
            run.append(ch)
            continue
        out.update(run[i] + run[i + 1] for i in range(len(run) - 1))
        run = []
    out.update("path:" + p for p in PATH.findall(s))
    out.update("status:" + m for m in STATUS.findall(s))
    return out


def load():
    rows = []
    for b in sorted(os.listdir(TICKETS)):
        bd = os.path.join(TICKETS, b)
        if not os.path.isdir(bd):
            continue
        for c in sorted(os.listdir(bd)):
            lab = os.path.join(bd, c, "label.yaml")
            if not os.path.isfile(lab):
                continue
            m = re.search(r"^cause:\s*\"?([\w:-]+)", open(lab, encoding="utf-8").read(), re.M)
            if not m or m.group(1).startswith("other"):
                continue
            text = open(os.path.join(bd, c, "ticket.txt"), encoding="utf-8", errors="replace").read()
            rows.append((b, c, m.group(1), text))
    return rows


def fit(rows):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    vec = TfidfVectorizer(analyzer=lambda t: sorted(tokens(t)), min_df=MIN_DF, binary=True, norm="l2", smooth_idf=True)
    X = vec.fit_transform([r[3] for r in rows])
    lr = LogisticRegression(C=C, max_iter=3000)
    lr.fit(X, [r[2] for r in rows])
    return vec, lr


def export(vec, lr, n):
    classes = [str(c) for c in lr.classes_]
    vocab = vec.vocabulary_
    idf = vec.idf_
    toks = {}
    for t, j in sorted(vocab.items()):
        ws = [[int(k), round(float(lr.coef_[k, j]), 4)] for k in range(len(classes))
              if abs(lr.coef_[k, j] * idf[j]) >= PRUNE]
        toks[t] = [round(float(idf[j]), 4), ws]
    return {
        "format": 2,
        "version": date.today().isoformat(),
        "about": "Wording prior: which cause real tickets worded like this one had. Trained by "
                 "scripts/train-wording-model.py on %d labelled real tickets; used only to order the "
                 "pointers below the diagnoses and fill the differential, never above low." % n,
        "blend": BLEND,
        "classes": classes,
        "intercepts": [round(float(b), 4) for b in lr.intercept_],
        "tokens": toks,
    }


def write_tsv(model, path):
    """The model as modeldoctor reads it (format 2, tab-separated; `WordingModel.init(data:)`)."""
    lines = ["# modeldoctor wording model (scripts/train-wording-model.py writes it; README \"Diagnosis\"): tab-separated;",
             "# after the header, one line per word: the word, its idf, then class:weight for each class it weighs towards.",
             "format\t2", "version\t" + model["version"], "about\t" + model["about"],
             "blend\t%r" % model["blend"],
             "classes\t" + "\t".join(model["classes"]),
             "intercepts\t" + "\t".join(repr(x) for x in model["intercepts"])]
    for w, (idf, ws) in model["tokens"].items():
        lines.append("\t".join([w, repr(idf)] + ["%d:%r" % (k, x) for k, x in ws]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def predict(model, text):
    """The exported model's posteriors, as the Swift side computes them."""
    present = [t for t in tokens(text) if t in model["tokens"]]
    norm = math.sqrt(sum(model["tokens"][t][0] ** 2 for t in present)) or 1.0
    s = list(model["intercepts"])
    for t in present:
        idf, ws = model["tokens"][t]
        for k, w in ws:
            s[k] += w * idf / norm
    mx = max(s)
    e = [math.exp(v - mx) for v in s]
    z = sum(e)
    return sorted(((model["classes"][k], e[k] / z) for k in range(len(s))), key=lambda x: (-x[1], x[0]))


def cross_validate(rows, dump=None):
    batches = sorted({r[0] for r in rows})
    n = t1 = t3 = 0
    held = {}
    for hb in batches:
        train = [r for r in rows if r[0] != hb]
        vec, lr = fit(train)
        model = export(vec, lr, len(train))
        for r in rows:
            if r[0] != hb:
                continue
            posterior = predict(model, r[3])
            held["%s/%s" % (r[0], r[1])] = dict(posterior)
            if r[2] == "none":
                continue
            ranked = [c for c, _ in posterior if c != "none"]
            n += 1
            t1 += ranked[0] == r[2]
            t3 += r[2] in ranked[:3]
    print("leave-one-batch-out over %d batches, %d tickets with a cause: top-1 %d (%.0f%%), top-3 %d (%.0f%%)"
          % (len(batches), n, t1, 100.0 * t1 / n, t3, 100.0 * t3 / n))
    if dump:
        with open(dump, "w", encoding="utf-8") as f:
            json.dump(held, f)


def main():
    rows = load()
    if "--cv" in sys.argv:
        dump = sys.argv[sys.argv.index("--dump") + 1] if "--dump" in sys.argv else None
        cross_validate(rows, dump)
    vec, lr = fit(rows)
    model = export(vec, lr, len(rows))
    write_tsv(model, OUT)
    # Every 25th ticket: the Swift side must rank its causes the same, with the same posteriors.
    sample = rows[::25]
    check = [{"ticket": "%s/%s" % (b, c), "top": [[k, round(p, 6)] for k, p in predict(model, text)[:3]]}
             for b, c, _, text in sample]
    os.makedirs(os.path.dirname(CHECK), exist_ok=True)
    with open(CHECK, "w", encoding="utf-8") as f:
        json.dump(check, f, ensure_ascii=False, indent=1)
        f.write("\n")
    weights = sum(len(v[1]) for v in model["tokens"].values())
    print("%d tickets, %d classes, %d words, %d weights -> %s (%d bytes); %d check cases"
          % (len(rows), len(model["classes"]), len(model["tokens"]), weights, os.path.relpath(OUT, ROOT),
             os.path.getsize(OUT), len(check)))


if __name__ == "__main__":
    main()
