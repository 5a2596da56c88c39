#!/usr/bin/env python3
"""Write one spec JSON per case into specs/."""
import json, os, random, string

random.seed(20261206)
A, B, C, D = "1.47.1", "1.99.9", "2.41.0", "3.63.0"
W = os.environ.get("CAPTURE_WORK", os.path.dirname(os.path.abspath(__file__)))
CA = {"SSL_CERT_FILE": W + "/ca/ca-certificates.crt"}


def k48():
    return "sk-" + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(48))


def k22():
    return "sk-" + "".join(random.choice(string.ascii_letters + string.digits + "_-") for _ in range(22))


def hexk(n):
    return "".join(random.choice("0123456789abcdef") for _ in range(n))


def rp(port):
    return {"listen": port, "mode": "reverse:http://127.0.0.1:%d" % port}


S = []


def case(**kw):
    S.append(kw)


def app(base, key, steps, logger="app", **kw):
    d = {"logger": logger, "app_name": logger, "base_url": base, "api_key": key, "steps": steps}
    d.update(kw)
    return d


def litellm_cfg(models, master, extra=""):
    out = "model_list:\n"
    for name, target, base in models:
        out += "  - model_name: %s\n    litellm_params:\n      model: %s\n      api_base: %s\n      api_key: sk-upstream-%s\n" % (name, target, base, hexk(24))
    out += "litellm_settings:\n  drop_params: true\n  request_timeout: 20\n" + extra
    out += "general_settings:\n  master_key: %s\n" % master
    return out


