#!/usr/bin/env python3
"""captured-3: write one spec JSON per case into specs/ (run with run_case.py)."""
import json, os, random, string
random.seed(20261206 + 3)
A, B, C, D = "1.47.1", "1.99.9", "2.41.0", "3.63.0"
HERE = os.path.dirname(os.path.abspath(__file__))
W = os.environ.get("CAPTURE_WORK", os.path.dirname(HERE))  # venvs, CA (shared); default Benchmarks/capture
W2 = os.environ.get("CAPTURE_SET_WORK", HERE)  # this set's work folder (specs/, runs/)
CA = {"SSL_CERT_FILE": W + "/ca/ca-certificates.crt"}
AN = string.ascii_letters + string.digits
def k48(): return "sk-" + "".join(random.choice(AN) for _ in range(48))
def hexk(n): return "".join(random.choice("0123456789abcdef") for _ in range(n))
def ds_key(): return "sk-" + hexk(32)
def or_key(): return "sk-or-v1-" + hexk(64)
def sf_key(): return "sk-" + "".join(random.choice(string.ascii_lowercase) for _ in range(48))
def ms_key(): return "sk-" + "".join(random.choice(AN) for _ in range(48))
S = []
def case(**kw): S.append(kw)
def app(base, key, steps, logger="app", **kw):
    d = {"logger": logger, "app_name": logger, "base_url": base, "api_key": key, "steps": steps}; d.update(kw); return d
PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PLAIN3 = "%(asctime)s | %(levelname)-8s | %(name)s | %(message)s"
DEFAULT_LVL = dict(openai_log=False)
def quiet(**kw):
    d = {"transport_debug": False, "log_format": PLAIN}; d.update(kw); return d
TLS = {"opts": ["ssl_insecure=true"]}

# 01 base-url-missing-version: Ollama on a workstation, base without /v1
case(name="01-workstation-assistant", sdk=C, home="wangfang/doc-assistant", script="assistant.py", hosts=["ws-gpu07.lan"],
     emulators=[{"profile": "ollama", "port": 9601, "models": ["qwen3:14b", "nomic-embed-text:latest"]}],
     mitm=[{"listen": 11434, "mode": "reverse:http://127.0.0.1:9601"}],
     app=app("http://ws-gpu07.lan:11434", "ollama", [{"op": "list"}, {"op": "chat", "model": "qwen3:14b", "msg": "把这份会议纪要整理成三条要点", "tb": True}], "doc-assistant", **quiet(log_format=PLAIN3)),
     **DEFAULT_LVL, rename={"sdk-debug.log": "assistant.log"}, crlf=["assistant.log"], winroot="C:/Users/wangfang/doc-assistant",
     files=["assistant.log"],
     ticket="文档助手连公司那台 GPU 工作站，下拉框里没有任何模型，发消息直接报错",
     label=dict(cause="base-url-missing-version", symptom="model-list-empty",
                notes="Default-level app log only, Windows CRLF, Windows traceback paths. base_url http://ws-gpu07.lan:11434 (Ollama) lacks /v1: GET /models and POST /chat/completions get 404 text/plain '404 page not found'. Fix: http://ws-gpu07.lan:11434/v1."))

# 02 base-url-duplicated-version: LM Studio answers unknown paths with 200 + error
case(name="02-lmstudio-desk", sdk=D, home="jonas/notes-app", script="notes.py", hosts=["studio-pc.fritz.box"],
     emulators=[{"profile": "openai", "port": 9602, "headers": {}, "models": ["qwen2.5-7b-instruct-1m", "text-embedding-nomic-embed-text-v1.5"],
                 "rules": [{"path": "^/v1/v1/", "status": 200, "json": {"error": "Unexpected endpoint or method. ({method} {path})"}}]}],
     mitm=[{"listen": 1234, "mode": "reverse:http://127.0.0.1:9602"}],
     app=app("http://studio-pc.fritz.box:1234/v1/v1", "lm-studio", [{"op": "list"}, {"op": "chat", "model": "qwen2.5-7b-instruct-1m", "msg": "Turn these bullet points into a paragraph", "tb": True}], "notes-app"),
     bundle_dir="Desktop/notes-app-bug", files=["notes-app-har.zip:capture.har"],
     ticket="Notes app connected to LM Studio on my other PC: model picker empty and replies come back blank.",
     label=dict(cause="base-url-duplicated-version", symptom="model-list-empty",
                notes="HAR only, zip with nested folder. base_url http://studio-pc.fritz.box:1234/v1/v1: GET /v1/v1/models and POST /v1/v1/chat/completions answered HTTP 200 {\"error\":\"Unexpected endpoint or method. (GET /v1/v1/models)\"} (LM Studio style), so the list is empty and the chat reply unreadable. Fix: .../v1."))

