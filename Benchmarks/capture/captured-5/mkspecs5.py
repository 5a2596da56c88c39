#!/usr/bin/env python3
"""captured-5: write one spec JSON per case into specs/ (run with run_case.py)."""
import json, os, random, string
random.seed(20261206 + 5)
A, B, C, D = "1.47.1", "1.99.9", "2.41.0", "3.63.0"
HERE = os.path.dirname(os.path.abspath(__file__))
W = os.environ.get("CAPTURE_WORK", os.path.dirname(HERE))  # venvs, CA (shared); default Benchmarks/capture
W2 = os.environ.get("CAPTURE_SET_WORK", HERE)  # this set's work folder (specs/, runs/)
CA = {"SSL_CERT_FILE": W + "/ca/ca-certificates.crt"}
NCA = {"NODE_EXTRA_CA_CERTS": W + "/ca/ca-certificates.crt"}
AN = string.ascii_letters + string.digits
def k48(): return "sk-" + "".join(random.choice(AN) for _ in range(48))
def hexk(n): return "".join(random.choice("0123456789abcdef") for _ in range(n))
S = []
def case(**kw): S.append(kw)
def app(base, key, steps, logger="app", **kw):
    d = {"logger": logger, "app_name": logger, "base_url": base, "api_key": key, "steps": steps}; d.update(kw); return d
PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PLAIN3 = "%(asctime)s | %(levelname)-8s | %(name)s | %(message)s"
def quiet(**kw):
    d = {"transport_debug": False, "log_format": PLAIN}; d.update(kw); return d
def sdk(ver, a, log="sdk-debug.log", debug=True, **kw):
    d = dict(kind="sdk", sdk=ver, app=a, log=log, openai_log=debug); d.update(kw); return d
def node(a, log="node-sdk-debug.log", debug=True, **kw):
    d = dict(kind="node", app=a, log=log, openai_log=debug); d.update(kw); return d
TLS = {"opts": ["ssl_insecure=true"]}
def litellm_cfg(models, master, json_logs=False):
    out = "model_list:\n"
    for name, target, base in models:
        out += "  - model_name: %s\n    litellm_params:\n      model: %s\n      api_base: %s\n      api_key: sk-upstream-%s\n" % (name, target, base, hexk(24))
    out += "litellm_settings:\n  drop_params: true\n  request_timeout: 20\n"
    if json_logs:
        out += "  json_logs: true\n"
    out += "general_settings:\n  master_key: %s\n" % master
    return out
ONEAPI_SPA_TITLE = "星河 API"