# ---------------------------------------------------------------- model-list-empty side
case(name="01-desktop-client-empty", sdk=A, home="lina/deskchat", script="main.py",
     emulators=[{"profile": "newapi", "port": 9301, "server": "nginx/1.26.2", "title": "TokenHub",
                 "models": ["qwen3-max", "qwen3-coder-plus", "deepseek-v3.2", "glm-4.6", "text-embedding-v4"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9301"}],
     app=app("http://api.tokenhub.cn", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-max", "msg": "帮我总结一下这段会议纪要"}], "deskchat"),
     files=["sdk-debug.log", "capture.har"],
     ticket="桌面客户端里模型列表是空的，接口地址填的是 http://api.tokenhub.cn ，发消息也报错",
     label=dict(cause="base-url-missing-version", symptom="model-list-empty",
                notes="base_url is the gateway root http://api.tokenhub.cn (no /v1). The New API-style gateway serves its web console (200 text/html index page) for /models and /chat/completions; the SDK cannot parse JSON (AttributeError '_set_private_attributes', then 'str' object has no attribute 'choices'). Fix: http://api.tokenhub.cn/v1."))

case(name="02-ide-plugin-no-models", sdk=D, home="marco/code-assist", script="plugin_host.py",
     emulators=[{"profile": "openai", "port": 9302, "headers": {}, "server": "nginx/1.24.0 (Ubuntu)",
                 "models": ["mistral-large-latest", "mistral-small-latest", "codestral-latest", "mistral-embed"],
                 "owned_by": "mistralai",
                 "rules": [{"path": "^/(?!v1/)", "kind": "nginx", "status": 404}]}],
     mitm=[{"listen": 8080, "mode": "reverse:http://127.0.0.1:9302"}],
     app=app("http://gw.lingxi-ai.net:8080", k48(), [{"op": "list"}, {"op": "chat", "model": "codestral-latest", "msg": "Refactor this function to use a dataclass", "stream": True}], "codeassist"),
     files=["sdk-debug.log.gz", "capture.har"],
     ticket="IDE plugin: the model picker is empty and completions fail with a 404. Endpoint configured as http://gw.lingxi-ai.net:8080 with the key you sent us.",
     label=dict(cause="base-url-missing-version", symptom="model-list-empty",
                notes="base_url http://gw.lingxi-ai.net:8080 has no /v1. The reseller's nginx only proxies /v1/ to the API; /models and /chat/completions get nginx's own 404 HTML page. Fix: append /v1."))

case(name="03-docs-endpoint-pasted", sdk=C, home="ops/kb-bot", script="bot.py",
     emulators=[{"profile": "oneapi", "port": 9303, "server": "nginx",
                 "models": ["deepseek-v3.2", "deepseek-r1", "qwen3-235b-a22b", "bge-m3"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9303"}],
     app=app("http://api.aigc-relay.com/v1/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.2", "stream": True, "msg": "公司年假制度是怎样的？"}], "kb-bot"),
     files=["sdk-debug.log"],
     ticket="知识库机器人拉不到模型列表，对话也一直 404，接口地址是按文档复制的",
     label=dict(cause="base-url-duplicated-version", symptom="model-list-empty",
                notes="OPENAI_BASE_URL was set to http://api.aigc-relay.com/v1/v1 (docs URL + /v1 appended by the deploy script). One API-style gateway answers 404 'Invalid URL (GET /v1/v1/models)' and 'Invalid URL (POST /v1/v1/chat/completions)'. Fix: http://api.aigc-relay.com/v1."))

case(name="04-console-url", sdk=B, home="chen/notes-ai", script="sync_models.py",
     emulators=[{"profile": "openai", "port": 9304, "headers": {}, "server": "openresty", "title": "魔方AI 控制台", "asset": "Cq81uZ0f",
                 "rules": [{"path": "^/v1/", "status": 302, "text": "", "ctype": "text/html; charset=utf-8",
                            "headers": {"Location": "/login?redirect={qpath}", "Set-Cookie": "mf_session=; Path=/; HttpOnly"}},
                           {"path": "^/login", "kind": "spa"}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9304"}],
     app=app("http://console.mofang-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.6", "msg": "整理一下这周的笔记"}], "notes-ai"),
     files=["sdk-debug.log", "capture.har.gz"],
     ticket="笔记插件获取模型失败，日志里是 JSON 解析错误，接口地址填的是 http://console.mofang-ai.com/v1",
     label=dict(cause="base-url-wrong-host", symptom="model-list-empty",
                notes="base_url uses the web console host console.mofang-ai.com instead of the API host. Every /v1/* request is 302-redirected to /login, which returns the console SPA (200 text/html); the SDK follows the redirect and fails to parse HTML."))

case(name="05-vendor-proxy-list", sdk=D, home="svc/ticket-triage", script="triage.py",
     emulators=[{"profile": "openai", "port": 9305, "headers": {}, "server": "uvicorn",
                 "models": ["moonshot-v1-32k", "moonshot-v1-128k", "kimi-k2-turbo-preview"],
                 "rules": [{"method": "GET", "path": "^/v1/models", "json": {"detail": "Not Found"}, "status": 404}]}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9305"}],
     app=app("http://api.fastllm.dev:8000/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "moonshot-v1-32k", "msg": "Classify this ticket: printer offline"}, {"op": "chat", "model": "moonshot-v1-32k", "stream": True, "msg": "Summarise: VPN drops every hour"}], "triage"),
     files=["sdk-debug.log", "capture.har"],
     ticket="The models dropdown in our triage service is empty, but when I hard-code moonshot-v1-32k the calls go through. Is something wrong with our account?",
     label=dict(cause="models-endpoint-unsupported", symptom="model-list-empty",
                notes="Correct base_url http://api.fastllm.dev:8000/v1. The vendor's FastAPI proxy has no GET /v1/models route (404 {\"detail\":\"Not Found\"}), while POST /v1/chat/completions with the hand-typed moonshot-v1-32k works (plain and streaming)."))

case(name="06-trial-key-empty", sdk=A, home="amy/homework-helper", script="app.py",
     emulators=[{"profile": "oneapi", "port": 9306, "server": "nginx", "models": []}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9306"}],
     app=app("http://ai.yunqiao.com/v1", k48(), [{"op": "list"}, {"op": "sleep", "s": 1.5}, {"op": "list"}], "helper"),
     files=["capture.har"],
     ticket="新申请的试用 key，模型列表一个都没有，也没有报错，刷新了几次还是空的",
     label=dict(cause="key-group-no-models", symptom="model-list-empty",
                notes="One API-style gateway; the trial key's group has no enabled channel, so GET /v1/models answers 200 {\"object\":\"list\",\"data\":[]} on both refreshes. No error anywhere."))

k07 = k48()
case(name="07-token-stopped-working", sdk=C, bundle_dir="wxbot-logs", home="wang/wechat-bot", script="bot.py",
     emulators=[{"profile": "oneapi", "port": 9307, "server": "nginx", "keys": [k48()], "auth_msg": "该令牌已过期",
                 "models": ["qwen3-max", "qwen-plus", "qwen-turbo"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9307"}],
     app=app("http://llm.hanfeng.tech/v1", k07, [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "早上好"}], "wxbot"),
     files=["bundle.zip:sdk-debug.log,capture.har"],
     ticket="微信机器人从今天早上开始拉不到模型，之前一直好好的，什么都没改",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="One API-style gateway; the token has expired. GET /v1/models and the chat call both get 401 '该令牌已过期 (request id: ...)' type one_api_error."))

k08 = "sk-" + hexk(32)
case(name="08-direct-provider-key", sdk=B, home="ravi/research-notebook", script="nb_client.py",
     emulators=[{"profile": "openai", "port": 9308, "tls": True, "server": "CW", "headers": {},
                 "rules": [{"path": "^/", "status": 401, "json": {"error": {"message": "Authentication Fails, Your api key: ****%s is invalid" % k08[-4:], "type": "authentication_error", "param": None, "code": "invalid_request_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9308", "opts": ["ssl_insecure=true"]}],
     app=app("https://api.deepseek.com/v1", k08, [{"op": "list"}, {"op": "chat", "model": "deepseek-chat", "msg": "Explain the attention mechanism in two sentences"}], "notebook"),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="Model list comes back empty in our notebook tool with DeepSeek configured, chat fails too. Key was copied from the platform page last month.",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="DeepSeek platform directly (https://api.deepseek.com/v1); the key was revoked. Both calls 401 'Authentication Fails, Your api key: ****xxxx is invalid' type authentication_error."))

case(name="09-typed-model-works", sdk=D, home="jun/ops-copilot", script="copilot.py",
     emulators=[{"profile": "newapi", "port": 9309, "server": "nginx", "models": ["deepseek-v3.2", "deepseek-r1", "qwen3-max", "glm-4.6"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9309"}],
     app=app("http://api.zhizhen-ai.cn/v1", k48(), [{"op": "chat", "model": "deepseek-v3.2", "stream": True, "msg": "检查一下这段 nginx 配置"}, {"op": "chat", "model": "deepseek-v3.2", "msg": "给出修改建议"}], "copilot"),
     files=["sdk-debug.log", "capture.har"],
     ticket="客户端里模型列表是空的，但手动填 deepseek-v3.2 可以正常对话，列表怎么才能出来？",
     label=dict(cause="client-cache", symptom="model-list-empty",
                notes="No GET /models request in the capture at all; the hand-typed deepseek-v3.2 works (streaming and non-streaming). The client shows its stale cached list and never re-fetched it."))

case(name="10-office-network", sdk=B, home="lee/sales-assistant", script="assistant.py",
     emulators=[],
     mitm=[{"listen": 3128, "scripts": ["squid_proxy.py"], "keep_host": False}],
     app=app("http://ai.yunqiao.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "doubao-seed-1-6-250615", "msg": "Draft a follow-up email"}], "sales-assistant"),
     env={"HTTP_PROXY": "http://bgw-proxy02.hanfeng.local:3128", "HTTPS_PROXY": "http://bgw-proxy02.hanfeng.local:3128", "NO_PROXY": "localhost,127.0.0.1,.hanfeng.local"},
     files=["sdk-debug.log", "capture.har"],
     ticket="In the office the model list is empty and chat fails, from home on my own wifi everything works.",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="HTTP_PROXY/HTTPS_PROXY point at the corporate Squid bgw-proxy02.hanfeng.local:3128 (mitmproxy + script playing Squid), which denies the gateway's domain: 403 ERR_ACCESS_DENIED HTML page with Via/X-Squid-Error headers. The gateway is never reached; the HAR is the proxy's."))

case(name="11-list-zero", sdk=C, home="sara/translator", script="translate.py",
     emulators=[{"profile": "openai", "port": 9311, "headers": {}, "server": "Tengine",
                 "models": ["gemini-2.5-flash", "gemini-2.5-pro", "claude-sonnet-4-5"],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "json": {"code": 0, "msg": "success", "result": {"total": 3, "items": [{"model": "gemini-2.5-flash", "vendor": "google"}, {"model": "gemini-2.5-pro", "vendor": "google"}, {"model": "claude-sonnet-4-5", "vendor": "anthropic"}]}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9311"}],
     app=app("http://chat-api.beyondx.io/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gemini-2.5-flash", "stream": True, "msg": "Translate to German: the shipment is delayed"}], "translator"),
     files=["sdk-debug.log", "capture.har"],
     ticket="GET /v1/models gives 200 but our translator shows 0 models. Typing gemini-2.5-flash manually works.",
     label=dict(cause="client-cannot-list", symptom="model-list-empty",
                notes="The gateway answers GET /v1/models with 200 {\"code\":0,\"msg\":\"success\",\"result\":{\"total\":3,\"items\":[...]}} instead of an OpenAI list; the SDK finds no 'data' array and yields 0 models without an error. Hand-typed gemini-2.5-flash streams fine."))

case(name="12-env-url", sdk=A, home="deploy/faq-service", script="service.py",
     emulators=[{"profile": "newapi", "port": 9312, "models": ["glm-4.6", "qwen3-max"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9312"}],
     app=app("api.modelverse.cc/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.6", "msg": "退货政策是什么"}], "faq-service", max_retries=2),
     files=["sdk-debug.log"],
     ticket="FAQ 服务部署到新服务器后模型列表为空，日志里只看到 Connection error，浏览器打开你们网站是正常的",
     label=dict(cause="base-url-malformed", symptom="model-list-empty",
                notes="OPENAI_BASE_URL on the new server is 'api.modelverse.cc/v1' (no http:// or https:// scheme). httpx refuses the URL (UnsupportedProtocol: missing an 'http://' or 'https://' protocol), the SDK retries and raises APIConnectionError; nothing leaves the machine, so there is no HAR."))

case(name="13-endpoint-in-base", sdk=D, home="kevin/slack-summarizer", script="summarize.py",
     emulators=[{"profile": "newapi", "port": 9313, "server": "nginx", "models": ["claude-sonnet-4-5", "gpt-5-mini", "deepseek-v3.2"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9313"}],
     app=app("http://relay.openkey.cloud/v1/chat/completions", k48(), [{"op": "list"}, {"op": "chat", "model": "claude-sonnet-4-5", "msg": "Summarise today's #incidents channel"}], "summarizer"),
     files=["sdk-debug.log.gz", "capture.har"],
     ticket="Slack summarizer: no models listed and every call is a 404 Invalid URL. We use the endpoint exactly as shown in your dashboard.",
     label=dict(cause="base-url-includes-endpoint", symptom="model-list-empty",
                notes="base_url was set to the full endpoint http://relay.openkey.cloud/v1/chat/completions, so the SDK calls /v1/chat/completions/models and /v1/chat/completions/chat/completions; the New API-style gateway answers 404 'Invalid URL (...)' for both. Fix: base_url http://relay.openkey.cloud/v1."))

# ---------------------------------------------------------------- either symptom
case(name="14-agent-404", sdk=C, home="li/code-agent", script="agent.py",
     emulators=[{"profile": "oneapi", "port": 9314, "server": "nginx", "models": ["qwen3-coder-plus", "qwen3-max", "kimi-k2-turbo-preview"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9314"}],
     app=app("http://api.nexusrouter.io/v1", k48(), [{"op": "list"}, {"op": "responses", "model": "qwen3-coder-plus", "msg": "Write a unit test for parse_date()"}, {"op": "responses", "model": "qwen3-max", "msg": "Write a unit test for parse_date()"}, {"op": "chat", "model": "qwen3-coder-plus", "msg": "ping"}], "code-agent"),
     files=["bundle.tar.gz:sdk-debug.log,capture.har"],
     ticket="Our coding agent gets 404 for qwen3-coder-plus and qwen3-max, both are listed by /v1/models. Does our key really include them?",
     label=dict(cause="endpoint-unsupported", symptom="model-not-found",
                notes="The agent uses the Responses API (client.responses.create). The One API-style gateway has no /v1/responses: 404 'Invalid URL (POST /v1/responses)' for both models, while GET /v1/models lists them and POST /v1/chat/completions with qwen3-coder-plus works. Fix: chat-completions mode."))

case(name="15-shared-http-helper", sdk=B, home="zhou/crm-assistant", script="crm_ai.py",
     emulators=[{"profile": "newapi", "port": 9315, "server": "nginx", "lang": "zh", "models": ["deepseek-v3.2", "qwen3-max", "glm-4.6"],
                 "rules": [{"method": "POST", "path": "^/v1/", "header": ["Content-Type", "^application/x-www-form-urlencoded"], "status": 400,
                            "json": {"error": {"code": "", "message": "未指定模型名称，模型名称不能为空 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9315"}],
     app=app("http://gateway.sunlit-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.2", "msg": "根据客户记录写一段跟进话术"}, {"op": "chat", "model": "qwen3-max", "msg": "根据客户记录写一段跟进话术"}], "crm-ai",
             default_headers={"Content-Type": "application/x-www-form-urlencoded", "X-Client": "crm-ai/2.3"}),
     files=["sdk-debug.log", "capture.har"],
     ticket="CRM 助手调用 deepseek-v3.2 和 qwen3-max 都报“未指定模型名称”，可是代码里明明写了模型名",
     label=dict(cause="request-body-invalid", symptom="model-not-found",
                notes="The app passes default_headers from a shared HTTP helper that sets Content-Type: application/x-www-form-urlencoded. The SDK still sends a JSON body, but the New API-style gateway parses it as a form, sees no model and answers 400 '未指定模型名称，模型名称不能为空'. GET /v1/models works."))

case(name="16-new-model-refused", sdk=A, home="tom/doc-writer", script="writer.py",
     emulators=[{"profile": "newapi", "port": 9316, "server": "nginx", "models": ["glm-4.5-air", "deepseek-v3.2", "qwen3-max"], "hidden_ok": [],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "glm-4\\.6", "status": 500,
                            "json": {"error": {"message": "模型 glm-4.6 倍率或价格未配置，请联系管理员设置或开始自用模式；Model glm-4.6 ratio or price not set, please set or start self-use mode (request id: {rid})", "type": "new_api_error", "param": "", "code": "model_price_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9316"}],
     app=app("http://api.modelverse.cc/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.6", "msg": "写一份产品发布说明"}, {"op": "chat", "model": "glm-4.5-air", "msg": "写一份产品发布说明"}], "doc-writer"),
     files=["sdk-debug.log", "capture.har.gz"],
     ticket="公告说已经上线 glm-4.6，但是列表里没有，直接调用报 500，glm-4.5-air 正常",
     label=dict(cause="gateway-config", symptom="model-not-found",
                notes="New API-style gateway: glm-4.6 has a channel but no price/ratio configured, so it is hidden from /v1/models and refused with 500 '模型 glm-4.6 倍率或价格未配置…; Model glm-4.6 ratio or price not set…' code model_price_error (SDK retries twice). Only the operator can fix it."))

case(name="17-azure-migration", sdk=B, home="ana/policy-qa", script="qa.py",
     emulators=[{"profile": "azure", "port": 9317, "tls": True, "server": "",
                 "rules": [{"path": "^/openai/deployments/(gpt4o-prod|emb-large)/", "kind": "ok"},
                           {"path": "^/openai/deployments/", "status": 404,
                            "json": {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9317", "opts": ["ssl_insecure=true"]}],
     app={"logger": "policy-qa", "app_name": "policy-qa", "api_key": hexk(32), "azure": {"endpoint": "https://contoso-ai-eastus.openai.azure.com", "api_version": "2024-10-21"},
          "steps": [{"op": "chat", "model": "gpt-4o", "msg": "What is the travel reimbursement limit?"}, {"op": "embed", "model": "text-embedding-3-large", "input": ["travel policy 2026"]}]},
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="After moving our policy Q&A bot to the new Azure OpenAI resource we get 404 on every call, model gpt-4o is deployed there.",
     label=dict(cause="azure-deployment-mismatch", symptom="model-not-found",
                notes="AzureOpenAI client against https://contoso-ai-eastus.openai.azure.com (api-version 2024-10-21) sends model names gpt-4o and text-embedding-3-large as deployment names; the resource's deployments are named gpt4o-prod and emb-large, so both calls get 404 DeploymentNotFound."))

# ---------------------------------------------------------------- model-not-found
LL_MASTER18 = k22()
case(name="18-capitalised-model", sdk=D, home="nina/report-gen", script="report.py",
     emulators=[{"profile": "openai", "port": 9418, "models": ["qwen3-max", "qwen3-coder-plus", "text-embedding-v4"]}],
     litellm={"port": 14018, "config": litellm_cfg([("qwen3-max", "openai/qwen3-max", "http://127.0.0.1:9418/v1"), ("qwen3-coder-plus", "openai/qwen3-coder-plus", "http://127.0.0.1:9418/v1"), ("text-embedding-v4", "openai/text-embedding-v4", "http://127.0.0.1:9418/v1")], LL_MASTER18)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:14018"}],
     app=app("http://llm-gw.acme-retail.com:4000/v1", LL_MASTER18, [{"op": "list"}, {"op": "chat", "model": "Qwen3-Max", "msg": "Write the weekly sales report intro"}], "report-gen"),
     files=["sdk-debug.log", "capture.har", "gateway.log.gz"],
     ticket="Report generator fails with model not found for Qwen3-Max although it is right there in the list.",
     label=dict(cause="model-name-case", symptom="model-not-found",
                notes="Real LiteLLM proxy; catalog has qwen3-max, client sends Qwen3-Max. LiteLLM 400 'Invalid model name passed in model=Qwen3-Max'."))

case(name="19-dated-snapshot", sdk=C, home="bob/legal-review", script="review.py",
     emulators=[{"profile": "newapi", "port": 9319, "server": "nginx", "models": ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9319"}],
     app=app("http://api.aigc-relay.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "claude-sonnet-4-5-20250929", "msg": "Review this NDA clause for risks"}], "legal-review"),
     files=["bundle.tar.gz:sdk-debug.log,capture.har"],
     ticket="claude-sonnet-4-5-20250929 returns 'No available channel' every time; the same id works with Anthropic directly.",
     label=dict(cause="model-name-suffix", symptom="model-not-found",
                notes="Catalog has claude-sonnet-4-5; the client sends the dated id claude-sonnet-4-5-20250929. New API-style 503 'No available channel for model claude-sonnet-4-5-20250929 under group default (distributor)' code model_not_found (SDK retries twice)."))

case(name="20-old-model-id", sdk=D, home="yan/photo-caption", script="caption.py",
     emulators=[{"profile": "oneapi", "port": 9320, "server": "nginx", "models": ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9320"}],
     app=app("http://api.tokenhub.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gemini-1.5-flash", "msg": "给这张图片写一句说明"}], "caption"),
     files=["sdk-debug.log", "capture.har"],
     ticket="图片配文功能突然不行了，提示 gemini-1.5-flash 无可用渠道，代码一年没动过",
     label=dict(cause="model-name-legacy-alias", symptom="model-not-found",
                notes="App still sends the retired gemini-1.5-flash; the gateway now offers gemini-2.5-flash/-pro/-flash-lite. One API-style 503 '当前分组 default 下对于模型 gemini-1.5-flash 无可用渠道' (SDK retries twice)."))

case(name="21-display-name", sdk=A, home="fei/reading-club", script="club_bot.py",
     emulators=[{"profile": "openai", "port": 9321, "tls": True, "server": "nginx", "headers": {"msh-request-id": "a7c2f0e4-1b7d-11f1-9c1e-0242ac120002"},
                 "models": ["kimi-k2-0905-preview", "kimi-k2-turbo-preview", "kimi-latest", "moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k"], "owned_by": "moonshot",
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "(?!kimi-k2-0905-preview$|kimi-k2-turbo-preview$|kimi-latest$|moonshot-v1-).*", "status": 404,
                            "json": {"error": {"message": "Not found the model {model} or Permission denied", "type": "resource_not_found_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9321", "opts": ["ssl_insecure=true"]}],
     app=app("https://api.moonshot.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "Kimi K2", "msg": "推荐三本关于历史的书"}], "club-bot"),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="读书会机器人配置的模型是 Kimi K2，一直报 Not found the model，账户里明明开通了",
     label=dict(cause="model-name-marketing", symptom="model-not-found",
                notes="Moonshot platform directly; the bot is configured with the display name 'Kimi K2' instead of an API id (catalog: kimi-k2-0905-preview, kimi-k2-turbo-preview, ...). 404 'Not found the model Kimi K2 or Permission denied' type resource_not_found_error."))

case(name="22-bot-no-model-set", sdk=B, home="lab/slack-helper", script="helper.py",
     emulators=[{"profile": "vllm", "port": 9322, "server": "uvicorn", "models": ["Qwen/Qwen3-32B"], "root": "/models/Qwen3-32B"}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9322"}],
     app=app("http://gpu01.lab.internal:8000/v1", "EMPTY", [{"op": "list"}, {"op": "chat", "model": "gpt-3.5-turbo", "msg": "what's the wifi password policy?"}], "slack-helper"),
     files=["sdk-debug.log", "capture.har"],
     ticket="Slack helper on our own GPU box answers every question with a 404 model error. I only set the URL, didn't touch anything else.",
     label=dict(cause="client-default-model", symptom="model-not-found",
                notes="Self-hosted vLLM serving Qwen/Qwen3-32B. No model was configured, so the helper sent its built-in default gpt-3.5-turbo: vLLM 404 'The model `gpt-3.5-turbo` does not exist.' type NotFoundError."))

case(name="23-team-token-claude", sdk=D, home="qa/test-gen", script="gen_tests.py",
     emulators=[{"profile": "newapi", "port": 9323, "server": "nginx", "lang": "zh", "models": ["deepseek-v3.2", "qwen3-max"], "hidden_ok": [],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "claude-opus-4-1", "status": 403,
                            "json": {"error": {"code": "", "message": "该令牌无权访问模型 claude-opus-4-1 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9323"}],
     app=app("http://gw.lingxi-ai.net/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "claude-opus-4-1", "msg": "为登录模块生成测试用例"}, {"op": "chat", "model": "deepseek-v3.2", "msg": "为登录模块生成测试用例"}], "test-gen"),
     files=["sdk-debug.log", "capture.har.gz"],
     ticket="团队账号明明买了 Claude，用 claude-opus-4-1 报 403，deepseek 能用",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="New API-style gateway; the team token has a model whitelist (deepseek-v3.2, qwen3-max). claude-opus-4-1 exists on the gateway but this token may not use it: 403 '该令牌无权访问模型 claude-opus-4-1'. /v1/models for this token lists only the whitelist."))

case(name="24-intern-key", sdk=A, home="intern/sql-helper", script="sqlgen.py",
     emulators=[{"profile": "oneapi", "port": 9324, "server": "nginx", "models": ["deepseek-v3.2", "qwen-plus"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "deepseek-r1", "status": 403,
                            "json": {"error": {"message": "该令牌无权使用模型：deepseek-r1 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9324"}],
     app=app("http://oneapi.corp-intra.net/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "deepseek-r1", "msg": "写一个统计月活的 SQL"}], "sqlgen"),
     files=["sdk-debug.log", "capture.har"],
     ticket="deepseek-r1 用不了，别的同事都能用，我这边提示无权使用",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="Company One API; this user's token has a model whitelist without deepseek-r1 (its /v1/models lists deepseek-v3.2, qwen-plus). Chat with deepseek-r1 -> 403 '该令牌无权使用模型：deepseek-r1'."))

case(name="25-provider-402", sdk=C, bundle_dir="drafts-debug", home="mike/email-drafts", script="drafts.py",
     emulators=[{"profile": "openai", "port": 9325, "tls": True, "server": "CW", "headers": {"x-ds-trace-id": "%s" % hexk(32)}, "models": ["deepseek-chat", "deepseek-reasoner"], "owned_by": "deepseek",
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "status": 402,
                            "json": {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None, "code": "invalid_request_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9325", "opts": ["ssl_insecure=true"]}],
     app=app("https://api.deepseek.com/v1", "sk-" + hexk(32), [{"op": "list"}, {"op": "chat", "model": "deepseek-chat", "msg": "Draft a polite reminder about the unpaid invoice"}, {"op": "chat", "model": "deepseek-reasoner", "msg": "Draft a polite reminder about the unpaid invoice"}], "drafts"),
     env=CA, files=["bundle.zip:sdk-debug.log,capture.har"],
     ticket="deepseek-chat and deepseek-reasoner both stopped working today, the models are still listed. Did you remove them?",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="DeepSeek platform directly; account balance is zero. /v1/models lists both models, every chat -> 402 'Insufficient Balance'."))

LL_MASTER26 = k22()
case(name="26-one-model-fails", sdk=B, home="eva/support-bot", script="bot.py",
     emulators=[{"profile": "openai", "port": 9426, "models": ["mistral-small-latest", "mistral-embed"]}],
     litellm={"port": 14026, "config": litellm_cfg([("mistral-large-latest", "openai/mistral-large-latest", "http://127.0.0.1:9499/v1"), ("mistral-small-latest", "openai/mistral-small-latest", "http://127.0.0.1:9426/v1"), ("mistral-embed", "openai/mistral-embed", "http://127.0.0.1:9426/v1")], LL_MASTER26)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:14026"}],
     app=app("http://llm-gw.acme-retail.com:4000/v1", LL_MASTER26, [{"op": "list"}, {"op": "chat", "model": "mistral-large-latest", "msg": "Where is my order #48213?"}, {"op": "chat", "model": "mistral-small-latest", "msg": "Where is my order #48213?"}], "support-bot"),
     files=["bundle.tar.gz:sdk-debug.log,capture.har,gateway.log"],
     ticket="mistral-large-latest fails on every request since this morning, mistral-small-latest is fine. Nothing changed on our side.",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="Real LiteLLM proxy; mistral-large-latest is listed but its only deployment's upstream is down (connection refused). LiteLLM answers 500 Connection error; the SDK retries. mistral-small-latest works."))

case(name="27-busy-model", sdk=D, home="hui/live-subtitles", script="subs.py",
     emulators=[{"profile": "oneapi", "port": 9327, "server": "nginx", "models": ["doubao-seed-1-6-250615", "doubao-1-5-pro-32k-250115", "doubao-embedding-large-text-250515"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "doubao-seed-1-6-250615", "status": 429,
                            "json": {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: {rid})", "type": "one_api_error", "param": "", "code": "rate_limit_exceeded"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9327"}],
     app=app("http://ai.yunqiao.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "doubao-seed-1-6-250615", "stream": True, "msg": "把这段字幕翻译成英文"}, {"op": "chat", "model": "doubao-1-5-pro-32k-250115", "stream": True, "msg": "把这段字幕翻译成英文"}], "subs"),
     files=["sdk-debug.log", "capture.har"],
     ticket="doubao-seed-1-6-250615 一直调用失败，换 doubao-1-5-pro-32k 就可以，是不是这个模型下架了？",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="One API-style gateway; doubao-seed-1-6-250615 is listed but its upstream channels are saturated: 429 '当前分组上游负载已饱和，请稍后再试' on every try (SDK retries twice). The other doubao model streams fine."))

case(name="28-two-endpoints", sdk=C, home="paul/rag-demo", script="rag.py",
     emulators=[{"profile": "newapi", "port": 9328, "server": "nginx", "models": ["deepseek-v3.2", "deepseek-r1", "bge-m3"]},
                {"profile": "vllm", "port": 9428, "server": "uvicorn", "models": ["Qwen/Qwen2.5-7B-Instruct"], "root": "Qwen/Qwen2.5-7B-Instruct"}],
     mitm=[{"listen": 80, "modes": ["reverse:http://127.0.0.1:9328@80", "reverse:http://127.0.0.1:9428@8000"]}],
     app=app("http://gateway.sunlit-ai.com/v1", k48(), [{"op": "list"}, {"op": "embed", "model": "bge-m3", "input": ["refund policy", "shipping times"]},
                                                          {"op": "client", "purpose": "chat", "base_url": "http://127.0.0.1:8000/v1", "api_key": "sk-local"},
                                                          {"op": "chat", "model": "deepseek-v3.2", "stream": True, "msg": "根据检索结果回答：退款需要几天？"}], "rag-demo"),
     files=["sdk-debug.log", "capture.har"],
     ticket="RAG demo: embeddings with bge-m3 work, but chat with deepseek-v3.2 says the model does not exist, although your /v1/models lists it.",
     label=dict(cause="wrong-base-url", symptom="model-not-found",
                notes="List and embeddings go to the gateway (gateway.sunlit-ai.com/v1), but the chat client was built with base_url http://127.0.0.1:8000/v1 left over from a local test: a local vLLM serving Qwen/Qwen2.5-7B-Instruct answers 404 'The model `deepseek-v3.2` does not exist.'"))

LL_MASTER29 = k22()
case(name="29-model-typo", sdk=A, home="dan/meeting-notes", script="notes.py",
     emulators=[{"profile": "openai", "port": 9429, "models": ["llama-3.3-70b-instruct", "llama-3.1-8b-instruct", "bge-m3"]}],
     litellm={"port": 14029, "config": litellm_cfg([("llama-3.3-70b-instruct", "openai/llama-3.3-70b-instruct", "http://127.0.0.1:9429/v1"), ("llama-3.1-8b-instruct", "openai/llama-3.1-8b-instruct", "http://127.0.0.1:9429/v1"), ("bge-m3", "openai/bge-m3", "http://127.0.0.1:9429/v1")], LL_MASTER29)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:14029"}],
     app=app("http://llm-gw.acme-retail.com:4000/v1", LL_MASTER29, [{"op": "list"}, {"op": "chat", "model": "llama-3.3-70b-instuct", "msg": "Summarise the meeting transcript"}], "meeting-notes"),
     files=["sdk-debug.log", "capture.har", "gateway.log.gz"],
     ticket="meeting notes tool: model not found for llama-3.3-70b-instuct, the 70b model worked when we tested last week",
     label=dict(cause="model-not-in-catalog", symptom="model-not-found",
                notes="Typo llama-3.3-70b-instuct; nearest catalog id llama-3.3-70b-instruct. Real LiteLLM 400 'Invalid model name passed in model=llama-3.3-70b-instuct'."))

case(name="30-glm-direct", sdk=D, home="xu/customer-faq", script="faq.py",
     emulators=[{"profile": "openai", "port": 9330, "tls": True, "server": "nginx", "headers": {}, "prefix": "/api/paas/v4",
                 "models": ["glm-4.6", "glm-4.5", "glm-4.5-air", "glm-4.5-flash", "embedding-3"], "owned_by": "z-ai",
                 "rules": [{"method": "POST", "path": "^/api/paas/v4/chat/completions$", "model": "(?!glm-4\\.6$|glm-4\\.5$|glm-4\\.5-air$|glm-4\\.5-flash$).*", "status": 400,
                            "json": {"error": {"code": "1211", "message": "模型不存在，请检查模型代码。"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9330", "opts": ["ssl_insecure=true"]}],
     app=app("https://open.bigmodel.cn/api/paas/v4", hexk(32) + "." + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(16)),
             [{"op": "list"}, {"op": "chat", "model": "glm-4.6-flsh", "msg": "会员积分怎么兑换？"}], "faq"),
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="客服 FAQ 调用智谱报 1211 模型不存在，模型名是从群里同事那复制的",
     label=dict(cause="model-not-in-catalog", symptom="model-not-found",
                notes="Zhipu open platform directly (https://open.bigmodel.cn/api/paas/v4). Model glm-4.6-flsh does not exist (typo/made-up; catalog: glm-4.6, glm-4.5, glm-4.5-air, glm-4.5-flash). 400 {\"error\":{\"code\":\"1211\",\"message\":\"模型不存在，请检查模型代码。\"}}."))

# ---------------------------------------------------------------- healthy
LL_MASTER31 = k22()
case(name="31-golive-check", sdk=D, home="platform/assistant-api", script="smoke.py",
     emulators=[{"profile": "openai", "port": 9431, "models": ["claude-haiku-4-5", "gemini-2.5-flash", "text-embedding-3-small"]}],
     litellm={"port": 14031, "config": litellm_cfg([("claude-haiku-4-5", "openai/claude-haiku-4-5", "http://127.0.0.1:9431/v1"), ("gemini-2.5-flash", "openai/gemini-2.5-flash", "http://127.0.0.1:9431/v1"), ("text-embedding-3-small", "openai/text-embedding-3-small", "http://127.0.0.1:9431/v1")], LL_MASTER31)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:14031"}],
     app=app("http://llm-gw.acme-retail.com:4000/v1", LL_MASTER31, [{"op": "list"}, {"op": "chat", "model": "claude-haiku-4-5", "stream": True, "msg": "Say hello to the new users"}, {"op": "chat", "model": "gemini-2.5-flash", "msg": "One-line status summary"}, {"op": "embed", "model": "text-embedding-3-small", "input": ["onboarding", "billing"]}], "smoke"),
     files=["sdk-debug.log", "capture.har", "gateway.log"],
     ticket="Before go-live: can you check these logs from our smoke test and confirm the setup is fine?",
     label=dict(cause="no-problem", symptom="none",
                notes="Healthy real LiteLLM session: list non-empty, streaming and non-streaming chat 200, embeddings 200."))

case(name="32-long-document", sdk=B, home="iris/contract-summary", script="summarise.py",
     emulators=[{"profile": "oneapi", "port": 9332, "server": "nginx", "models": ["qwen3-max", "qwen-long", "qwen-plus"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "qwen-plus", "times": 1, "status": 400,
                            "json": {"error": {"message": "Range of input length should be [1, 129024] (request id: {rid})", "type": "invalid_request_error", "param": None, "code": "invalid_parameter_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9332"}],
     app=app("http://api.nexusrouter.io/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "请总结以下合同全文：" + "甲方应按约定支付款项。" * 40}, {"op": "chat", "model": "qwen-long", "msg": "请总结以下合同全文：" + "甲方应按约定支付款项。" * 40}, {"op": "chat", "model": "qwen3-max", "stream": True, "msg": "列出三条主要风险"}], "contract-summary"),
     files=["sdk-debug.log.gz", "capture.har"],
     ticket="合同摘要功能偶尔报 400，想确认一下是不是我们的配置有问题",
     label=dict(cause="no-problem", symptom="none",
                notes="Healthy One API-style session: list works, qwen-plus rejects an over-long document with 400 'Range of input length should be [1, 129024]' (input too long, passed through from the upstream), the same document on qwen-long and a streaming qwen3-max chat succeed. No model-list or model-not-found problem."))

case(name="33-prelaunch-review", sdk=C, home="ops/kefu-bot", script="kefu.py",
     emulators=[{"profile": "newapi", "port": 9333, "server": "nginx", "models": ["deepseek-v3.2", "qwen3-max", "glm-4.6", "text-embedding-v4"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9333"}],
     app=app("http://api.zhizhen-ai.cn/v1", k48(), [{"op": "list"}, {"op": "retrieve", "model": "qwen3-max"}, {"op": "chat", "model": "deepseek-v3.2", "stream": True, "msg": "你好，请问怎么退货？"}, {"op": "chat", "model": "glm-4.6", "msg": "你好，请问怎么退货？"}, {"op": "embed", "model": "text-embedding-v4", "input": ["退货流程"]}], "kefu"),
     files=["capture.har"],
     ticket="客服机器人准备上线，麻烦帮忙看看抓包里有没有什么异常",
     label=dict(cause="no-problem", symptom="none",
                notes="Healthy New API-style session: list, model retrieve, streaming and non-streaming chat, embeddings, all 200."))

LL_MASTER34 = k22()
case(name="34-rotated-gateway-key", sdk=A, home="ci/eval-runner", script="run_eval.py",
     emulators=[{"profile": "openai", "port": 9434, "models": ["deepseek-v3.2", "qwen3-max"]}],
     litellm={"port": 14034, "config": litellm_cfg([("deepseek-v3.2", "openai/deepseek-v3.2", "http://127.0.0.1:9434/v1"), ("qwen3-max", "openai/qwen3-max", "http://127.0.0.1:9434/v1")], LL_MASTER34)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:14034"}],
     app=app("http://llm-gw.acme-retail.com:4000/v1", k22(), [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.2", "msg": "2+2?"}], "eval-runner"),
     files=["bundle.tar.gz:sdk-debug.log,capture.har,gateway.log"],
     ticket="Eval runner in CI gets an empty model list since the weekend, locally it works.",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="Real LiteLLM proxy; CI still uses an old key that no longer exists (the proxy was reconfigured with a new master key and no DB). 401 'Authentication Error, Invalid proxy server token passed ...' on /v1/models and chat."))

case(name="34-laptop-after-it-update", sdk=D, home="julia/meeting-bot", script="bot.py",
     emulators=[],
     mitm=[{"listen": 8888, "keep_host": False, "opts": ["connection_strategy=lazy"], "confdir": W + "/mitmconf-corp"}],
     app=app("https://api.deepseek.com/v1", "sk-" + hexk(32), [{"op": "list"}, {"op": "chat", "model": "deepseek-chat", "msg": "Summarise the stand-up notes"}], "meeting-bot", max_retries=1),
     env={"HTTPS_PROXY": "http://bgw-proxy02.hanfeng.local:8888", "HTTP_PROXY": "http://bgw-proxy02.hanfeng.local:8888"},
     files=["sdk-debug.log"],
     ticket="Since IT re-imaged my laptop the meeting bot shows no models and says Connection error. Same key works on my colleague's Mac.",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="The re-imaged laptop routes HTTPS through the company's TLS-inspecting proxy (HTTPS_PROXY=http://bgw-proxy02.hanfeng.local:8888, played by mitmproxy in regular mode with its own CA). The Python venv trusts only certifi, so every handshake fails with CERTIFICATE_VERIFY_FAILED; the SDK retries and raises APIConnectionError. Nothing reached api.deepseek.com, so no HAR."))

case(name="35-batch-job-warnings", sdk=A, home="data/tagging-batch", script="tag_batch.py",
     emulators=[{"profile": "openai", "port": 9335, "tls": True, "server": "nginx", "headers": {"x-siliconcloud-trace-id": "ti_" + hexk(20)},
                 "models": ["deepseek-ai/DeepSeek-V3.2", "Qwen/Qwen3-235B-A22B-Instruct-2507", "BAAI/bge-m3"], "owned_by": "",
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "times": 1, "status": 429,
                            "json": {"code": 50603, "message": "Request was rejected due to rate limiting. If you want more, please contact contact@siliconflow.cn. Details:TPM limit reached.", "data": None}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9335", "opts": ["ssl_insecure=true"]}],
     app=app("https://api.siliconflow.cn/v1", "sk-" + "".join(random.choice(string.ascii_lowercase) for _ in range(48)), [{"op": "list"}, {"op": "chat", "model": "deepseek-ai/DeepSeek-V3.2", "msg": "给这条商品评论打标签：物流很快，包装破了"}, {"op": "chat", "model": "deepseek-ai/DeepSeek-V3.2", "msg": "给这条商品评论打标签：客服态度很好"}, {"op": "embed", "model": "BAAI/bge-m3", "input": ["物流", "包装"]}], "tag-batch"),
     env=CA, files=["bundle.tar.gz:sdk-debug.log,capture.har.gz"],
     ticket="Batch tagging job logs a warning now and then, results look fine. Is our config OK or will it break?",
     label=dict(cause="no-problem", symptom="none",
                notes="Healthy session against SiliconFlow directly: list non-empty, one 429 TPM rate limit (code 50603) that the SDK retries successfully, further chat and embeddings 200. Nothing wrong with models or configuration."))

os.makedirs(W + "/specs", exist_ok=True)
for s in S:
    json.dump(s, open(W + "/specs/%s.json" % s["name"], "w"), ensure_ascii=False, indent=1)
print(len(S), "specs")
