"""Small customer script using httpx directly (logging on)."""
import json, logging, os, sys
import httpx
CFG = json.load(open(os.environ["APP_CONFIG"]))
logging.basicConfig(level=logging.DEBUG if CFG.get("debug", True) else logging.INFO,
                    format=CFG.get("log_format", "%(asctime)s %(levelname)s %(name)s: %(message)s"))
for n in ("httpcore",):
    logging.getLogger(n).setLevel(logging.INFO)
log = logging.getLogger(CFG.get("logger", "script"))
base = CFG["base_url"]
hdr = {"Authorization": "Bearer " + CFG["api_key"]}
with httpx.Client(timeout=30) as c:
    for st in CFG["steps"]:
        try:
            if st["op"] == "list":
                r = c.get(base + "/models", headers=hdr)
                log.info("models status=%s body=%s", r.status_code, r.text[:400])
                r.raise_for_status()
                log.info("models: %s", [m["id"] for m in r.json()["data"]])
            elif st["op"] == "chat":
                payload = {"model": st["model"], "messages": [{"role": "user", "content": st["msg"]}]}
                if st.get("form"):
                    r = c.post(base + "/chat/completions", headers=hdr, data={"model": st["model"], "messages": json.dumps(payload["messages"], ensure_ascii=False)})
                elif st.get("pyrepr"):
                    r = c.post(base + "/chat/completions", headers=dict(hdr, **{"Content-Type": "application/json"}), content=str(payload).encode())
                elif st.get("ctype"):
                    r = c.post(base + "/chat/completions", headers=dict(hdr, **{"Content-Type": st["ctype"]}), content=json.dumps(payload, ensure_ascii=False).encode())
                else:
                    r = c.post(base + "/chat/completions", headers=hdr, json=payload)
                log.info("chat status=%s body=%s", r.status_code, r.text[:600])
                r.raise_for_status()
                log.info("answer: %s", r.json()["choices"][0]["message"]["content"][:80])
        except Exception:
            log.exception("%s failed", st["op"])
