"""Customer script using the litellm Python SDK as a client."""
import json, logging, os
import litellm
CFG = json.load(open(os.environ["APP_CONFIG"]))
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger(CFG.get("logger", "app")); log.setLevel(logging.INFO)
if CFG.get("turn_on_debug"):
    litellm._turn_on_debug()
for st in CFG["steps"]:
    try:
        r = litellm.completion(model=st["model"], messages=[{"role": "user", "content": st["msg"]}], api_base=CFG.get("base_url"), api_key=CFG["api_key"], num_retries=0)
        log.info("ok %s: %s", st["model"], r.choices[0].message.content[:60])
    except Exception:
        log.exception("completion failed for %s", st["model"])
