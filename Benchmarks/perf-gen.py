#!/usr/bin/env python3
"""Deterministic inputs for Benchmarks/perf-bench.sh (fixed seed: the same bytes on every run).

  perf-gen.py gateway OUT MB   LiteLLM proxy debug log with the shape of a real one: calls taken
                               from the repo's LiteLLM captures (Tests/Fixtures/gateway), between
                               them many short DEBUG lines and a few long ones (2-27 KB request and
                               logging dumps) that hold most of the bytes; few lines matter.
  perf-gen.py python OUT MB    dense openai-python debug log: the repo's SDK captures
                               (Tests/Fixtures/python-sdk) one after another with shifted times.
  perf-gen.py har OUT MB       one HAR whose entries are the repo's HAR captures' entries repeated.
  perf-gen.py literals OUT     the literal strings of the shipped packs (contains / contains_any /
                               family wordings), one per line, for `grep -F -f`.
  perf-gen.py doubled OUT      every rule pack of rules/ copied under new pack and rule ids, so
                               `--rules OUT` runs each rule twice.
"""
import datetime
import glob
import json
import os
import random
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MB = 1_000_000


def fixture_text(pattern):
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
        with open(path, encoding="utf-8", errors="replace") as f:
            out.append(f.read())
    return out


def gateway(out, size):
    rnd = random.Random(20261204)
    blocks = []
    for text in fixture_text("Tests/Fixtures/gateway/litellm-*.log"):
        lines = text.splitlines(keepends=True)
        # The calls start after the start-up banner; keep each capture's call part as one block.
        start = next((i for i, l in enumerate(lines) if "Uvicorn running on" in l or "Application startup complete" in l), 0)
        block = [l for l in lines[start + 1:] if l.strip()]
        if block:
            blocks.append(block)
    words = ("litellm router deployment cache hit miss async function retries callback logging success "
             "model_group api_base headers metadata stream usage tokens prompt completion").split()
    models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "text-embedding-3-small", "qwen-max"]

    def clock(i):
        s = (i // 3) % 86400
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    def short(i):
        w = " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 14)))
        return f"{clock(i)} - LiteLLM Router:DEBUG: router.py:{rnd.randint(100, 9999)} - {w}\n"

    def long(i):
        target = min(27_000, int(rnd.expovariate(1 / 6000)) + 2000)
        msgs = []
        n = 0
        while n < target:
            c = " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 60)))
            msgs.append({"role": rnd.choice(["user", "assistant"]), "content": c})
            n += len(c) + 40
        body = {"model": rnd.choice(models), "messages": msgs, "metadata": {"user_api_key_hash": "%064x" % rnd.getrandbits(256)}}
        return f"{clock(i)} - LiteLLM:DEBUG: litellm_logging.py:{rnd.randint(100, 4999)} - Logging Details: model_call_details={json.dumps(body)}\n"

    n = 0
    i = 0
    with open(out, "w", encoding="utf-8") as f:
        while n < size:
            chunk = []
            for _ in range(rnd.randint(60, 110)):
                chunk.append(short(i))
            for _ in range(rnd.randint(6, 12)):
                chunk.insert(rnd.randrange(len(chunk)), long(i))
            chunk.extend(rnd.choice(blocks))
            for line in chunk:
                f.write(line)
                n += len(line.encode("utf-8"))
            i += 1


def python_log(out, size):
    texts = fixture_text("Tests/Fixtures/python-sdk/*.log")
    stamp = re.compile(r"(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})")
    base = datetime.datetime(2025, 3, 1, 0, 0, 0)
    n = 0
    k = 0
    with open(out, "w", encoding="utf-8") as f:
        while n < size:
            for text in texts:
                # Each repetition one second later, so calls stay distinct in time.
                t = (base + datetime.timedelta(seconds=k)).strftime("%Y-%m-%d %H:%M:%S")
                chunk = stamp.sub(lambda m: t if m.group(1)[10] == " " else t.replace(" ", "T"), text)
                if not chunk.endswith("\n"):
                    chunk += "\n"
                f.write(chunk)
                n += len(chunk.encode("utf-8"))
                k += 1
                if n >= size:
                    break


def har(out, size):
    entries = []
    for text in fixture_text("Tests/Fixtures/har/*.har"):
        try:
            entries.extend(json.loads(text)["log"]["entries"])
        except (ValueError, KeyError):
            pass
    encoded = [json.dumps(e, indent=2, ensure_ascii=False) for e in entries]
    with open(out, "w", encoding="utf-8") as f:
        f.write('{\n  "log": {\n    "version": "1.2",\n    "creator": {"name": "perf-gen", "version": "1"},\n    "entries": [\n')
        n = 0
        first = True
        k = 0
        while n < size:
            e = encoded[k % len(encoded)]
            k += 1
            piece = ("" if first else ",\n") + e
            first = False
            f.write(piece)
            n += len(piece.encode("utf-8"))
        f.write("\n    ]\n  }\n}\n")


def literals(out):
    import yaml
    found = set()

    def walk(v, key=None):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
        elif isinstance(v, str) and key in ("contains", "contains_any", "text_contains", "wordings", "phrases", "any"):
            if len(v) >= 4:
                found.add(v)

    for path in sorted(glob.glob(os.path.join(ROOT, "rules", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            walk(yaml.safe_load(f))
    with open(out, "w", encoding="utf-8") as f:
        for s in sorted(found):
            if "\n" not in s:
                f.write(s + "\n")
    print(len(found), file=sys.stderr)


def doubled(out):
    os.makedirs(out, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(ROOT, "rules", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not re.search(r"^rules:", text, re.M):
            continue  # aliases, causes, definitions, families: data, not rules
        text = re.sub(r"^pack: (\S+)", r"pack: \1-copy", text, flags=re.M)
        text = re.sub(r"^(  - id: )(\S+)", r"\1\2-copy", text, flags=re.M)
        name = os.path.basename(path).replace(".yaml", "-copy.yaml")
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "gateway":
        gateway(sys.argv[2], int(sys.argv[3]) * MB)
    elif kind == "python":
        python_log(sys.argv[2], int(sys.argv[3]) * MB)
    elif kind == "har":
        har(sys.argv[2], int(sys.argv[3]) * MB)
    elif kind == "literals":
        literals(sys.argv[2])
    elif kind == "doubled":
        doubled(sys.argv[2])
    else:
        sys.exit(__doc__)