# ---------------- Node.js (openai-node 7.5.0) ----------------
# 01 base-url-missing-version: One API without /v1, HTML 200 -> 0 models silently, chat TypeError
case(name="01-notes-sync", home="deploy/notes-sync", script="sync.mjs", hosts=["api.xuanwu-llm.com"],
     emulators=[{"profile": "oneapi", "port": 9801, "server": "nginx/1.26.2", "title": "玄武 API", "asset": "Dm4pQ8rZ", "models": ["qwen3-30b-a3b", "deepseek-v3.1", "glm-4.5"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9801", **TLS}],
     clients=[node(app("https://api.xuanwu-llm.com", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-30b-a3b", "msg": "给这条笔记生成三个标签：周会纪要"}], "notes-sync"))],
     env=NCA, files=["node-sdk-debug.log"],
     ticket="笔记同步插件的模型下拉框一个都没有，开了 OPENAI_LOG=debug，日志附上",
     label=dict(cause="base-url-missing-version", symptom="model-list-empty",
                notes="openai-node 7.5.0 (Node 20.20.2), OPENAI_LOG=debug. baseURL https://api.xuanwu-llm.com (no /v1): GET /models and POST /chat/completions answered 200 text/html (One API web console index.html). openai-node does not fail on HTML: the list yields 0 models, the chat returns a string and the app fails with TypeError reading 'finish_reason'/'0'. Fix: https://api.xuanwu-llm.com/v1."))

# 02 base-url-wrong-host: DashScope native /api/v1 (404 no body) from Node, default log level
case(name="02-dashscope-native", home="lin/meeting-minutes", script="minutes.mjs", hosts=["dashscope.aliyuncs.com"],
     emulators=[{"profile": "openai", "port": 9802, "headers": {"x-request-id": "{rid}"}, "server": "istio-envoy", "models": ["qwen-plus", "qwen-max"], "prefix": "/compatible-mode/v1",
                 "rules": [{"path": "^/api/v1/", "status": 404, "text": "", "ctype": "application/json"}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9802", **TLS}],
     clients=[node(app("https://dashscope.aliyuncs.com/api/v1", "sk-" + hexk(32), [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "Summarise today's stand-up in 5 bullets"}], "minutes"), debug=False, log="minutes.log")],
     env=NCA, files=["minutes.log"],
     ticket="Meeting minutes tool: qwen model list comes back empty and every call is a 404 with no message. Key works in the Bailian console.",
     label=dict(cause="base-url-wrong-host", symptom="model-list-empty",
                notes="openai-node 7.5.0, OPENAI_LOG unset: only the app's log lines and the printed error objects. baseURL https://dashscope.aliyuncs.com/api/v1 is DashScope's native API, not the OpenAI-compatible one: GET /api/v1/models and POST /api/v1/chat/completions 404 with an empty body ('404 status code (no body)'). Fix: https://dashscope.aliyuncs.com/compatible-mode/v1."))

# 03 auth-invalid-key: New API en 401 'This token status is unavailable' (debug, Node)
case(name="03-crm-assistant", home="app/crm-assistant", script="server.mjs", hosts=["llm.jiangnan-crm.com"],
     emulators=[{"profile": "newapi", "port": 9803, "server": "nginx", "lang": "en", "keys": [k48()], "auth_msg": "This token status is unavailable", "models": ["gpt-4.1", "claude-sonnet-4-5"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9803", **TLS}],
     clients=[node(app("https://llm.jiangnan-crm.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-4.1", "msg": "Draft a follow-up email for lead #4471"}], "crm-assistant"))],
     env=NCA, bundle_dir="crm-assistant-debug", files=["crm-assistant-debug.zip:node-sdk-debug.log"],
     ticket="CRM assistant stopped showing models this morning, nothing changed on our side. Debug log zipped.",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="openai-node 7.5.0 OPENAI_LOG=debug, zip with a folder. New API (en): GET /v1/models and the chat 401 {\"error\":{\"message\":\"This token status is unavailable (request id: ...)\",\"type\":\"new_api_error\"}} (token disabled). Fix: enable the token or use another key."))

# 04 insufficient-balance: DeepSeek 402 Insufficient Balance, Node default level
case(name="04-code-review-bot", home="ci/review-bot", script="review.mjs", hosts=["api.deepseek.com"],
     emulators=[{"profile": "openai", "port": 9804, "headers": {"x-ds-trace-id": "{rid}"}, "owned_by": "deepseek", "models": ["deepseek-chat", "deepseek-reasoner"],
                 "rules": [{"method": "POST", "path": "^/chat/completions$", "status": 402, "json": {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None, "code": "invalid_request_error"}}},
                           {"method": "GET", "path": "^/models$", "kind": "ok"}], "prefix": ""}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9804", **TLS}],
     clients=[node(app("https://api.deepseek.com", "sk-" + hexk(32), [{"op": "list"}, {"op": "chat", "model": "deepseek-chat", "msg": "Review this diff for null checks"}, {"op": "chat", "model": "deepseek-reasoner", "msg": "Review this diff for null checks"}], "review-bot"), debug=False, log="review-bot.log")],
     env=NCA, files=["review-bot.log.gz"],
     ticket="代码评审机器人突然说 deepseek 模型用不了，两个模型都一样，列表倒是能拉到",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="openai-node 7.5.0, OPENAI_LOG unset, single .gz. DeepSeek base https://api.deepseek.com (valid without /v1): GET /models 200 lists deepseek-chat, deepseek-reasoner; both chats 402 {\"error\":{\"message\":\"Insufficient Balance\",\"type\":\"unknown_error\",...}} (Node prints '402 Insufficient Balance'). Fix: top up."))

# 05 model-name-case: SiliconFlow 400 code 20012 (no error wrapper) from Node, debug
case(name="05-translate-worker", home="srv/translate-worker", script="worker.mjs", hosts=["api.siliconflow.cn"],
     emulators=[{"profile": "openai", "port": 9805, "headers": {}, "owned_by": "", "models": ["deepseek-ai/DeepSeek-V3.1-Terminus", "Qwen/Qwen3-Next-80B-A3B-Instruct", "moonshotai/Kimi-K2-Instruct-0905"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "(?!deepseek-ai/DeepSeek-V3.1-Terminus$|Qwen/Qwen3-Next-80B-A3B-Instruct$|moonshotai/Kimi-K2-Instruct-0905$).*", "status": 400, "json": {"code": 20012, "message": "Model does not exist. Please check it carefully.", "data": None}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9805", **TLS}],
     clients=[node(app("https://api.siliconflow.cn/v1", "sk-" + "".join(random.choice(string.ascii_lowercase) for _ in range(48)), [{"op": "list"}, {"op": "chat", "model": "qwen/qwen3-next-80b-a3b-instruct", "msg": "Translate to German: the invoice is overdue"}], "translate-worker"))],
     env=NCA, files=["node-sdk-debug.log"],
     ticket="Translation worker gets a 400 'Model does not exist' from SiliconFlow for Qwen3 Next, which is definitely in their model list",
     label=dict(cause="model-name-case", symptom="model-not-found",
                notes="openai-node 7.5.0 OPENAI_LOG=debug. SiliconFlow list has Qwen/Qwen3-Next-80B-A3B-Instruct; chat sent qwen/qwen3-next-80b-a3b-instruct -> 400 {\"code\":20012,\"message\":\"Model does not exist. Please check it carefully.\",\"data\":null} (SiliconFlow shape without an error wrapper; openai-node 7.5.0 prints 'BadRequestError: 400 Model does not exist. Please check it carefully.' with code 20012). Fix: exact case."))

# 06 endpoint-unsupported: Node responses.create against older Ollama (404 page not found), chat works
case(name="06-homelab-agent", home="pi/homelab-agent", script="agent.mjs", hosts=["gpu-box.home.lan"],
     emulators=[{"profile": "ollama", "port": 9806, "models": ["qwen3:8b", "llama3.2:3b", "nomic-embed-text:latest"]}],
     mitm=[{"listen": 11434, "mode": "reverse:http://127.0.0.1:9806"}],
     clients=[node(app("http://gpu-box.home.lan:11434/v1", "ollama", [{"op": "list"}, {"op": "chat", "model": "qwen3:8b", "msg": "turn off the hallway light at 23:00"}, {"op": "responses", "model": "qwen3:8b", "msg": "turn off the hallway light at 23:00"}], "homelab-agent"))],
     files=["node-sdk-debug.log"],
     ticket="my home agent now fails with 404 on qwen3:8b after I updated its code, the chat part still answers. log attached",
     label=dict(cause="endpoint-unsupported", symptom="model-not-found",
                notes="openai-node 7.5.0 OPENAI_LOG=debug. Ollama-style server (version without /v1/responses): list and chat 200 for qwen3:8b, POST /v1/responses 404 text/plain '404 page not found'. Fix: use chat completions or upgrade Ollama."))

# 07 key-group-no-access: New API zh 403 该令牌无权访问模型 (stream, default level)
case(name="07-kefu-stream", home="www/kefu-widget", script="index.mjs", hosts=["ai.taoyuan-tech.cn"],
     emulators=[{"profile": "newapi", "port": 9807, "server": "nginx", "lang": "zh", "models": ["gpt-4o-mini", "deepseek-v3.1", "claude-opus-4-1"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "claude-opus-4-1", "status": 403, "json": {"error": {"code": "", "message": "该令牌无权访问模型 claude-opus-4-1 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9807", **TLS}],
     clients=[node(app("https://ai.taoyuan-tech.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.1", "stream": True, "msg": "你好，订单什么时候发货？"}, {"op": "chat", "model": "claude-opus-4-1", "stream": True, "msg": "你好，订单什么时候发货？"}], "kefu"), debug=False, log="kefu.log")],
     env=NCA, files=["kefu.log"],
     ticket="客服组件换成 claude-opus-4-1 就 403，列表里明明有这个模型，deepseek 正常",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="openai-node 7.5.0, OPENAI_LOG unset (app log + printed PermissionDeniedError). New API (zh): list shows claude-opus-4-1; streaming chat deepseek-v3.1 200; streaming chat claude-opus-4-1 403 '该令牌无权访问模型 claude-opus-4-1' (token model limit). Fix: allow the model on the token."))

# 08 upstream-unavailable: One API 429 上游负载已饱和 with Node retries (debug)
case(name="08-batch-summarise", home="jobs/batch-summarise", script="run.mjs", hosts=["gw.baishan-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9808, "server": "nginx", "models": ["glm-4.5-air", "qwen3-235b-a22b-instruct-2507"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "qwen3-235b-a22b-instruct-2507", "status": 429, "json": {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9808", **TLS}],
     clients=[node(app("https://gw.baishan-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.5-air", "msg": "总结第12章"}, {"op": "chat", "model": "qwen3-235b-a22b-instruct-2507", "stream": True, "msg": "总结第13章"}], "batch-summarise"))],
     env=NCA, files=["node-sdk-debug.log"],
     ticket="批量摘要任务跑到 qwen3-235b 就失败，重试几次都不行，glm 的没问题",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="openai-node 7.5.0 OPENAI_LOG=debug. One API: list has qwen3-235b-a22b-instruct-2507; streaming chat 429 '当前分组上游负载已饱和，请稍后再试' on every attempt (SDK retried twice). glm-4.5-air works. Retry later / operator adds capacity."))

# 09 model-name-legacy-alias: Moonshot 404 Not found the model kimi-k2-0711-preview (Node default)
case(name="09-reading-notes", home="han/reading-notes", script="notes.mjs", hosts=["api.moonshot.cn"],
     emulators=[{"profile": "openai", "port": 9809, "headers": {"msh-request-id": "{rid}"}, "owned_by": "moonshot", "models": ["kimi-k2-0905-preview", "kimi-k2-turbo-preview", "moonshot-v1-32k"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "kimi-k2-0711-preview", "status": 404, "json": {"error": {"message": "Not found the model kimi-k2-0711-preview or Permission denied", "type": "resource_not_found_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9809", **TLS}],
     clients=[node(app("https://api.moonshot.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "kimi-k2-0711-preview", "msg": "帮我把这一章的要点列出来"}], "reading-notes"), debug=False, log="reading-notes.log")],
     env=NCA, crlf=["reading-notes.log"], files=["reading-notes.log"],
     ticket="读书笔记小工具调用 Kimi 报 404 Not found the model，之前一直用得好好的",
     label=dict(cause="model-name-legacy-alias", symptom="model-not-found",
                notes="openai-node 7.5.0, OPENAI_LOG unset, CRLF line endings. Moonshot list has kimi-k2-0905-preview/kimi-k2-turbo-preview; chat with the retired kimi-k2-0711-preview 404 'Not found the model kimi-k2-0711-preview or Permission denied' (resource_not_found_error). Fix: kimi-k2-0905-preview."))

# 10 network-proxy: TLS-intercepting device, Node does not trust its CA -> Connection error (debug)
case(name="10-branch-office", home="opt/quote-helper", script="quote.mjs", hosts=["api.lanhai-gw.com"],
     emulators=[{"profile": "newapi", "port": 9810, "server": "nginx", "lang": "en", "models": ["gpt-4.1-mini", "qwen3-32b"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9810", **TLS}],
     clients=[node(app("https://api.lanhai-gw.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "Quote for 40 units, 8% discount"}], "quote-helper"))],
     env={}, files=["node-sdk-debug.log"],
     ticket="Quote helper works at HQ but in the Suzhou branch the model list is empty and chat says Connection error",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="openai-node 7.5.0 OPENAI_LOG=debug. TLS to api.lanhai-gw.com is intercepted by a device whose CA the Node process does not trust: every request fails before HTTP (cause 'unable to verify the first certificate', UNABLE_TO_VERIFY_LEAF_SIGNATURE; 'connection failed', retried twice) -> APIConnectionError 'Connection error.'. Fix: NODE_EXTRA_CA_CERTS with the proxy CA or bypass the inspection."))

# 11 no-problem: Node, list + stream + embeddings, debug
case(name="11-kb-indexer-ok", home="srv/kb-indexer", script="index.mjs", hosts=["api.zhiqiao-ai.com"],
     emulators=[{"profile": "newapi", "port": 9811, "server": "nginx", "lang": "zh", "models": ["text-embedding-v4", "qwen3-max", "deepseek-v3.1"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9811", **TLS}],
     clients=[node(app("https://api.zhiqiao-ai.com/v1", k48(), [{"op": "list"}, {"op": "embed", "model": "text-embedding-v4", "input": ["退货政策", "发票开具"]}, {"op": "chat", "model": "qwen3-max", "stream": True, "msg": "发票怎么开？"}], "kb-indexer"))],
     env=NCA, files=["node-sdk-debug.log"],
     ticket="知识库索引服务的调试日志，上线前请帮忙确认一下接口调用都正常",
     label=dict(cause="no-problem", symptom="none",
                notes="openai-node 7.5.0 OPENAI_LOG=debug. New API (zh): list 200; embeddings text-embedding-v4 200; streaming chat qwen3-max 200."))

# ---------------- Python: openai-agents ----------------
# 12 endpoint-unsupported: Agents SDK default Responses API on vLLM (older) without /v1/responses, then chat-completions model works
case(name="12-agent-prototype", home="wei/agent-proto", script="agent.py", hosts=["vllm.infra.tongda-tech.com"],
     emulators=[{"profile": "vllm", "port": 9812, "server": "uvicorn", "models": ["Qwen3-32B-AWQ"], "root": "/data/models/Qwen3-32B-AWQ"}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9812"}],
     clients=[dict(kind="agents", log="agent.log", app={"logger": "agent-proto", "app_name": "agent-proto", "base_url": "http://vllm.infra.tongda-tech.com:8000/v1", "api_key": "EMPTY", "max_retries": 0,
                   "steps": [{"model": "Qwen3-32B-AWQ", "msg": "列出本周需要续费的三台服务器", "agent": "ops-agent"}, {"chat_model": "Qwen3-32B-AWQ", "msg": "列出本周需要续费的三台服务器", "agent": "ops-agent"}]})],
     files=["agent.log", "capture.har"],
     ticket="用 openai-agents 接我们自己的 vLLM，Agent 直接报 404 Not Found，换了另一种写法又可以了，想确认原因",
     label=dict(cause="endpoint-unsupported", symptom="model-not-found",
                notes="openai-agents 0.24.0 (openai 3.63.0) app log + HAR. Agent(model='Qwen3-32B-AWQ') uses the Responses API by default: POST /v1/responses 404 {\"detail\":\"Not Found\"} (this vLLM has no /v1/responses; traceback ends 'openai.NotFoundError: Error code: 404'). The same agent with OpenAIChatCompletionsModel -> POST /v1/chat/completions 200. Fix: set_default_openai_api('chat_completions') or OpenAIChatCompletionsModel."))

# 13 client-default-model: Agents SDK, chat_completions API but no model set -> SDK default model; LM Studio 400 invalid model identifier
case(name="13-lmstudio-agent", home="sara/desk-agent", script="desk_agent.py", hosts=["lmstudio.office-7f.lan"],
     emulators=[{"profile": "openai", "port": 9813, "headers": {}, "owned_by": "organization_owner", "models": ["qwen/qwen3-14b", "google/gemma-3-12b", "text-embedding-nomic-embed-text-v1.5"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "(?!qwen/qwen3-14b$|google/gemma-3-12b$).*", "status": 400, "json": {"error": {"message": "Invalid model identifier \"{model}\". Please specify a valid downloaded model (e.g., qwen/qwen3-14b, google/gemma-3-12b, text-embedding-nomic-embed-text-v1.5).", "type": "invalid_request_error", "param": "model", "code": "model_not_found"}}}]}],
     mitm=[{"listen": 1234, "mode": "reverse:http://127.0.0.1:9813"}],
     clients=[dict(kind="agents", log="desk_agent.log", app={"logger": "desk-agent", "app_name": "desk-agent", "base_url": "http://lmstudio.office-7f.lan:1234/v1", "api_key": "lm-studio", "api": "chat_completions", "verbose": True,
                   "log_format": PLAIN3, "steps": [{"msg": "Book a meeting room for Thursday 3pm", "agent": "desk-agent"}]})],
     files=["desk_agent.log"],
     ticket="Desk agent on LM Studio: 'Invalid model identifier' although qwen3-14b is loaded and selected in LM Studio",
     label=dict(cause="client-default-model", symptom="model-not-found",
                notes="openai-agents 0.24.0 verbose stdout logging + app log. Agent() created without model, so the SDK sent its own default model 'gpt-5.6-luna' (openai-agents 0.24.0 default) to LM Studio, which answered 400 'Invalid model identifier \"...\". Please specify a valid downloaded model (e.g., qwen/qwen3-14b, ...)' code model_not_found. Fix: Agent(model='qwen/qwen3-14b')."))

# ---------------- Python openai ----------------
# 14 models-endpoint-unsupported: old Ollama behind Caddy, HAR only
case(name="14-caddy-ollama", sdk=C, home="tom/note-tagger", script="tagger.py", hosts=["llm.tomsnet.de"],
     emulators=[{"profile": "ollama", "port": 9814, "server": "Caddy", "models": ["mistral-small3.2:24b"],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "status": 404, "text": "404 page not found", "ctype": "text/plain"}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9814", **TLS}],
     clients=[sdk(C, app("https://llm.tomsnet.de/v1", "ollama", [{"op": "list"}, {"op": "chat", "model": "mistral-small3.2:24b", "msg": "Tags for: quarterly tax reminder"}], "note-tagger", max_retries=0), debug=False)],
     env=CA, bundle_dir="", files=["har-export.zip:capture.har"],
     ticket="Obsidian tagger plugin cannot fetch models from my Ollama server (typing the name by hand works). HAR from the plugin attached.",
     label=dict(cause="models-endpoint-unsupported", symptom="model-list-empty",
                notes="HAR only (zip, no folder). Old Ollama behind Caddy: GET /v1/models 404 text/plain '404 page not found'; POST /v1/chat/completions with mistral-small3.2:24b 200. Fix: type the name by hand / upgrade Ollama."))

# 15 key-group-no-models: One API 200 data [] via AsyncOpenAI, SDK log + HAR
case(name="15-async-crawler", sdk=D, home="data/news-crawler", script="crawler.py", hosts=["api.longmen-ai.cn"],
     emulators=[{"profile": "oneapi", "port": 9815, "server": "nginx", "models": [], "group": "vip"}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9815", **TLS}],
     clients=[sdk(D, app("https://api.longmen-ai.cn/v1", k48(), [{"op": "alist"}, {"op": "achat", "model": "doubao-seed-1-6-flash-250715", "msg": "提取这篇新闻的人名和地名", "tb": True}], "news-crawler", transport_debug=False, max_retries=0))],
     env=CA, bundle_dir="crawler-bundle", files=["crawler-bundle.tar:sdk-debug.log,capture.har"],
     ticket="新申请的 key 在爬虫里拉模型列表是空的，调用也失败，日志和抓包在 tar 包里",
     label=dict(cause="key-group-no-models", symptom="model-list-empty",
                notes="AsyncOpenAI (openai 3.63.0) OPENAI_LOG=debug (transport off) + HAR, plain .tar with a folder. One API: GET /v1/models 200 {\"object\":\"list\",\"data\":[]}; chat 503 '当前分组 vip 下对于模型 doubao-seed-1-6-flash-250715 无可用渠道' (retries off). The key's group has no enabled channel."))

# 16 client-cache: app shows a cached list, never calls /models; hand-typed model works (default log + cache file)
case(name="16-cached-picker", sdk=B, home="ming/writer-desk", script="writer.py", hosts=["api.qingshan-ai.com"],
     emulators=[{"profile": "newapi", "port": 9816, "server": "nginx", "lang": "zh", "models": ["qwen3-max", "deepseek-v3.2-exp", "kimi-k2-0905-preview"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9816", **TLS}],
     clients=[sdk(B, app("https://api.qingshan-ai.com/v1", k48(), [{"op": "cache", "file": "models-cache.json", "shown": "~/.writer-desk/models-cache.json"}, {"op": "chat", "model": "deepseek-v3.2-exp", "msg": "续写这段开头"}], "writer-desk", **quiet(log_format=PLAIN3)), log="writer.log", debug=False)],
     env=CA, pre_files={"models-cache.json": json.dumps({"saved_at": "2026-09-14T08:12:55Z", "models": ["qwen-max", "deepseek-v3", "moonshot-v1-32k"]}, indent=2)},
     extras={"config.yaml": "api:\n  base_url: https://api.qingshan-ai.com/v1\n  model_list_cache: ~/.writer-desk/models-cache.json\neditor:\n  autosave: true\n"},
     files=["writer.log", "models-cache.json", "config.yaml"],
     ticket="写作助手的模型列表里找不到 deepseek-v3.2-exp，手动输入名字却能正常对话，麻烦看下",
     label=dict(cause="client-cache", symptom="model-list-empty",
                notes="Default-level app log + the client's cache file + config. The app loaded its model list from a cache saved 2026-09-14 (qwen-max, deepseek-v3, moonshot-v1-32k) and made no GET /v1/models; the hand-typed deepseek-v3.2-exp chat 200. Fix: refresh / clear the cache."))

# 17 client-cannot-list: /v1/models answers an Ollama /api/tags-like shape {"models":[...]}, SDK returns []
case(name="17-tags-shape", sdk=A, home="kai/voice-memo", script="memo.py", hosts=["ai-box.kaiyuan-lab.org"],
     emulators=[{"profile": "openai", "port": 9817, "server": "nginx/1.24.0", "models": ["llama3.1:8b-instruct-q5_K_M", "qwen2.5:14b"],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "json": {"models": [{"name": "llama3.1:8b-instruct-q5_K_M", "model": "llama3.1:8b-instruct-q5_K_M", "modified_at": "2026-10-02T11:20:41.9157Z", "size": 5732987904, "digest": "b2a0ab8fa95f" + hexk(52), "details": {"format": "gguf", "family": "llama", "parameter_size": "8.0B", "quantization_level": "Q5_K_M"}}, {"name": "qwen2.5:14b", "model": "qwen2.5:14b", "modified_at": "2026-09-18T07:03:12.4471Z", "size": 8988124069, "digest": "7cdf5a0187d5" + hexk(52), "details": {"format": "gguf", "family": "qwen2", "parameter_size": "14.8B", "quantization_level": "Q4_K_M"}}]}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9817", **TLS}],
     clients=[sdk(A, app("https://ai-box.kaiyuan-lab.org/v1", "sk-" + hexk(32), [{"op": "list"}, {"op": "chat", "model": "qwen2.5:14b", "msg": "Transcribe summary: call with dentist"}], "voice-memo"))],
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="voice memo app says 0 models available from our box but typing qwen2.5:14b manually works?",
     label=dict(cause="client-cannot-list", symptom="model-list-empty",
                notes="openai 1.47.1 OPENAI_LOG=debug + httpx/httpcore + HAR. GET /v1/models 200 with {\"models\":[...]} (Ollama /api/tags shape, no data array): the SDK yields 0 models. Chat with qwen2.5:14b 200."))

# 18 model-name-suffix: OpenRouter (/api/v1) streaming 404 No endpoints found for ...:free
case(name="18-router-free", sdk=C, home="jon/pr-describer", script="describe.py", hosts=["openrouter.ai"],
     emulators=[{"profile": "openai", "port": 9818, "headers": {"x-clerk-auth-status": "signed-out"}, "server": "cloudflare", "prefix": "/api/v1", "models": ["qwen/qwen3-coder", "qwen/qwen3-coder-30b-a3b-instruct", "z-ai/glm-4.6"],
                 "rules": [{"method": "POST", "path": "^/api/v1/chat/completions$", "model": "qwen/qwen3-coder:free", "status": 404, "json": {"error": {"message": "No endpoints found for qwen/qwen3-coder:free.", "code": 404}, "user_id": "user_2" + "".join(random.choice(AN) for _ in range(26))}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9818", **TLS}],
     clients=[sdk(C, app("https://openrouter.ai/api/v1", "sk-or-v1-" + hexk(64), [{"op": "list"}, {"op": "chat", "model": "qwen/qwen3-coder:free", "stream": True, "msg": "Describe this PR diff"}], "pr-describer", transport_debug=False, max_retries=0))],
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="PR describer fails on OpenRouter with 'No endpoints found' since Monday, config unchanged",
     label=dict(cause="model-name-suffix", symptom="model-not-found",
                notes="openai 2.41.0 OPENAI_LOG=debug (transport off) + HAR, base https://openrouter.ai/api/v1. List has qwen/qwen3-coder (no :free variant any more); streaming chat with qwen/qwen3-coder:free 404 'No endpoints found for qwen/qwen3-coder:free.'. Fix: drop ':free' (paid) or pick a listed free model."))

# 19 model-not-in-catalog: vLLM embeddings typo after a long run (default level, long log, .gz)
case(name="19-nightly-embed", sdk=B, home="etl/embed-nightly", script="embed_job.py", hosts=["emb-01.gpu.hengda-data.com"],
     emulators=[{"profile": "vllm", "port": 9819, "server": "uvicorn", "models": ["bge-large-zh-v1.5"], "root": "/models/bge-large-zh-v1.5", "dim": 16}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9819"}],
     clients=[sdk(B, app("http://emb-01.gpu.hengda-data.com:8000/v1", "EMPTY", [{"op": "repeat", "n": 2400, "steps": [{"op": "embed", "model": "bge-large-zh-v1.5", "input": ["合同条款第三条"]}]}, {"op": "embed", "model": "bge-large-zh-v1.6", "input": ["合同条款第四条"], "tb": True}, {"op": "embed", "model": "bge-large-zh-v1.6", "input": ["合同条款第五条"]}], "embed-nightly", **quiet()), log="embed_job.log", debug=False)],
     files=["embed_job.log.gz"],
     ticket="夜间向量化任务跑了两千多条之后开始全部报 404，模型服务没重启过",
     label=dict(cause="model-not-in-catalog", symptom="model-not-found",
                notes="Very long default-level log (2400 successful embeddings with bge-large-zh-v1.5) as a single .gz; then the job config switched to bge-large-zh-v1.6 which the vLLM server does not serve: 404 'The model `bge-large-zh-v1.6` does not exist.' (NotFoundError). Nearest catalog name bge-large-zh-v1.5."))

# 20 wrong-base-url: list from gateway, chat client left at api.openai.com (401 Incorrect API key with a gateway key), default level + HAR
k20 = k48()
case(name="20-two-clients", sdk=D, home="li/sales-copilot", script="copilot.py", hosts=["api.yinhe-relay.com", "api.openai.com"],
     emulators=[{"profile": "newapi", "port": 9820, "server": "nginx", "lang": "zh", "models": ["gpt-4o", "gpt-4.1", "o4-mini"]},
                {"profile": "openai", "port": 9821, "server": "cloudflare", "keys": ["sk-proj-" + hexk(40)],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "status": 401, "json": {"error": {"message": "Incorrect API key provided: " + k20[:3] + "*" * 41 + k20[-4:] + ". You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}}]}],
     mitm=[{"listen": 443, "modes": ["reverse:https://127.0.0.1:9820@8443", "reverse:https://127.0.0.1:9821@443"], **TLS}],
     clients=[sdk(D, app("https://api.yinhe-relay.com:8443/v1", k20, [{"op": "list"}, {"op": "client", "base_url": None, "purpose": "chat"}, {"op": "chat", "model": "gpt-4.1", "msg": "Write a follow-up for the ACME deal", "tb": True}], "sales-copilot", **quiet()), log="copilot.log", debug=False)],
     env=CA, files=["copilot.log", "capture.har"],
     ticket="Sales copilot lists gpt-4.1 from our relay fine, but sending a message says the key is incorrect",
     label=dict(cause="wrong-base-url", symptom="model-not-found",
                notes="Default-level app log + HAR. The model list comes from https://api.yinhe-relay.com:8443/v1 (gpt-4.1 listed), but the chat client is built without base_url, so POST https://api.openai.com/v1/chat/completions with the relay key -> 401 'Incorrect API key provided: sk-...'. Fix: give the chat client the relay base URL."))

# 21 base-url-malformed: double slash inside the base, New API raw path, single .gz
case(name="21-double-slash", sdk=B, home="fang/quiz-gen", script="quiz.py", hosts=["api.chunlei-ai.com"],
     emulators=[{"profile": "newapi", "port": 9822, "server": "nginx", "lang": "en", "raw_path": True, "models": ["gpt-5-mini", "qwen3-max"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9822", **TLS}],
     clients=[sdk(B, app("https://api.chunlei-ai.com//v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-5-mini", "msg": "5 quiz questions about photosynthesis"}], "quiz-gen", transport_debug=False, max_retries=0))],
     env=CA, files=["sdk-debug.log.gz"],
     ticket="出题工具连不上网关：模型列表空、对话也报错，日志压缩成 gz 了",
     label=dict(cause="base-url-malformed", symptom="model-list-empty",
                notes="openai 1.99.9 OPENAI_LOG=debug (transport off), single .gz. Base https://api.chunlei-ai.com//v1 (double slash): GET //v1/models and POST //v1/chat/completions; New API answers 200 text/html (web console) because the path does not start with /v1. Fix: https://api.chunlei-ai.com/v1."))

# 22 base-url-includes-endpoint: base ends with /chat/completions, One API Invalid URL, CRLF Windows
case(name="22-excel-addin", sdk=C, home="zhao/excel-ai", script="excel_ai.py", hosts=["api.dongsheng-gw.com"],
     emulators=[{"profile": "oneapi", "port": 9823, "server": "nginx", "models": ["qwen-turbo", "deepseek-v3.1"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9823", **TLS}],
     clients=[sdk(C, app("https://api.dongsheng-gw.com/v1/chat/completions", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen-turbo", "msg": "把A列的日期统一成YYYY-MM-DD"}], "excel-ai", transport_debug=False, log_format=PLAIN3, max_retries=0))],
     env=CA, crlf=["sdk-debug.log"], winroot="C:/Users/zhao/excel-ai",
     extras={"screenshot.png": "copy:assets/empty-models.png", "README.txt": "Excel AI 插件 0.9.2\r\n日志位置: %APPDATA%\\excel-ai\\sdk-debug.log\r\n"},
     files=["sdk-debug.log", "screenshot.png", "README.txt"],
     ticket="Excel 插件里填了接口地址后模型列表是空的，截图和日志附上",
     label=dict(cause="base-url-includes-endpoint", symptom="model-list-empty",
                notes="openai 2.41.0 OPENAI_LOG=debug (transport off), CRLF, Windows paths, screenshot + README. Base https://api.dongsheng-gw.com/v1/chat/completions: GET /v1/chat/completions/models and POST /v1/chat/completions/chat/completions 404 One API 'Invalid URL (...)'. Fix: base https://api.dongsheng-gw.com/v1."))

# 23 azure-deployment-mismatch: AzureOpenAI with model name as deployment (Python 1.47.1), zip nested
case(name="23-azure-jpe", sdk=A, home="kenji/faq-ja", script="faq.py", hosts=["sakura-cs-jpe.openai.azure.com"],
     emulators=[{"profile": "azure", "port": 9824, "models": [],
                 "rules": [{"path": "^/openai/deployments/chat-41mini-prod/", "json": {"id": "chatcmpl-x", "object": "chat.completion", "created": 1765000000, "model": "gpt-4.1-mini-2025-04-14", "choices": [{"index": 0, "message": {"role": "assistant", "content": "OK"}, "finish_reason": "stop"}]}},
                           {"path": "^/openai/deployments/", "status": 404, "json": {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9824", **TLS}],
     clients=[sdk(A, dict(app(None, hexk(32), [{"op": "chat", "model": "gpt-4.1-mini", "msg": "返品の手順を教えてください", "tb": True}], "faq-ja", **quiet()), azure={"endpoint": "https://sakura-cs-jpe.openai.azure.com", "api_version": "2024-10-21"}, max_retries=0), log="faq.log", debug=False)],
     env=CA, bundle_dir="support/faq-ja-logs", files=["faq-ja-logs.zip:faq.log,capture.har"],
     ticket="Azure OpenAI: our FAQ bot returns 404 DeploymentNotFound for gpt-4.1-mini, the model is deployed in the portal",
     label=dict(cause="azure-deployment-mismatch", symptom="model-not-found",
                notes="Default-level app log + HAR in a zip with nested folders. AzureOpenAI (openai 1.47.1) sends model gpt-4.1-mini as the deployment: POST /openai/deployments/gpt-4.1-mini/chat/completions?api-version=2024-10-21 404 DeploymentNotFound. The resource's deployment is called chat-41mini-prod. Fix: model='chat-41mini-prod'."))

# 24 insufficient-balance (One API 403 令牌额度不足) after 429 retries
case(name="24-retry-then-quota", sdk=C, home="yan/ad-copy", script="adcopy.py", hosts=["api.wanli-llm.com"],
     emulators=[{"profile": "oneapi", "port": 9825, "server": "nginx", "models": ["gpt-4o-mini", "qwen-plus"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "times": 2, "status": 429, "json": {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: {rid})", "type": "one_api_error"}}},
                           {"method": "POST", "path": "^/v1/chat/completions$", "status": 403, "json": {"error": {"message": "令牌额度不足 (request id: {rid})", "type": "one_api_error", "param": "", "code": "pre_consume_token_quota_failed"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9825", **TLS}],
     clients=[sdk(C, app("https://api.wanli-llm.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "写三条双十二促销文案", "tb": True}], "ad-copy"))],
     env=CA, files=["sdk-debug.log"],
     ticket="广告文案工具先是一直 429 重试，最后报 403，模型是列表里有的 qwen-plus",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="openai 2.41.0 OPENAI_LOG=debug + httpx/httpcore. One API: list has qwen-plus; chat 429 '当前分组上游负载已饱和' twice (SDK retries), then 403 '令牌额度不足' code pre_consume_token_quota_failed (the real failure). Fix: raise the token quota."))

# ---------------- LiteLLM proxy ----------------
LL25 = "sk-" + hexk(24)
case(name="25-wrong-provider", sdk=D, home="svc/code-assist", script="assist.py", hosts=["llm.ruijie-soft.com"],
     emulators=[{"profile": "vllm", "port": 9826, "server": "uvicorn", "models": ["qwen3-coder-30b"]}],
     replace=[["127.0.0.1:9826", "10.20.4.11:8000"], ["127.0.0.1:15125", "0.0.0.0:4000"]],
     litellm={"port": 15125, "debug": False, "config": litellm_cfg([("qwen3-coder", "anthropic/qwen3-coder-30b", "http://127.0.0.1:9826/v1")], LL25)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15125"}],
     clients=[sdk(D, app("http://llm.ruijie-soft.com:4000/v1", LL25, [{"op": "list"}, {"op": "chat", "model": "qwen3-coder", "msg": "Refactor this function to use async", "tb": True}], "code-assist", **quiet()), log="assist.log", debug=False)],
     bundle_dir="", files=["litellm-logs.tar:gateway.log,assist.log"],
     ticket="qwen3-coder shows in our LiteLLM model list but every request fails with a 404 from the proxy",
     label=dict(cause="gateway-config", symptom="model-not-found",
                notes="Real LiteLLM 1.108.7 proxy log + default-level app log in a plain .tar. The deployment qwen3-coder is configured as anthropic/qwen3-coder-30b with an OpenAI-compatible vLLM api_base, so LiteLLM routes it to the Anthropic provider and POSTs http://10.20.4.11:8000/v1/v1/messages (Anthropic messages path on the vLLM server) -> 404 {\"detail\":\"Not Found\"}; the client gets 404 'litellm.NotFoundError: AnthropicException - {\"detail\": \"Not Found\"} ... model group 'qwen3-coder' failed'. /v1/models lists qwen3-coder. Operator must use openai/qwen3-coder-30b (or hosted_vllm/)."))

LL26 = "sk-" + hexk(24)
case(name="26-display-name", sdk=B, home="svc/hr-bot", script="hr_bot.py", hosts=["ai-gw.jinyu-hr.com"],
     emulators=[{"profile": "vllm", "port": 9827, "server": "uvicorn", "models": ["llama-3.3-70b-instruct", "qwen3-8b"]}],
     replace=[["127.0.0.1:9827", "10.9.0.5:8000"], ["127.0.0.1:15126", "0.0.0.0:4000"]],
     litellm={"port": 15126, "debug": True, "config": litellm_cfg([("llama-3.3-70b-instruct", "hosted_vllm/llama-3.3-70b-instruct", "http://127.0.0.1:9827/v1"), ("qwen3-8b", "hosted_vllm/qwen3-8b", "http://127.0.0.1:9827/v1")], LL26)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15126"}],
     clients=[sdk(B, app("http://ai-gw.jinyu-hr.com:4000/v1", LL26, [{"op": "list"}, {"op": "chat", "model": "Llama 3.3 70B", "msg": "年假怎么计算？"}], "hr-bot", **quiet()), log="hr_bot.log", debug=False)],
     files=["gateway.log"],
     ticket="HR 机器人调用网关返回 400，网关日志贴给你们了，客户端日志拿不到",
     label=dict(cause="model-name-marketing", symptom="model-not-found",
                notes="Only the real LiteLLM 1.108.7 proxy log (--detailed_debug). /v1/models lists llama-3.3-70b-instruct and qwen3-8b; the chat asks for 'Llama 3.3 70B' (display name) -> 400 'Invalid model name passed in model=Llama 3.3 70B'. Fix: llama-3.3-70b-instruct."))

LL27 = "sk-" + hexk(24)
case(name="27-repr-body", sdk=B, home="svc/ticket-tagger", script="tagger.py", hosts=["llm.haitang-it.com"],
     emulators=[{"profile": "vllm", "port": 9828, "server": "uvicorn", "models": ["qwen3-14b"]}],
     replace=[["127.0.0.1:9828", "10.3.2.8:8000"], ["127.0.0.1:15127", "0.0.0.0:4000"]],
     litellm={"port": 15127, "debug": False, "config": litellm_cfg([("qwen3-14b", "hosted_vllm/qwen3-14b", "http://127.0.0.1:9828/v1")], LL27, json_logs=False)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15127"}],
     clients=[dict(kind="httpx", sdk=B, log="tagger.log", app=dict(base_url="http://llm.haitang-it.com:4000/v1", api_key=LL27, logger="ticket-tagger", debug=False,
                   steps=[{"op": "list"}, {"op": "chat", "model": "qwen3-14b", "msg": "Tag: printer on 3F offline", "pyrepr": True}]))],
     files=["tagger.log", "gateway.log", "capture.har"],
     ticket="工单打标脚本调 LiteLLM 报 400，模型列表是好的，脚本日志、网关日志和 HAR 都附上了",
     label=dict(cause="request-body-invalid", symptom="model-not-found",
                notes="httpx script (INFO) + real LiteLLM 1.108.7 log + HAR. GET /v1/models 200 lists qwen3-14b. The script builds the body with str(payload) (a Python dict repr with single quotes) instead of JSON: LiteLLM answers 400 'Invalid JSON payload: unexpected character, expected a string key: line 1 column 2 (char 1)' (param request_body) and logs 'Invalid JSON payload received'; the model is never read. Fix: send json=payload."))

# ---------------- healthy ----------------
case(name="28-openrouter-ok", sdk=D, home="maya/trip-planner", script="planner.py", hosts=["openrouter.ai"],
     emulators=[{"profile": "openai", "port": 9829, "server": "cloudflare", "prefix": "/api/v1", "models": ["anthropic/claude-sonnet-4.5", "google/gemini-2.5-flash", "deepseek/deepseek-chat-v3.1"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9829", **TLS}],
     clients=[sdk(D, app("https://openrouter.ai/api/v1", "sk-or-v1-" + hexk(64), [{"op": "list"}, {"op": "achat", "model": "google/gemini-2.5-flash", "msg": "3-day Lisbon itinerary"}, {"op": "achat", "model": "deepseek/deepseek-chat-v3.1", "stream": True, "msg": "Same for Porto"}], "trip-planner", **quiet()), debug=False, log="planner.log")],
     env=CA, files=["capture.har"],
     ticket="Trip planner sometimes feels slow on OpenRouter, here is a HAR of one session, anything wrong?",
     label=dict(cause="no-problem", symptom="none", notes="HAR only, base https://openrouter.ai/api/v1: list 200; AsyncOpenAI chat google/gemini-2.5-flash 200 and streaming deepseek/deepseek-chat-v3.1 200."))

case(name="29-agents-ok", home="ops/runbook-agent", script="runbook.py", hosts=["gw.xinyuan-ai.com"],
     emulators=[{"profile": "newapi", "port": 9830, "server": "nginx", "lang": "en", "models": ["gpt-4.1-mini", "qwen3-max"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9830", **TLS}],
     clients=[dict(kind="agents", log="runbook.log", app={"logger": "runbook-agent", "app_name": "runbook-agent", "base_url": "https://gw.xinyuan-ai.com/v1", "api_key": k48(), "api": "chat_completions",
                   "steps": [{"model": "qwen3-max", "msg": "Which runbook covers disk full on db-02?", "agent": "runbook"}]})],
     env=CA, files=["runbook.log", "capture.har"],
     ticket="Runbook agent (openai-agents) against our gateway, log + HAR attached, please confirm setup is right before rollout",
     label=dict(cause="no-problem", symptom="none", notes="openai-agents 0.24.0 with set_default_openai_api('chat_completions'), model qwen3-max: POST /v1/chat/completions 200. App log + HAR."))

os.makedirs(os.path.join(W2, "specs"), exist_ok=True)
for s in S:
    for m in s.get("mitm", []):
        if "ssl_insecure=true" in m.get("opts", []):
            if m.get("mode"): m["mode"] = m["mode"].replace("reverse:http://", "reverse:https://")
            m["modes"] = [x.replace("reverse:http://", "reverse:https://") for x in m.get("modes", [])]
            for e in s.get("emulators", []): e["tls"] = True
    json.dump(s, open(os.path.join(W2, "specs", s["name"] + ".json"), "w"), ensure_ascii=False, indent=1)
print(len(S))
