import json
import logging
import os
import sys
import time

import openai

CFG = json.load(open(os.environ["APP_CONFIG"]))
log = logging.getLogger(CFG.get("logger", "app"))
if not logging.getLogger().handlers:
    logging.basicConfig(format=CFG.get("log_format", "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"), datefmt=CFG.get("datefmt", "%Y-%m-%d %H:%M:%S"))
log.setLevel(logging.INFO)
if CFG.get("transport_debug", True):
    names = ["httpx2", "httpcore2"] if openai.__version__.startswith("3.") else ["httpx", "httpcore"]
    for n in names:
        logging.getLogger(n).setLevel(logging.DEBUG)


def make_client(c):
    kw = {}
    if "max_retries" in c:
        kw["max_retries"] = c["max_retries"]
    if "timeout" in c:
        kw["timeout"] = c["timeout"]
    if c.get("default_headers"):
        kw["default_headers"] = c["default_headers"]
    if c.get("azure"):
        return openai.AzureOpenAI(api_key=c["api_key"], azure_endpoint=c["azure"]["endpoint"], api_version=c["azure"]["api_version"], **kw)
    if c.get("base_url") is not None:
        kw["base_url"] = c["base_url"]
    return openai.OpenAI(api_key=c["api_key"], **kw)


client = make_client(CFG)
if CFG.get("announce", True):
    log.info("%s starting, base_url=%s sdk=openai-python %s", CFG.get("app_name", "app"), CFG.get("base_url") or (CFG.get("azure") or {}).get("endpoint"), openai.__version__)

def expand(steps):
    for st in steps:
        if st["op"] == "repeat":
            for _ in range(st["n"]):
                yield from expand(st["steps"])
        else:
            yield st


for step in expand(CFG["steps"]):
    op = step["op"]
    try:
        if op == "client":
            client = make_client(dict(CFG, **step))
            log.info("switched client for %s, base_url=%s", step.get("purpose", "chat"), step.get("base_url"))
        elif op == "sleep":
            time.sleep(step["s"])
        elif op == "list":
            page = client.models.list()
            ids = [m.id for m in page]
            log.info("model list refreshed: %d models %s", len(ids), ids)
        elif op == "retrieve":
            m = client.models.retrieve(step["model"])
            log.info("model %s owned_by=%s", m.id, getattr(m, "owned_by", None))
        elif op == "chat":
            msgs = [{"role": "user", "content": step.get("msg", "hello")}]
            kw = {}
            if step.get("max_tokens"):
                kw["max_tokens"] = step["max_tokens"]
            if step.get("stream"):
                stream = client.chat.completions.create(model=step["model"], messages=msgs, stream=True, **kw)
                text = ""
                for ch in stream:
                    if ch.choices and ch.choices[0].delta and ch.choices[0].delta.content:
                        text += ch.choices[0].delta.content
                log.info("chat[%s] stream done, %d chars", step["model"], len(text))
            else:
                r = client.chat.completions.create(model=step["model"], messages=msgs, **kw)
                if step.get("quiet"):
                    continue
                log.info("chat[%s] ok, finish_reason=%s usage=%s", step["model"], r.choices[0].finish_reason, r.usage.total_tokens if r.usage else None)
        elif op == "embed":
            r = client.embeddings.create(model=step["model"], input=step.get("input", ["hello world"]))
            log.info("embeddings[%s] ok, %d vectors dim=%d", step["model"], len(r.data), len(r.data[0].embedding))
        elif op == "cache":
            ids = json.load(open(os.path.join(os.path.dirname(os.environ["APP_CONFIG"]), step["file"])))["models"]
            log.info("loaded %d models from cache %s: %s", len(ids), step.get("shown", step["file"]), ids)
        elif op in ("achat", "aembed", "alist"):
            import asyncio
            async def _run():
                kw = {"api_key": CFG["api_key"], "base_url": CFG.get("base_url")}
                if "max_retries" in CFG:
                    kw["max_retries"] = CFG["max_retries"]
                ac = openai.AsyncOpenAI(**kw)
                if op == "alist":
                    ids = [m.id async for m in ac.models.list()]
                    log.info("model list refreshed: %d models %s", len(ids), ids)
                elif op == "achat":
                    if step.get("stream"):
                        s = await ac.chat.completions.create(model=step["model"], messages=[{"role": "user", "content": step.get("msg", "hello")}], stream=True)
                        text = ""
                        async for ch in s:
                            if ch.choices and ch.choices[0].delta.content:
                                text += ch.choices[0].delta.content
                        log.info("chat[%s] stream done, %d chars", step["model"], len(text))
                    else:
                        r = await ac.chat.completions.create(model=step["model"], messages=[{"role": "user", "content": step.get("msg", "hello")}])
                        log.info("chat[%s] ok, finish_reason=%s", step["model"], r.choices[0].finish_reason)
                else:
                    r = await ac.embeddings.create(model=step["model"], input=step.get("input", ["hello world"]))
                    if not step.get("quiet"):
                        log.info("embeddings[%s] ok, %d vectors dim=%d", step["model"], len(r.data), len(r.data[0].embedding))
            asyncio.run(_run())
        elif op == "responses":
            r = client.responses.create(model=step["model"], input=step.get("msg", "hello"))
            log.info("responses[%s] ok: %d chars", step["model"], len(r.output_text))
    except Exception as e:  # the app keeps going, like a UI would
        if step.get("tb", op == "list"):
            log.exception("%s failed", op)
        else:
            log.error("%s failed: %s", op, e)
