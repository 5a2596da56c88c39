"""Customer script using langchain-openai."""
import json, logging, os
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
CFG = json.load(open(os.environ["APP_CONFIG"]))
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger(CFG.get("logger", "app")); log.setLevel(logging.INFO)
for st in CFG["steps"]:
    try:
        if st["op"] == "chat":
            kw = {"base_url": CFG["base_url"], "api_key": CFG["api_key"], "max_retries": CFG.get("max_retries", 2)}
            if st.get("model"):
                kw["model"] = st["model"]
            llm = ChatOpenAI(**kw)
            r = llm.invoke(st["msg"])
            log.info("answer (%d chars)", len(r.content))
        elif st["op"] == "embed":
            emb = OpenAIEmbeddings(base_url=CFG["base_url"], api_key=CFG["api_key"], model=st["model"], check_embedding_ctx_length=False)
            v = emb.embed_documents(st["input"])
            log.info("embedded %d docs", len(v))
    except Exception:
        log.exception("%s failed", st["op"])
