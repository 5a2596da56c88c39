import json, logging, os, sys
from openai import AsyncOpenAI
import agents
from agents import Agent, Runner, set_default_openai_client, set_default_openai_api, set_tracing_disabled, OpenAIChatCompletionsModel

CFG = json.load(open(os.environ["APP_CONFIG"]))
logging.basicConfig(format=CFG.get("log_format", "%(asctime)s %(levelname)s %(name)s: %(message)s"))
log = logging.getLogger(CFG.get("logger", "app"))
log.setLevel(logging.INFO)
if CFG.get("verbose"):
    agents.enable_verbose_stdout_logging()
client = AsyncOpenAI(base_url=CFG["base_url"], api_key=CFG["api_key"], max_retries=CFG.get("max_retries", 2))
set_default_openai_client(client, use_for_tracing=False)
set_tracing_disabled(True)
if CFG.get("api") == "chat_completions":
    set_default_openai_api("chat_completions")
log.info("%s starting, base_url=%s", CFG.get("app_name", "agent"), CFG["base_url"])
for st in CFG["steps"]:
    try:
        if st.get("chat_model"):
            model = OpenAIChatCompletionsModel(model=st["chat_model"], openai_client=client)
        else:
            model = st.get("model")
        agent = Agent(name=st.get("agent", "Assistant"), instructions=st.get("instructions", "You are a helpful assistant."), model=model)
        res = Runner.run_sync(agent, st["msg"])
        log.info("agent %s answered: %d chars", agent.name, len(str(res.final_output)))
    except Exception:
        log.exception("agent run failed")