# 03 base-url-wrong-host: Grafana-style login redirect
case(name="03-monitoring-host", sdk=B, home="sre/incident-notes", script="incident.py", hosts=["ai.ops.yunhe-net.com"],
     emulators=[{"profile": "openai", "port": 9603, "headers": {"x-frame-options": "deny", "x-content-type-options": "nosniff"}, "server": "nginx/1.24.0",
                 "rules": [{"path": "^/login", "status": 200, "ctype": "text/html; charset=UTF-8",
                            "text": "<!DOCTYPE html>\n<html lang=\"en-US\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge,chrome=1\" />\n    <meta name=\"viewport\" content=\"width=device-width\" />\n    <meta name=\"theme-color\" content=\"#000\" />\n    <title>Grafana</title>\n    <base href=\"/\" />\n    <link rel=\"icon\" type=\"image/png\" href=\"public/img/fav32.png\" />\n  </head>\n  <body class=\"theme-dark app-grafana\">\n    <div class=\"preloader\"><div class=\"preloader__enter\"><div class=\"preloader__bounce\"><div class=\"preloader__logo\"></div></div></div></div>\n    <div id=\"reactRoot\"></div>\n    <script nonce=\"\">window.grafanaBootData = {user:{isSignedIn:false},settings:{appSubUrl:\"\"}};</script>\n  </body>\n</html>\n"},
                           {"path": "^/", "status": 302, "ctype": "text/html; charset=utf-8", "headers": {"Location": "/login", "Set-Cookie": "redirect_to={qpath}; Path=/; HttpOnly; SameSite=Lax"}, "text": "<a href=\"/login\">Found</a>.\n\n"}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9603", **TLS}],
     app=app("https://ai.ops.yunhe-net.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen-max", "msg": "Draft a post-mortem summary for INC-2291"}], "incident-notes", transport_debug=False),
     env=CA, files=["sdk-debug.log.gz"],
     ticket="incident-notes can't load models since we moved to the new ai.ops host, debug log attached",
     label=dict(cause="base-url-wrong-host", symptom="model-list-empty",
                notes="OPENAI_LOG=debug, transport loggers off, single .gz. https://ai.ops.yunhe-net.com is a monitoring web app, not the LLM API: every /v1 path gets 302 to /login and a 200 text/html Grafana login page; the SDK gets HTML instead of JSON for /v1/models and /v1/chat/completions."))

# 04 models-endpoint-unsupported: custom FastAPI-ish wrapper, 405 on GET /v1/models
case(name="04-legal-wrapper", sdk=A, home="legal/clause-check", script="clause_check.py", hosts=["llm-gw.hanlin-law.cn"],
     emulators=[{"profile": "openai", "port": 9604, "server": "uvicorn", "headers": {}, "models": ["internlm3-8b-instruct"],
                 "rules": [{"method": "GET", "path": "^/v1/models", "status": 405, "json": {"detail": "Method Not Allowed"}, "headers": {"allow": "POST"}}]}],
     mitm=[{"listen": 8080, "mode": "reverse:http://127.0.0.1:9604"}],
     app=app("http://llm-gw.hanlin-law.cn:8080/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "internlm3-8b-instruct", "msg": "请检查第七条违约责任条款是否完整"}, {"op": "chat", "model": "internlm3-8b-instruct", "stream": True, "msg": "再给一个修改建议"}], "clause-check"),
     bundle_dir="", files=["logs.tar:sdk-debug.log,capture.har"],
     ticket="条款检查工具里模型选择是灰的，但是聊天是通的，麻烦看下",
     label=dict(cause="models-endpoint-unsupported", symptom="model-list-empty",
                notes="SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR in a plain .tar (no folder). The in-house wrapper answers GET /v1/models with 405 {\"detail\":\"Method Not Allowed\"} (Allow: POST); POST /v1/chat/completions with internlm3-8b-instruct works (plain and stream)."))

# 05 key-group-no-models: One API, empty list
case(name="05-new-token", sdk=C, home="li.na/translate-bot", script="bot.py", hosts=["api.chengfeng-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9605, "server": "nginx/1.22.1", "models": []}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9605", **TLS}],
     app=app("https://api.chengfeng-ai.com/v1", k48(), [{"op": "list"}, {"op": "sleep", "s": 1}, {"op": "list"}], "translate-bot"),
     env=CA, files=["capture.har.gz"],
     ticket="新建的令牌在翻译机器人里拉不到模型，抓包文件在附件",
     label=dict(cause="key-group-no-models", symptom="model-list-empty",
                notes="HAR only, single .gz. One API-style gateway; GET /v1/models returns 200 {\"object\":\"list\",\"data\":[]} twice: the token/group has no models enabled. No error."))

# 06 auth-invalid-key: New API en 'This token has expired'
k06 = k48()
case(name="06-quarterly-script", sdk=B, home="finance/q-report", script="q_report.py", hosts=["gw.mingda-ai.com"],
     emulators=[{"profile": "newapi", "port": 9606, "server": "nginx", "keys": ["sk-nothis"], "auth_msg": "This token has expired", "models": ["gpt-4.1", "gemini-2.5-pro"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9606", **TLS}],
     app=app("https://gw.mingda-ai.com/v1", k06, [{"op": "list"}, {"op": "chat", "model": "gpt-4.1", "msg": "Summarise Q3 revenue by region"}], "q-report", **quiet()),
     **DEFAULT_LVL, env=CA, rename={"sdk-debug.log": "q_report.log"},
     extras={".env": "# q-report\nOPENAI_BASE_URL=https://gw.mingda-ai.com/v1\nOPENAI_API_KEY=%s\nREPORT_QUARTER=2026Q3\nOUTPUT_DIR=./out\n" % k06,
             "screenshot-models.png": "copy:assets/empty-models.png",
             "README.txt": "Hi support,\r\nthe quarterly script ran fine in July. Today it fails at startup. Log, env file and a screenshot attached.\r\nThanks, Petra (Finance IT)\r\n"},
     files=["q_report.log", ".env", "screenshot-models.png", "README.txt"],
     ticket="Quarterly report script fails right at the start since this morning, worked last quarter.",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="Default-level app log + .env with the key + screenshot + README. New API-style gateway (English i18n) answers GET /v1/models and POST /v1/chat/completions with 401 {\"error\":{\"code\":\"\",\"message\":\"This token has expired (request id: ...)\",\"type\":\"new_api_error\"}}."))

# 07 client-cache: never calls /models, hand-typed new model works
case(name="07-stale-dropdown", sdk=D, home="mei/email-drafts", script="drafts.py", hosts=["api.xunfeng-relay.com"],
     emulators=[{"profile": "newapi", "port": 9607, "server": "nginx", "lang": "zh", "models": ["gpt-5-mini", "claude-sonnet-4-5-20250929", "deepseek-v3.2", "gemini-2.5-flash"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9607", **TLS}],
     app=app("https://api.xunfeng-relay.com/v1", k48(), [{"op": "chat", "model": "deepseek-v3.2", "msg": "帮我回复客户关于延期交付的邮件"}, {"op": "chat", "model": "gpt-5-mini", "stream": True, "msg": "语气再正式一点"}], "email-drafts"),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="模型下拉里还是半年前那几个，新上的模型看不到，手动输入名字倒是能用",
     label=dict(cause="client-cache", symptom="model-list-empty",
                notes="SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR. No GET /v1/models at all in the session; hand-typed deepseek-v3.2 and gpt-5-mini (stream) both answer 200. The app shows a cached list."))

# 08 network-proxy: SSL inspection proxy, CA not trusted
case(name="08-branch-office", sdk=C, home="zhao/sales-helper", script="sales_helper.py", hosts=["api.lingxi-ai.com", "sslproxy.branch.hengtai.local"],
     mitm=[{"listen": 8443, "keep_host": False, "opts": ["upstream_cert=false", "connection_strategy=lazy"]}],
     app=app("https://api.lingxi-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "生成本周客户拜访计划", "tb": True}], "sales-helper", **quiet(), max_retries=1),
     **DEFAULT_LVL, env={"HTTPS_PROXY": "http://sslproxy.branch.hengtai.local:8443", "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"},
     rename={"sdk-debug.log": "sales_helper.log"}, files=["sales_helper.log.gz"],
     ticket="分公司电脑上销售助手连不上，模型列表出不来，总部那边同样配置是好的",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="Default-level app log (.gz) with tracebacks. HTTPS_PROXY=http://sslproxy.branch.hengtai.local:8443 is an SSL-inspecting proxy whose CA the machine does not trust: APIConnectionError caused by ssl.SSLCertVerificationError CERTIFICATE_VERIFY_FAILED for /v1/models and /v1/chat/completions. The gateway is never reached."))

# 09 client-cannot-list: bare JSON array
case(name="09-school-gateway", sdk=B, home="teach/quiz-maker", script="quiz.py", hosts=["llm.edu-yuying.cn"],
     emulators=[{"profile": "openai", "port": 9609, "server": "openresty", "headers": {}, "models": ["yi-lightning", "minimax-m1"],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "json": [{"id": "yi-lightning", "name": "Yi Lightning", "context_length": 16384}, {"id": "minimax-m1", "name": "MiniMax M1", "context_length": 1000000}]}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9609"}],
     app=app("http://llm.edu-yuying.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "yi-lightning", "msg": "出五道初二物理选择题"}], "quiz-maker"),
     bundle_dir="quiz-maker-support/logs", files=["quiz-maker-logs.zip:sdk-debug.log,capture.har"],
     ticket="出题助手的模型列表一直加载失败，但学校给的模型名直接填进去能用",
     label=dict(cause="client-cannot-list", symptom="model-list-empty",
                notes="SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR in a zip with nested folder. GET /v1/models answers 200 with a bare JSON array [{\"id\":...,\"name\":...,\"context_length\":...}] (no object/data wrapper); the SDK page can't be read. Chat with yi-lightning works."))

# 10 base-url-malformed: trailing space in the base URL
case(name="10-pasted-url", sdk=A, home="ravi/support-triage", script="triage.py", hosts=["api.qiancheng-ai.com"],
     emulators=[{"profile": "newapi", "port": 9610, "server": "nginx", "models": ["gpt-4.1-mini", "o4-mini"], "raw_path": True}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9610", **TLS}],
     app=app("https://api.qiancheng-ai.com/v1 ", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "Classify this ticket: printer offline again"}], "support-triage", transport_debug=False),
     env=CA, files=["sdk-debug.log"],
     ticket="Triage tool: models list fails and every classification returns an error, key is fine in curl.",
     label=dict(cause="base-url-malformed", symptom="model-list-empty",
                notes="OPENAI_LOG=debug, transport loggers off. base_url 'https://api.qiancheng-ai.com/v1 ' has a trailing space (pasted): requests go to /v1%20/models and /v1%20/chat/completions and New API answers 404 Invalid URL."))

# 11 base-url-includes-endpoint
case(name="11-pasted-endpoint", sdk=D, home="kim/product-copy", script="copy_gen.py", hosts=["api.tiangong-gw.com"],
     emulators=[{"profile": "newapi", "port": 9611, "server": "nginx", "lang": "zh", "models": ["doubao-seed-1.6", "glm-4.6"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9611", **TLS}],
     app=app("https://api.tiangong-gw.com/v1/chat/completions", k48(), [{"op": "list"}, {"op": "chat", "model": "doubao-seed-1.6", "msg": "给这款保温杯写三条卖点"}], "product-copy"),
     env=CA, files=["capture.har"],
     ticket="商品文案工具配好接口后模型列表空白，生成也失败，附抓包",
     label=dict(cause="base-url-includes-endpoint", symptom="model-list-empty",
                notes="HAR only. base_url https://api.tiangong-gw.com/v1/chat/completions: GET /v1/chat/completions/models and POST /v1/chat/completions/chat/completions answered 404 Invalid URL by the New API-style gateway."))

# 12 endpoint-unsupported: Responses API on One API
case(name="12-agent-sdk-upgrade", sdk=D, home="bo/research-agent", script="agent.py", hosts=["api.hongtu-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9612, "server": "nginx", "models": ["gpt-4.1", "gpt-4.1-mini", "text-embedding-3-small"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9612", **TLS}],
     app=app("https://api.hongtu-ai.com/v1", k48(), [{"op": "list"}, {"op": "embed", "model": "text-embedding-3-small", "input": ["quarterly churn drivers"]}, {"op": "responses", "model": "gpt-4.1", "msg": "List three churn drivers from the notes", "tb": True}, {"op": "chat", "model": "gpt-4.1", "msg": "List three churn drivers from the notes"}], "research-agent", **quiet(log_format=PLAIN3)),
     **DEFAULT_LVL, env=CA, rename={"sdk-debug.log": "agent.log"}, files=["agent.log", "capture.har"],
     ticket="After updating our agent framework, gpt-4.1 calls fail with 404 but the model is in the list.",
     label=dict(cause="endpoint-unsupported", symptom="model-not-found",
                notes="Default-level app log + HAR. The agent calls the Responses API POST /v1/responses, which the One API-style gateway does not serve (404 Invalid URL (POST /v1/responses)); GET /v1/models lists gpt-4.1; /v1/embeddings and /v1/chat/completions with gpt-4.1 work."))

# 13 request-body-invalid: text/plain content type overridden in default_headers
case(name="13-custom-headers", sdk=C, home="yang/faq-importer", script="importer.py", hosts=["api.jinshi-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9613, "server": "nginx", "models": ["qwen3-max", "qwen3-coder-plus"],
                 "rules": [{"method": "POST", "path": "^/v1/", "header": ["Content-Type", "^text/plain"], "status": 400, "json": {"error": {"message": "未指定模型名称，模型名称不能为空 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9613", **TLS}],
     app=app("https://api.jinshi-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-max", "msg": "把下面的FAQ改写成问答对"}], "faq-importer", default_headers={"Content-Type": "text/plain; charset=utf-8", "X-Client": "faq-importer/0.9"}),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="导入工具里模型明明选了 qwen3-max，接口却说没指定模型",
     label=dict(cause="request-body-invalid", symptom="model-not-found",
                notes="SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR. The app overrides Content-Type with text/plain in default_headers; the One API-style gateway does not read the JSON body and answers 400 '未指定模型名称，模型名称不能为空' although the body has model qwen3-max. /v1/models works."))

# 14 gateway-config: One API DB inconsistency
case(name="14-gateway-after-migration", sdk=B, home="hu/contract-summary", script="summary.py", hosts=["ai.zhongke-gw.com"],
     emulators=[{"profile": "oneapi", "port": 9614, "server": "nginx", "models": ["glm-4.6", "deepseek-v3.1", "kimi-k2-turbo-preview"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "kimi-k2-turbo-preview", "status": 503, "json": {"error": {"message": "数据库一致性已被破坏，请联系管理员 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9614", **TLS}],
     app=app("https://ai.zhongke-gw.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.6", "msg": "总结合同的付款条款"}, {"op": "chat", "model": "kimi-k2-turbo-preview", "msg": "总结合同的付款条款"}], "contract-summary", transport_debug=False),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="网关迁移后 kimi-k2-turbo-preview 一直报错，glm 正常，列表里两个都有",
     label=dict(cause="gateway-config", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) + HAR. One API-style gateway lists kimi-k2-turbo-preview but answers 503 '数据库一致性已被破坏，请联系管理员' for it (retried by the SDK); glm-4.6 works. Operator must fix abilities/channels."))

# 15 azure-deployment-mismatch
case(name="15-azure-east", sdk=C, home="nora/hr-policy-bot", script="policy_bot.py", hosts=["nordwerk-ai-eastus2.openai.azure.com"],
     emulators=[{"profile": "azure", "port": 9615, "tls": False,
                 "rules": [{"path": "^/openai/deployments/hr-gpt4o-prod/", "kind": "ok"},
                           {"path": "^/openai/deployments/", "status": 404, "json": {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}}],
                 "models": []}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9615", **TLS}],
     app={"logger": "hr-policy-bot", "app_name": "hr-policy-bot", "api_key": hexk(32), "azure": {"endpoint": "https://nordwerk-ai-eastus2.openai.azure.com", "api_version": "2024-10-21"},
          "steps": [{"op": "chat", "model": "gpt-4o", "msg": "How many vacation days after 5 years?"}, {"op": "chat", "model": "gpt-4o", "msg": "And for part-time staff?"}], "transport_debug": False},
     env=CA, bundle_dir="hr-bot-logs", files=["hr-bot-logs.tar:sdk-debug.log"],
     ticket="HR policy bot on Azure says the deployment doesn't exist, but gpt-4o is deployed in our resource.",
     label=dict(cause="azure-deployment-mismatch", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) in a plain .tar with a folder. AzureOpenAI client sends model gpt-4o -> /openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21 -> 404 DeploymentNotFound; the deployment is named hr-gpt4o-prod."))

# 16 model-name-case: SiliconFlow
case(name="16-siliconflow-lowercase", sdk=D, home="tao/novel-outline", script="outline.py", hosts=["api.siliconflow.cn"],
     emulators=[{"profile": "openai", "port": 9616, "headers": {}, "owned_by": "", "models": ["deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1", "Qwen/Qwen3-32B", "THUDM/GLM-4-9B-0414"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "deepseek-ai/deepseek-v3", "status": 400, "json": {"code": 20012, "message": "Model does not exist. Please check it carefully.", "data": None}}]}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9616", **TLS}],
     app=app("https://api.siliconflow.cn/v1", sf_key(), [{"op": "list"}, {"op": "chat", "model": "deepseek-ai/deepseek-v3", "msg": "帮我写一个悬疑小说的大纲"}], "novel-outline"),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="用硅基流动的 key，调用 deepseek v3 返回 400，别的工具里好像可以",
     label=dict(cause="model-name-case", symptom="model-not-found",
                notes="SDK log (debug + transport) + HAR. SiliconFlow-style list has deepseek-ai/DeepSeek-V3; the app sends deepseek-ai/deepseek-v3 -> 400 {\"code\":20012,\"message\":\"Model does not exist. Please check it carefully.\",\"data\":null} (no error wrapper)."))

# 17 model-name-suffix: OpenRouter :free variant gone
case(name="17-openrouter-free", sdk=B, home="sam/discord-bot", script="bot.py", hosts=["openrouter.ai"],
     emulators=[{"profile": "openai", "port": 9617, "headers": {}, "prefix": "/api/v1", "server": "cloudflare", "models": ["qwen/qwen3-235b-a22b-2507", "z-ai/glm-4.5-air", "moonshotai/kimi-k2"],
                 "rules": [{"method": "POST", "path": "^/api/v1/chat/completions", "model": ".*:free", "status": 404, "json": {"error": {"message": "No endpoints found for {model}.", "code": 404}, "user_id": "user_2vQk8dHf3LbX7nR1pZtYw0aMcEs"}}]}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9617", **TLS}],
     app=app("https://openrouter.ai/api/v1", or_key(), [{"op": "list"}, {"op": "chat", "model": "z-ai/glm-4.5-air:free", "msg": "hey bot, summarise the last 20 messages"}], "discord-bot"),
     env=CA, bundle_dir="Downloads/bot-debug", files=["bot-debug.zip:capture.har"],
     ticket="discord bot stopped answering overnight, openrouter says no endpoints found",
     label=dict(cause="model-name-suffix", symptom="model-not-found",
                notes="HAR only, zip with nested folder. OpenRouter-style list has z-ai/glm-4.5-air (no :free variant any more); the bot asks for z-ai/glm-4.5-air:free -> 404 {\"error\":{\"message\":\"No endpoints found for z-ai/glm-4.5-air:free.\",\"code\":404}}."))

# 18 model-name-legacy-alias: Moonshot retired preview
case(name="18-kimi-preview", sdk=C, home="ning/meeting-bot", script="meeting.py", hosts=["api.moonshot.cn"],
     emulators=[{"profile": "openai", "port": 9618, "headers": {}, "owned_by": "moonshot", "models": ["kimi-k2-0905-preview", "kimi-k2-turbo-preview", "moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k", "kimi-latest"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "kimi-k2-0711-preview", "status": 404, "json": {"error": {"message": "Not found the model kimi-k2-0711-preview or Permission denied", "type": "resource_not_found_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9618", **TLS}],
     app=app("https://api.moonshot.cn/v1", ms_key(), [{"op": "list"}, {"op": "chat", "model": "kimi-k2-0711-preview", "msg": "整理一下今天会议的待办事项", "tb": True}], "meeting-bot", **quiet()),
     **DEFAULT_LVL, env=CA, rename={"sdk-debug.log": "meeting-bot.log"}, files=["meeting-bot.log.gz"],
     ticket="会议机器人今天开始报 404，说找不到模型，之前一直好好的",
     label=dict(cause="model-name-legacy-alias", symptom="model-not-found",
                notes="Default-level app log (.gz). Moonshot-style: list has kimi-k2-0905-preview etc.; retired kimi-k2-0711-preview -> 404 'Not found the model kimi-k2-0711-preview or Permission denied' (resource_not_found_error)."))

# 19 model-name-marketing: DeepSeek R1 display name
case(name="19-reasoning-button", sdk=A, home="lucy/study-notes", script="notes.py", hosts=["api.deepseek.com"],
     emulators=[{"profile": "openai", "port": 9619, "headers": {}, "owned_by": "deepseek", "models": ["deepseek-chat", "deepseek-reasoner"],
                 "rules": [{"method": "POST", "path": "^/chat/completions|^/v1/chat/completions", "model": "DeepSeek-R1", "status": 400, "json": {"error": {"message": "Model Not Exist", "type": "invalid_request_error", "param": None, "code": "invalid_request_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9619", **TLS}],
     app=app("https://api.deepseek.com/v1", ds_key(), [{"op": "list"}, {"op": "chat", "model": "deepseek-chat", "msg": "Explain entropy simply"}, {"op": "chat", "model": "DeepSeek-R1", "msg": "Explain entropy simply, think step by step"}], "study-notes", transport_debug=False),
     env=CA, rename={"sdk-debug.log": "study-notes-debug.log"}, crlf=["study-notes-debug.log"], winroot="C:/Users/lucy/study-notes",
     files=["study-notes-debug.log"],
     ticket="Normal mode works but when I switch to the R1 reasoning model I get 400 Model Not Exist",
     label=dict(cause="model-name-marketing", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off), CRLF, Windows paths. DeepSeek-style list deepseek-chat, deepseek-reasoner; app sends display name DeepSeek-R1 -> 400 'Model Not Exist'. deepseek-chat works. Fix: deepseek-reasoner."))

# 20 client-default-model: LM Studio rejects the app's built-in default
case(name="20-local-summarizer", sdk=C, home="felix/rss-digest", script="digest.py", hosts=["lmstudio.home.arpa"],
     emulators=[{"profile": "openai", "port": 9620, "headers": {}, "owned_by": "organization_owner", "models": ["google/gemma-3-12b", "text-embedding-nomic-embed-text-v1.5"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "gpt-4o-mini", "status": 400, "json": {"error": {"message": "Invalid model identifier \"gpt-4o-mini\". Please specify a valid downloaded model (e.g., google/gemma-3-12b, text-embedding-nomic-embed-text-v1.5).", "type": "invalid_request_error", "param": "model", "code": "model_not_found"}}}]}],
     mitm=[{"listen": 1234, "mode": "reverse:http://127.0.0.1:9620"}],
     app=app("http://lmstudio.home.arpa:1234/v1", "lm-studio", [{"op": "chat", "model": "gpt-4o-mini", "msg": "Digest these 12 RSS items into 5 bullets"}, {"op": "chat", "model": "gpt-4o-mini", "msg": "Digest these 9 RSS items into 5 bullets"}], "rss-digest", **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "rss-digest.log"},
     extras={"config.yaml": "# rss-digest configuration\nllm:\n  base_url: http://lmstudio.home.arpa:1234/v1\n  api_key: lm-studio\n  # model: \nfeeds:\n  - https://hnrss.org/frontpage\n  - https://lwn.net/headlines/rss\nschedule: \"0 7 * * *\"\n"},
     files=["rss-digest.log", "config.yaml"],
     ticket="rss-digest with LM Studio: every run ends with 400 invalid model identifier",
     label=dict(cause="client-default-model", symptom="model-not-found",
                notes="Default-level app log + config.yaml with no model set. The app falls back to its default gpt-4o-mini; LM Studio-style server answers 400 'Invalid model identifier \"gpt-4o-mini\"...' code model_not_found. Loaded model is google/gemma-3-12b."))

# 21 key-group-no-access: New API zh token whitelist
case(name="21-outsourced-team", sdk=A, home="wu/code-review", script="review.py", hosts=["api.yunqi-relay.com"],
     emulators=[{"profile": "newapi", "port": 9621, "server": "nginx", "lang": "zh", "models": ["gpt-5", "gpt-5-mini", "claude-opus-4-1-20250805", "qwen3-coder-plus"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "claude-opus-4-1-20250805", "status": 403, "json": {"error": {"code": "", "message": "该令牌无权访问模型 claude-opus-4-1-20250805 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9621", **TLS}],
     app=app("https://api.yunqi-relay.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-coder-plus", "msg": "review this diff"}, {"op": "chat", "model": "claude-opus-4-1-20250805", "msg": "review this diff"}], "code-review"),
     env=CA, bundle_dir="", files=["review-logs.tar:sdk-debug.log"],
     ticket="外包同事的令牌用 claude-opus-4-1 做代码评审一直 403，模型列表里能看到",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="SDK log (debug + transport) in plain tar. New API-style (zh): list shows claude-opus-4-1-20250805 but the token is not allowed it: 403 '该令牌无权访问模型 claude-opus-4-1-20250805'. qwen3-coder-plus works."))

# 22 insufficient-balance: long run then DeepSeek 402
case(name="22-nightly-tagging", sdk=B, home="data/ticket-tagger", script="tagger.py", hosts=["api.deepseek.com"],
     emulators=[{"profile": "openai", "port": 9622, "headers": {}, "owned_by": "deepseek", "models": ["deepseek-chat", "deepseek-reasoner"],
                 "rules": [{"method": "POST", "path": "^/chat/completions", "kind": "ok", "times": 2600},
                           {"method": "POST", "path": "^/chat/completions", "status": 402, "json": {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None, "code": "invalid_request_error"}}}],
                 "prefix": ""}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9622", **TLS}],
     app=app("https://api.deepseek.com", ds_key(), [{"op": "list"}, {"op": "repeat", "n": 2604, "steps": [{"op": "chat", "model": "deepseek-chat", "msg": "Tag this support ticket: refund not received", "max_tokens": 16}]}], "ticket-tagger", **quiet(log_format=PLAIN3)),
     **DEFAULT_LVL, env=CA, rename={"sdk-debug.log": "tagger.log"}, files=["tagger.log.gz"],
     ticket="Nightly tagging job stopped halfway, last items all failed with model errors.",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="Very long default-level app log (.gz): ~2600 successful deepseek-chat calls, then 402 {\"error\":{\"message\":\"Insufficient Balance\",...}} for the remaining calls. Base https://api.deepseek.com (no /v1, valid for DeepSeek)."))

# 23 upstream-unavailable: One API group saturated 429
case(name="23-peak-hours", sdk=D, home="ke/live-subtitles", script="subtitles.py", hosts=["api.xingyao-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9623, "server": "nginx", "models": ["qwen3-max", "qwen-mt-turbo", "glm-4.5-flash"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "qwen-mt-turbo", "status": 429, "json": {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9623", **TLS}],
     app=app("https://api.xingyao-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.5-flash", "msg": "ping"}, {"op": "chat", "model": "qwen-mt-turbo", "msg": "Translate: 大家晚上好，欢迎来到直播间"}], "live-subtitles", transport_debug=False),
     env=CA, files=["sdk-debug.log.gz", "capture.har.gz"],
     ticket="直播字幕晚上高峰时 qwen-mt-turbo 调不通，白天测试是好的",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) + HAR, both .gz. One API-style: qwen-mt-turbo listed, but answers 429 '当前分组上游负载已饱和，请稍后再试' (SDK retries twice); glm-4.5-flash works."))

# 24 wrong-base-url: chat client left at api.openai.com
k24 = k48()
case(name="24-second-client", sdk=C, home="eva/kb-chat", script="kb_chat.py", hosts=["api.haixing-gw.com", "api.openai.com"],
     emulators=[{"profile": "newapi", "port": 9624, "server": "nginx", "models": ["glm-4.6", "bge-m3"]},
                {"profile": "openai", "port": 9625, "models": ["gpt-4o", "gpt-4o-mini"]}],
     mitm=[{"listen": 443, "modes": ["reverse:https://127.0.0.1:9624@8443", "reverse:http://127.0.0.1:9625@443"], **TLS}],
     app=app("https://api.haixing-gw.com:8443/v1", k24, [{"op": "list"}, {"op": "embed", "model": "bge-m3", "input": ["How do I reset my password?"]}, {"op": "client", "purpose": "chat", "base_url": None, "max_retries": 0}, {"op": "chat", "model": "glm-4.6", "msg": "How do I reset my password?"}], "kb-chat"),
     env=CA, files=["sdk-debug.log"],
     ticket="知识库问答：列表和向量检索都正常，一到回答就说 glm-4.6 不存在",
     label=dict(cause="wrong-base-url", symptom="model-not-found",
                notes="SDK log (debug + transport). List and embeddings go to https://api.haixing-gw.com:8443/v1 (New API-style, lists glm-4.6); the chat client was built without base_url and sends glm-4.6 to https://api.openai.com/v1 -> 404 'The model `glm-4.6` does not exist or you do not have access to it.' (OpenAI shape)."))

# 25 model-not-in-catalog: vLLM typo
case(name="25-served-name-typo", sdk=B, home="lab/eval-harness", script="run_eval.py", hosts=["a800-node2.lab.xjtu-ai.cn"],
     emulators=[{"profile": "vllm", "port": 9626, "server": "uvicorn", "models": ["qwen2.5-72b-instruct"], "root": "/mnt/models/Qwen2.5-72B-Instruct"}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9626"}],
     app=app("http://a800-node2.lab.xjtu-ai.cn:8000/v1", "EMPTY", [{"op": "list"}, {"op": "chat", "model": "qwen2.5-72b-instrcut", "msg": "Q: 17*23=? A:", "max_tokens": 8}], "eval-harness", transport_debug=False),
     bundle_dir="eval-bug", extras={"README.txt": "eval run 2026-12-05, node2, see sdk-debug.log\n"},
     files=["eval-bug.zip:sdk-debug.log,README.txt"],
     ticket="评测脚本连 node2 的 vLLM 报模型不存在，服务刚重启过",
     label=dict(cause="model-not-in-catalog", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) + README in a zip with nested folder. vLLM lists qwen2.5-72b-instruct; the script sends the typo qwen2.5-72b-instrcut -> 404 'The model `qwen2.5-72b-instrcut` does not exist.' (NotFoundError)."))

# 26-28 no-problem
case(name="26-ollama-home-ok", sdk=D, home="max/recipe-bot", script="recipes.py", hosts=["nas.home.lan"],
     emulators=[{"profile": "ollama", "port": 9627, "models": ["llama3.2:3b", "gemma3:4b"]}],
     mitm=[{"listen": 11434, "mode": "reverse:http://127.0.0.1:9627"}],
     app=app("http://nas.home.lan:11434/v1", "ollama", [{"op": "list"}, {"op": "chat", "model": "gemma3:4b", "msg": "Dinner idea with leeks and potatoes"}, {"op": "chat", "model": "llama3.2:3b", "stream": True, "msg": "Shopping list for that"}], "recipe-bot"),
     files=["capture.har"],
     ticket="recipe bot on my NAS, can you check the capture, want to be sure the setup is right before I share it",
     label=dict(cause="no-problem", symptom="none",
                notes="HAR only. Ollama-style /v1/models lists llama3.2:3b, gemma3:4b; both chats (one streaming) 200."))
case(name="27-openrouter-ok", sdk=C, home="ines/travel-faq", script="faq.py", hosts=["openrouter.ai"],
     emulators=[{"profile": "openai", "port": 9628, "headers": {}, "prefix": "/api/v1", "server": "cloudflare", "models": ["openai/gpt-5-mini", "google/gemini-2.5-flash", "mistralai/mistral-small-3.2-24b-instruct"]}],
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:9628", **TLS}],
     app=app("https://openrouter.ai/api/v1", or_key(), [{"op": "list"}, {"op": "chat", "model": "google/gemini-2.5-flash", "msg": "Do I need a visa for Japan with an EU passport?"}], "travel-faq", transport_debug=False),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="Travel FAQ widget sometimes feels slow, logs attached, anything wrong in there?",
     label=dict(cause="no-problem", symptom="none",
                notes="OPENAI_LOG=debug (transport off) + HAR. OpenRouter-style list and chat with google/gemini-2.5-flash, all 200."))
case(name="28-office-pc-ok", sdk=A, home="chen/report-polish", script="polish.py", hosts=["api.ruiming-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9629, "server": "nginx", "models": ["deepseek-v3.1", "qwen-plus", "glm-4.5"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9629", **TLS}],
     app=app("https://api.ruiming-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "润色这段工作总结"}, {"op": "chat", "model": "deepseek-v3.1", "msg": "再精简到200字"}], "report-polish", **quiet(log_format=PLAIN3)),
     **DEFAULT_LVL, env=CA, rename={"sdk-debug.log": "report-polish.log"}, crlf=["report-polish.log"], winroot="C:/Users/chen/report-polish",
     extras={"screenshot.png": "copy:assets/translate-ok.png"},
     files=["report-polish.log", "screenshot.png"],
     ticket="同事说我这边模型用不了，我自己试是正常的，日志和截图附上帮忙确认一下",
     label=dict(cause="no-problem", symptom="none",
                notes="Default-level app log (CRLF) + screenshot. One API-style: list 3 models, chats with qwen-plus and deepseek-v3.1 200."))

def litellm_cfg(models, master):
    out = "model_list:\n"
    for name, target, base in models:
        out += "  - model_name: %s\n    litellm_params:\n      model: %s\n      api_base: %s\n      api_key: sk-upstream-%s\n" % (name, target, base, hexk(24))
    out += "litellm_settings:\n  drop_params: true\n  request_timeout: 20\n"
    out += "general_settings:\n  master_key: %s\n" % master
    return out

LL29 = "sk-" + hexk(24)
case(name="29-gateway-log-capitals", sdk=D, home="svc/ticket-router", script="router.py", hosts=["llm.kangning-med.com"],
     emulators=[{"profile": "vllm", "port": 9630, "server": "uvicorn", "models": ["qwen3-30b-a3b", "bge-reranker-v2-m3"]}],
     litellm={"port": 15029, "config": litellm_cfg([("qwen3-30b-a3b", "hosted_vllm/qwen3-30b-a3b", "http://127.0.0.1:9630/v1")], LL29)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15029"}],
     app=app("http://llm.kangning-med.com:4000/v1", LL29, [{"op": "list"}, {"op": "chat", "model": "Qwen3-30B-A3B", "msg": "Route this ticket: MRI appointment reschedule"}], "ticket-router"),
     files=["gateway.log"],
     ticket="Gateway log from our LiteLLM box, the ticket router gets 400 on every request since the config change",
     label=dict(cause="model-name-case", symptom="model-not-found",
                notes="LiteLLM gateway log only (real LiteLLM 1.108.7, --detailed_debug). model_list has qwen3-30b-a3b; the client sends Qwen3-30B-A3B and LiteLLM answers 400 'Invalid model name passed in model=Qwen3-30B-A3B'. /v1/models 200 lists qwen3-30b-a3b."))

LL30 = "sk-" + hexk(24)
case(name="30-gateway-log-401", sdk=B, home="svc/voice-notes", script="voice.py", hosts=["ai-proxy.beiyang-logistics.com"],
     emulators=[{"profile": "openai", "port": 9631, "models": ["glm-4.5-air", "qwen3-8b"]}],
     litellm={"port": 15030, "config": litellm_cfg([("glm-4.5-air", "openai/glm-4.5-air", "http://127.0.0.1:9631/v1"), ("qwen3-8b", "openai/qwen3-8b", "http://127.0.0.1:9631/v1")], LL30)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15030"}],
     app=app("http://ai-proxy.beiyang-logistics.com:4000/v1", "not-needed", [{"op": "list"}, {"op": "chat", "model": "glm-4.5-air", "msg": "转写摘要：司机反馈车辆在高速服务区抛锚"}], "voice-notes"),
     files=["gateway.log.gz"],
     ticket="语音笔记服务连公司代理后模型列表为空，代理日志在附件",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="LiteLLM gateway log only (.gz, real LiteLLM 1.108.7, --detailed_debug, master key only). The client still sends the placeholder key 'not-needed' (from a local-server template) instead of the proxy key: GET /v1/models and POST /v1/chat/completions rejected 401 by LiteLLM auth ('LiteLLM Virtual Key expected. Received=not-needed, expected to start with 'sk-'.')."))

os.makedirs(os.path.join(W2, "specs"), exist_ok=True)
for s in S:
    for m in s.get("mitm", []):
        if "ssl_insecure=true" in m.get("opts", []):
            if m.get("mode"): m["mode"] = m["mode"].replace("reverse:http://", "reverse:https://")
            m["modes"] = [x.replace("reverse:http://", "reverse:https://") for x in m.get("modes", [])]
            for e in s.get("emulators", []): e["tls"] = True
    json.dump(s, open(os.path.join(W2, "specs", s["name"] + ".json"), "w"), ensure_ascii=False, indent=1)
print(len(S))
