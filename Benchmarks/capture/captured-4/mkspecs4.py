#!/usr/bin/env python3
"""captured-4: write one spec JSON per case into specs/ (run with run_case.py)."""
import json, os, random, string
random.seed(20261206 + 4)
A, B, C, D = "1.47.1", "1.99.9", "2.41.0", "3.63.0"
HERE = os.path.dirname(os.path.abspath(__file__))
W = os.environ.get("CAPTURE_WORK", os.path.dirname(HERE))  # venvs, CA (shared); default Benchmarks/capture
W2 = os.environ.get("CAPTURE_SET_WORK", HERE)  # this set's work folder (specs/, runs/)
CA = {"SSL_CERT_FILE": W + "/ca/ca-certificates.crt"}
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
TLS = {"opts": ["ssl_insecure=true"]}
DOCS404 = """<!doctype html>
<html lang="zh-CN" dir="ltr" class="docs-wrapper plugin-docs plugin-id-default">
<head>
<meta charset="UTF-8">
<meta name="generator" content="Docusaurus v3.8.1">
<title data-rh="true">找不到页面 | 智云 AI 开放平台文档</title><meta data-rh="true" name="viewport" content="width=device-width,initial-scale=1"><meta data-rh="true" property="og:title" content="找不到页面 | 智云 AI 开放平台文档">
<link rel="stylesheet" href="/assets/css/styles.4f1c2a9e.css">
<script src="/assets/js/runtime~main.8b3d1e27.js" defer="defer"></script>
<script src="/assets/js/main.c0a7f5d2.js" defer="defer"></script>
</head>
<body class="navigation-with-keyboard">
<div id="__docusaurus"><div role="region" aria-label="跳到主要内容"><a class="skipToContent_fXgn" href="#__docusaurus_skipToContent_fallback">跳到主要内容</a></div><main class="container margin-vert--xl"><div class="row"><div class="col col--6 col--offset-3"><h1 class="hero__title">找不到页面</h1><p>我们找不到您要找的页面。</p><p>请联系原始链接来源网站的所有者，并告知他们链接已损坏。</p></div></div></main></div>
</body>
</html>
"""

# 01 base-url-missing-version: openai CLI against New API without /v1 (SPA HTML 200)
k = k48()
case(name="01-ppt-outline", sdk=B, home="liuyang/tools", script="openai", hosts=["api.yunduan-hub.cn"],
     emulators=[{"profile": "newapi", "port": 9701, "server": "nginx", "lang": "zh", "title": "云端智联 API", "asset": "Cq8vT2mA", "models": ["qwen3-235b-a22b", "deepseek-v3.2", "glm-4.6"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9701", **TLS}],
     clients=[dict(kind="cli", sdk=B, log="terminal.txt", env=dict(CA, OPENAI_BASE_URL="https://api.yunduan-hub.cn", OPENAI_API_KEY=k),
                   argv=[["openai", "api", "models.list"], ["openai", "api", "chat.completions.create", "-m", "qwen3-235b-a22b", "-g", "user", "帮我列一个年终总结PPT大纲"]])],
     files=["terminal.txt"],
     ticket="命令行 openai api models.list 什么模型都列不出来，chat 也报错，终端输出贴在附件里",
     label=dict(cause="base-url-missing-version", symptom="model-list-empty",
                notes="openai CLI (openai 1.99.9) terminal output only. OPENAI_BASE_URL=https://api.yunduan-hub.cn (no /v1): GET /models and POST /chat/completions answered 200 text/html (New API web console index.html). Fix: https://api.yunduan-hub.cn/v1."))

def litellm_cfg(models, master, json_logs=False):
    out = "model_list:\n"
    for name, target, base in models:
        out += "  - model_name: %s\n    litellm_params:\n      model: %s\n      api_base: %s\n      api_key: sk-upstream-%s\n" % (name, target, base, hexk(24))
    out += "litellm_settings:\n  drop_params: true\n  request_timeout: 20\n"
    if json_logs:
        out += "  json_logs: true\n"
    out += "general_settings:\n  master_key: %s\n" % master
    return out

# 02 base-url-duplicated-version: LiteLLM proxy (json logs), client base .../v1/v1
LL = "sk-" + hexk(24)
case(name="02-contract-review", sdk=B, home="svc/contract-review", script="review.py", hosts=["llm-gw.hanlin-law.cn"],
     emulators=[{"profile": "openai", "port": 9702, "models": ["qwen3-32b", "bge-m3"]}],
     replace=[["127.0.0.1:9702", "10.8.0.21:8000"], ["127.0.0.1:15102", "0.0.0.0:4000"]], litellm={"port": 15102, "debug": False, "config": litellm_cfg([("qwen3-32b", "openai/qwen3-32b", "http://127.0.0.1:9702/v1")], LL, json_logs=True)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15102"}],
     clients=[sdk(B, app("http://llm-gw.hanlin-law.cn:4000/v1/v1", LL, [{"op": "list"}, {"op": "chat", "model": "qwen3-32b", "msg": "Summarise clause 7.2 of the attached NDA", "tb": True}], "contract-review", **quiet(log_format=PLAIN3)), log="contract-review.log", debug=False)],
     bundle_dir="contract-review-logs", files=["contract-review-logs.tar:contract-review.log,gateway.log"],
     ticket="Contract review tool shows no models after we moved it behind the LiteLLM proxy; app log and proxy log attached",
     label=dict(cause="base-url-duplicated-version", symptom="model-list-empty",
                notes="Plain .tar with a folder: default-level app log + real LiteLLM 1.108.7 proxy log with json_logs: true. Client base http://llm-gw.hanlin-law.cn:4000/v1/v1, so GET /v1/v1/models and POST /v1/v1/chat/completions; LiteLLM answers 404 {\"detail\":\"Not Found\"}. Fix: base .../v1."))

# 03 base-url-wrong-host: docs site
case(name="03-docs-host", sdk=D, home="zhou/faq-bot", script="faq_bot.py", hosts=["docs.zhiyun-ai.com"],
     emulators=[{"profile": "openai", "port": 9703, "headers": {"x-vercel-cache": "MISS", "x-vercel-id": "hkg1::" + hexk(5) + "-1765000000000-" + hexk(12)}, "server": "Vercel",
                 "rules": [{"path": ".", "status": 404, "text": DOCS404, "ctype": "text/html; charset=utf-8"}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9703", **TLS}],
     clients=[sdk(D, app("https://docs.zhiyun-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "zy-chat-pro", "msg": "退货流程是什么？"}], "faq-bot", transport_debug=False, max_retries=0))],
     env=CA, files=["sdk-debug.log"],
     ticket="FAQ bot can't load any models from the Zhiyun platform, debug log attached",
     label=dict(cause="base-url-wrong-host", symptom="model-list-empty",
                notes="OPENAI_LOG=debug (transport off), openai 3.63.0. Base https://docs.zhiyun-ai.com/v1 is the documentation site (Docusaurus on Vercel): every API path 404 text/html '找不到页面'."))

# 04 models-endpoint-unsupported: Kong route only for chat
case(name="04-kong-route", sdk=C, home="ops/llm-probe", script="probe.py", hosts=["ai-api.jinqiao-fin.com"],
     emulators=[{"profile": "openai", "port": 9704, "headers": {"X-Kong-Response-Latency": "0", "Server": "kong/3.9.1"}, "models": ["fin-qwen3-14b"],
                 "rules": [{"method": "GET", "path": "^/v1/models", "status": 404, "json": {"message": "no Route matched with those values", "request_id": "{rid}"}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9704", **TLS}],
     clients=[dict(kind="httpx", sdk=C, log="probe.log", app=dict(base_url="https://ai-api.jinqiao-fin.com/v1", api_key=k48(), logger="probe",
                   steps=[{"op": "list"}, {"op": "chat", "model": "fin-qwen3-14b", "msg": "ping"}]))],
     env=CA, files=["probe.log"],
     ticket="我们自己写的探测脚本拉不到模型列表，但直接对话是通的，这正常吗",
     label=dict(cause="models-endpoint-unsupported", symptom="model-list-empty",
                notes="httpx script log (httpx 0.29.0 INFO lines + script logging). Kong gateway: GET /v1/models 404 {\"message\":\"no Route matched with those values\"}; POST /v1/chat/completions with fin-qwen3-14b 200."))

# 05 key-group-no-models: New API en, empty list (old shape, no object), chat 503
case(name="05-trial-group", sdk=D, home="anna/slide-helper", script="slides.py", hosts=["gw.polaris-llm.io"],
     emulators=[{"profile": "newapi", "port": 9705, "server": "nginx", "lang": "en", "group": "trial", "models": [],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "status": 200, "json": {"success": True, "data": []}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9705", **TLS}],
     clients=[sdk(D, app("https://gw.polaris-llm.io/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-5-mini", "msg": "Make 3 slide titles about Q4 sales"}], "slide-helper", max_retries=0))],
     env=CA, bundle_dir="Desktop/polaris-issue", files=["polaris-issue.zip:capture.har"],
     ticket="Slide helper: model dropdown empty with the key I got yesterday",
     label=dict(cause="key-group-no-models", symptom="model-list-empty",
                notes="HAR only, zip with nested folder. New API-style (en, older list shape without 'object'): GET /v1/models 200 {\"success\":true,\"data\":[]}; chat gpt-5-mini 503 'No available channel for model gpt-5-mini under group trial (distributor)'."))

# 06 auth-invalid-key: One API 401 该令牌已过期
k06 = k48()
case(name="06-expired-token", sdk=C, home="xiaomei/weekly-report", script="weekly.py", hosts=["api.tianshu-ai.cn"],
     emulators=[{"profile": "oneapi", "port": 9706, "server": "nginx", "keys": [k48()], "auth_msg": "该令牌已过期", "models": ["qwen-plus", "deepseek-v3.2"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9706", **TLS}],
     clients=[sdk(C, app("https://api.tianshu-ai.cn/v1", k06, [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "把本周工作整理成周报", "tb": True}], "weekly-report", **quiet(log_format=PLAIN3)), log="weekly.log", debug=False)],
     env=CA, crlf=["weekly.log"], winroot="C:/Users/xiaomei/weekly-report",
     extras={".env": "OPENAI_BASE_URL=https://api.tianshu-ai.cn/v1\nOPENAI_API_KEY=%s\nREPORT_MODEL=qwen-plus\n" % k06, "screenshot.png": "copy:assets/empty-models.png",
             "README.txt": "周报助手 v0.4\n双击 run.bat 运行，日志在 weekly.log\n"},
     files=["weekly.log", ".env", "screenshot.png", "README.txt"],
     ticket="周报助手昨天还好好的，今天打开模型列表是空的，截图和日志都在附件",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="Default-level app log (CRLF, Windows paths) + .env + screenshot + README. One API-style 401 {\"error\":{\"message\":\"该令牌已过期 (request id: ...)\",\"type\":\"one_api_error\"}} on GET /v1/models and the chat."))

# 07 auth-invalid-key (403 variant): key pasted with channel suffix
k07 = k48()
case(name="07-key-with-suffix", sdk=A, home="guo/crm-assist", script="crm.py", hosts=["api.hongtu-relay.com"],
     emulators=[{"profile": "newapi", "port": 9707, "server": "nginx", "lang": "zh", "models": ["gpt-4.1", "gpt-4.1-mini"],
                 "rules": [{"path": "^/v1/", "header": ["Authorization", "-\\d+$"], "status": 403, "json": {"error": {"code": "", "message": "普通用户不支持指定渠道 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9707", **TLS}],
     clients=[sdk(A, app("https://api.hongtu-relay.com/v1", k07 + "-2", [{"op": "list"}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "Draft a follow-up email"}], "crm-assist", transport_debug=False))],
     env=CA, files=["sdk-debug.log.gz"],
     ticket="CRM 助手换了新令牌以后拉模型 403，令牌是从后台直接复制的",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="OPENAI_LOG=debug (transport off), single .gz. New API-style (zh) 403 '普通用户不支持指定渠道' on /v1/models and chat: the key was pasted with a '-2' channel suffix (sk-...-2)."))

# 08 network-proxy: HTTPS_PROXY to a dead corporate proxy
case(name="08-office-proxy", sdk=C, home="peng/meeting-minutes", script="minutes.py", hosts=["api.lingxi-ai.com", "proxy.hq-corp.local"],
     emulators=[{"profile": "oneapi", "port": 9708, "server": "nginx", "models": ["qwen3-max"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9708", **TLS}],
     clients=[sdk(C, app("https://api.lingxi-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-max", "msg": "整理会议纪要"}], "meeting-minutes", max_retries=1))],
     env=dict(CA, HTTPS_PROXY="http://proxy.hq-corp.local:3128", NO_PROXY="localhost,127.0.0.1,.hq-corp.local"),
     files=["sdk-debug.log"],
     ticket="公司电脑上会议纪要工具模型列表一直是空的，家里电脑没问题",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="OPENAI_LOG=debug + httpx/httpcore debug. HTTPS_PROXY=http://proxy.hq-corp.local:3128 is set on the office PC; nothing listens there: httpcore connect_tcp to proxy.hq-corp.local:3128 fails (Connection refused) -> APIConnectionError for list and chat. Gateway never reached."))

# 09 client-cannot-list: {"model_names": [...]}
case(name="09-webui-shape", sdk=A, home="kai/story-writer", script="story.py", hosts=["tgw.kai-home.net"],
     emulators=[{"profile": "openai", "port": 9709, "headers": {}, "server": "uvicorn", "models": ["Mistral-Small-3.2-24B-Instruct-Q4_K_M.gguf"],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "status": 200, "json": {"model_names": ["Mistral-Small-3.2-24B-Instruct-Q4_K_M.gguf", "gemma-3-12b-it-Q5_K_M.gguf"]}}]}],
     mitm=[{"listen": 5000, "mode": "reverse:http://127.0.0.1:9709"}],
     clients=[sdk(A, app("http://tgw.kai-home.net:5000/v1", "sk-111111111111111111111111111111111111111111111111", [{"op": "list"}, {"op": "chat", "model": "Mistral-Small-3.2-24B-Instruct-Q4_K_M.gguf", "msg": "Continue the story: the lighthouse keeper"}], "story-writer"))],
     bundle_dir="story-writer-debug", files=["story-writer-debug.tar:sdk-debug.log"],
     ticket="Story writer lists 0 models from my text-generation-webui box, but typing the model name by hand works",
     label=dict(cause="client-cannot-list", symptom="model-list-empty",
                notes="OPENAI_LOG=debug + httpx/httpcore, plain .tar with folder. GET /v1/models 200 {\"model_names\":[...]} (no data array) -> SDK yields 0 models; chat with the hand-typed name works."))

# 10 base-url-malformed: double slash after host
case(name="10-double-slash", sdk=D, home="lab/qa-eval", script="qa_eval.py", hosts=["gpu-a6000.fdu-nlp.cn"],
     emulators=[{"profile": "vllm", "port": 9710, "server": "uvicorn", "raw_path": True, "models": ["qwen3-8b"], "root": "/data/models/Qwen3-8B"}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9710"}],
     clients=[sdk(D, app("http://gpu-a6000.fdu-nlp.cn:8000//v1", "EMPTY", [{"op": "list"}, {"op": "chat", "model": "qwen3-8b", "msg": "Q: capital of Peru? A:", "max_tokens": 8}], "qa-eval", transport_debug=False))],
     files=["sdk-debug.log.gz", "capture.har.gz"],
     ticket="评测脚本连实验室 vLLM，模型列表空、请求 404，服务端 curl 是好的",
     label=dict(cause="base-url-malformed", symptom="model-list-empty",
                notes="OPENAI_LOG=debug (transport off) + HAR, both single .gz. Base http://gpu-a6000.fdu-nlp.cn:8000//v1 (host + '/' + '/v1'): requests go to //v1/models and //v1/chat/completions, vLLM (uvicorn) 404 {\"detail\":\"Not Found\"}."))

# 11 base-url-includes-endpoint: Ollama
case(name="11-endpoint-pasted", sdk=D, home="tim/mail-sorter", script="sorter.py", hosts=["mac-studio.local"],
     emulators=[{"profile": "ollama", "port": 9711, "models": ["mistral-small3.2:24b", "llama3.1:8b"]}],
     mitm=[{"listen": 11434, "mode": "reverse:http://127.0.0.1:9711"}],
     clients=[sdk(D, app("http://mac-studio.local:11434/v1/chat/completions", "ollama", [{"op": "list"}, {"op": "chat", "model": "llama3.1:8b", "msg": "Classify: invoice overdue reminder"}], "mail-sorter"))],
     crlf=["sdk-debug.log"], winroot="C:/Users/tim/mail-sorter", files=["sdk-debug.log"],
     ticket="Mail sorter on my Windows laptop sees no models from the Ollama on the Mac Studio",
     label=dict(cause="base-url-includes-endpoint", symptom="model-list-empty",
                notes="OPENAI_LOG=debug + httpx2/httpcore2 debug (openai 3.63.0), CRLF, Windows paths. Base ends in /v1/chat/completions: GET /v1/chat/completions/models and POST /v1/chat/completions/chat/completions -> Ollama 404 text/plain '404 page not found'."))

# 12 endpoint-unsupported: Responses API on LM Studio-style server (200 + error)
case(name="12-responses-mode", sdk=C, home="sara/code-helper", script="helper.py", hosts=["lmstudio.sara-pc.lan"],
     emulators=[{"profile": "openai", "port": 9712, "headers": {}, "owned_by": "organization_owner", "models": ["qwen/qwen3-coder-30b", "text-embedding-nomic-embed-text-v1.5"],
                 "rules": [{"method": "POST", "path": "^/v1/responses", "status": 200, "json": {"error": "Unexpected endpoint or method. (POST /v1/responses)"}}]}],
     mitm=[{"listen": 1234, "mode": "reverse:http://127.0.0.1:9712"}],
     clients=[sdk(C, app("http://lmstudio.sara-pc.lan:1234/v1", "lm-studio", [{"op": "list"}, {"op": "responses", "model": "qwen/qwen3-coder-30b", "msg": "Explain this regex: ^\\d{3}-\\d{4}$", "tb": True}, {"op": "chat", "model": "qwen/qwen3-coder-30b", "msg": "Explain this regex: ^\\d{3}-\\d{4}$"}], "code-helper", **quiet()), log="code-helper.log", debug=False)],
     files=["code-helper.log", "capture.har"],
     ticket="code helper: after updating, answers fail with qwen3-coder, the model is loaded in LM Studio",
     label=dict(cause="endpoint-unsupported", symptom="model-not-found",
                notes="Default-level app log + HAR. LM Studio-style server (older) has no /v1/responses: POST /v1/responses answered 200 {\"error\":\"Unexpected endpoint or method. (POST /v1/responses)\"}; the same model works on /v1/chat/completions."))

# 13 request-body-invalid: form-encoded POST to real LiteLLM
LL13 = "sk-" + hexk(24)
case(name="13-form-post", sdk=B, home="svc/intake-bot", script="intake.py", hosts=["llm.mingde-health.cn"],
     emulators=[{"profile": "openai", "port": 9713, "models": ["qwen3-14b"]}],
     replace=[["127.0.0.1:9713", "10.30.1.7:8000"], ["127.0.0.1:15113", "0.0.0.0:4000"]], litellm={"port": 15113, "config": litellm_cfg([("qwen3-14b", "openai/qwen3-14b", "http://127.0.0.1:9713/v1")], LL13)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15113"}],
     clients=[dict(kind="httpx", sdk=B, log="intake.log", app=dict(base_url="http://llm.mingde-health.cn:4000/v1", api_key=LL13, logger="intake",
                   steps=[{"op": "list"}, {"op": "chat", "model": "qwen3-14b", "msg": "分诊：患者主诉头痛三天", "form": True}]))],
     files=["gateway.log", "intake.log"],
     ticket="分诊机器人调用公司 LiteLLM 网关一直 400，模型列表是正常的，网关日志和脚本日志都附上了",
     label=dict(cause="request-body-invalid", symptom="model-not-found",
                notes="Real LiteLLM 1.108.7 proxy log (--detailed_debug) + httpx script log. GET /v1/models 200 lists qwen3-14b; the script posts the chat as application/x-www-form-urlencoded (httpx data= instead of json=; messages becomes a string): LiteLLM answers 400 'Invalid request format: litellm.APIConnectionError: APIConnectionError: OpenAIException - 'str' object has no attribute 'get'' (model group qwen3-14b, retried 2 times). Fix: send JSON (json=)."))

# 14 gateway-config: LiteLLM model without provider prefix (json logs)
LL14 = "sk-" + hexk(24)
case(name="14-new-deployment", sdk=D, home="svc/report-gen", script="report_gen.py", hosts=["litellm.xinhe-mfg.com"],
     emulators=[{"profile": "openai", "port": 9714, "models": ["qwen-max", "qwen-plus"]}],
     replace=[["127.0.0.1:9714", "dashscope-relay.xinhe.internal:8080"], ["127.0.0.1:15114", "0.0.0.0:4000"]], litellm={"port": 15114, "debug": False, "config": litellm_cfg([("qwen-plus", "openai/qwen-plus", "http://127.0.0.1:9714/v1"), ("qwen-max", "qwen-max", "http://127.0.0.1:9714/v1")], LL14, json_logs=True)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15114"}],
     clients=[sdk(D, app("http://litellm.xinhe-mfg.com:4000/v1", LL14, [{"op": "list"}, {"op": "chat", "model": "qwen-plus", "msg": "Summarise line 3 downtime"}, {"op": "chat", "model": "qwen-max", "msg": "Summarise line 3 downtime"}], "report-gen", transport_debug=False, max_retries=0))],
     files=["sdk-debug.log", "gateway.log"],
     ticket="qwen-max was added to our gateway config yesterday but every call to it fails; qwen-plus is fine",
     label=dict(cause="gateway-config", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) + real LiteLLM 1.108.7 log with json_logs: true. qwen-max configured with litellm_params.model 'qwen-max' (no provider prefix): at startup LiteLLM logs 'Error creating deployment: litellm.BadRequestError: LLM Provider NOT provided ... You passed model=qwen-max'; /v1/models lists only qwen-plus (the broken deployment is dropped); the chat gets 400 'litellm.BadRequestError: You passed in model=qwen-max. There are no healthy deployments for this model'. qwen-plus (openai/ prefix) works."))

# 15 azure-deployment-mismatch
case(name="15-azure-westeu", sdk=A, home="marc/ticket-summary", script="summary.py", hosts=["contoso-support-weu.openai.azure.com"],
     emulators=[{"profile": "azure", "port": 9715, "rules": [{"path": "^/openai/deployments/", "status": 404, "json": {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}}], "models": []}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9715", **TLS}],
     clients=[sdk(A, dict(logger="ticket-summary", app_name="ticket-summary", api_key=hexk(32), azure={"endpoint": "https://contoso-support-weu.openai.azure.com", "api_version": "2024-10-21"},
                          steps=[{"op": "chat", "model": "gpt-4.1-mini", "msg": "Summarise ticket #48213"}], transport_debug=False, max_retries=0))],
     env=CA, bundle_dir="ticket-summary/logs", files=["azure-debug.zip:sdk-debug.log,capture.har"],
     ticket="Azure OpenAI: model gpt-4.1-mini not found from our summary tool, the model is deployed in West Europe",
     label=dict(cause="azure-deployment-mismatch", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) + HAR in a zip with nested folder. AzureOpenAI client sends the model name gpt-4.1-mini as deployment: POST /openai/deployments/gpt-4.1-mini/chat/completions?api-version=2024-10-21 -> 404 DeploymentNotFound."))

# 16 model-name-case: DashScope compatible-mode
case(name="16-dashscope-caps", sdk=B, home="yan/contract-extract", script="extract.py", hosts=["dashscope.aliyuncs.com"],
     emulators=[{"profile": "openai", "port": 9716, "prefix": "/compatible-mode/v1", "server": "istio-envoy", "headers": {"x-request-id": "%s-%s-%s-%s-%s" % (hexk(8), hexk(4), hexk(4), hexk(4), hexk(12)), "req-cost-time": "38"}, "models": ["qwen-max", "qwen-plus", "qwen-turbo", "qwen3-max"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "model": "Qwen-Max", "status": 404, "json": {"error": {"message": "The model `Qwen-Max` does not exist or you do not have access to it.", "type": "invalid_request_error", "param": None, "code": "model_not_found"}, "request_id": "{rid}"}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9716", **TLS}],
     clients=[sdk(B, app("https://dashscope.aliyuncs.com/compatible-mode/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "Qwen-Max", "msg": "提取合同甲乙双方名称"}], "contract-extract"))],
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="百炼兼容接口调用 Qwen-Max 提示模型不存在，控制台里明明开通了",
     label=dict(cause="model-name-case", symptom="model-not-found",
                notes="OPENAI_LOG=debug + httpx/httpcore + HAR. DashScope compatible-mode lists qwen-max; the client sends Qwen-Max -> 404 'The model `Qwen-Max` does not exist or you do not have access to it.' code model_not_found."))

# 17 model-name-suffix: Ollama tag missing
case(name="17-ollama-no-tag", sdk=B, home="ben/homework-buddy", script="buddy.py", hosts=["nuc.home.lan"],
     emulators=[{"profile": "ollama", "port": 9717, "models": ["qwen3:8b", "gemma3:12b"]}],
     mitm=[{"listen": 11434, "mode": "reverse:http://127.0.0.1:9717"}],
     clients=[sdk(B, app("http://nuc.home.lan:11434/v1", "ollama", [{"op": "list"}, {"op": "chat", "model": "qwen3", "msg": "Explain photosynthesis for a 10 year old"}], "homework-buddy", transport_debug=False))],
     files=["sdk-debug.log"],
     ticket="homework buddy says model qwen3 not found but I pulled qwen3 this morning",
     label=dict(cause="model-name-suffix", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off). Ollama lists qwen3:8b, gemma3:12b; client sends 'qwen3' (resolves to qwen3:latest) -> 404 'model \"qwen3\" not found, try pulling it first'. Fix: qwen3:8b."))

# 18 model-name-legacy-alias: Gemini compat, retired preview (array body)
case(name="18-gemini-preview", sdk=C, home="nora/alt-text", script="alt_text.py", hosts=["generativelanguage.googleapis.com"],
     emulators=[{"profile": "openai", "port": 9718, "prefix": "/v1beta/openai", "server": "scaffolding on HTTPServer2", "headers": {"x-gemini-service-tier": "standard"}, "owned_by": "google", "models": ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "model": "gemini-2.5-pro-preview-06-05", "status": 404, "json": [{"error": {"code": 404, "message": "models/gemini-2.5-pro-preview-06-05 is not found for API version v1main, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", "status": "NOT_FOUND"}}]}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9718", **TLS}],
     clients=[sdk(C, app("https://generativelanguage.googleapis.com/v1beta/openai/", "AIzaSy" + "".join(random.choice(AN + "-_") for _ in range(33)), [{"op": "list"}, {"op": "chat", "model": "gemini-2.5-pro-preview-06-05", "msg": "Write alt text for product photo 1182"}], "alt-text", transport_debug=False))],
     env=CA, files=["sdk-debug.log"],
     ticket="Alt-text generator stopped working this week, Gemini says model not found",
     label=dict(cause="model-name-legacy-alias", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off). Gemini OpenAI-compat lists gemini-2.5-pro; client still sends the retired preview gemini-2.5-pro-preview-06-05 -> 404 JSON array '... is not found for API version v1main ...' NOT_FOUND."))

# 19 model-name-marketing: vLLM on RunPod, error body with HTTP 200
case(name="19-runpod-worker", sdk=D, home="leo/caption-gen", script="captions.py", hosts=["api.runpod.ai"],
     emulators=[{"profile": "openai", "port": 9719, "headers": {}, "prefix": "/v2/k3m9x2qz7w1abc/openai/v1", "owned_by": "vllm", "models": ["qwen3-32b"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "model": "Qwen/Qwen3-32B", "status": 200, "json": {"object": "error", "message": "The model `Qwen/Qwen3-32B` does not exist.", "type": "NotFoundError", "param": None, "code": 404}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9719", **TLS}],
     clients=[sdk(D, app("https://api.runpod.ai/v2/k3m9x2qz7w1abc/openai/v1", "rpa_" + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(44)), [{"op": "list"}, {"op": "chat", "model": "Qwen/Qwen3-32B", "msg": "给这张产品图写一句朋友圈文案", "tb": True}], "caption-gen", **quiet()), log="caption-gen.log", debug=False)],
     env=CA, files=["caption-gen.log", "capture.har"],
     ticket="RunPod 上部署的 Qwen3-32B 调用返回的不是回答，程序直接报错",
     label=dict(cause="model-name-marketing", symptom="model-not-found",
                notes="Default-level app log + HAR. RunPod vLLM worker serves 'qwen3-32b'; client sends the Hugging Face name Qwen/Qwen3-32B -> HTTP 200 with vLLM error body {\"object\":\"error\",\"message\":\"The model `Qwen/Qwen3-32B` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}; the SDK returns an object without choices and the app crashes."))

# 20 client-default-model: langchain ChatOpenAI without model
case(name="20-langchain-default", sdk=D, home="hui/kb-qa", script="kb_qa.py", hosts=["api.qiming-ai.cn"], ll_client=False,
     emulators=[{"profile": "oneapi", "port": 9720, "server": "nginx", "models": ["bge-m3", "qwen3-max", "deepseek-v3.2"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9720", **TLS}],
     clients=[dict(kind="lc", log="kb_qa.log", app=dict(base_url="https://api.qiming-ai.cn/v1", api_key=k48(), logger="kb_qa",
                   steps=[{"op": "embed", "model": "bge-m3", "input": ["报销流程", "差旅标准"]}, {"op": "chat", "msg": "出差住宿标准是多少？"}]))],
     env=CA, extras={"config.yaml": "embedding:\n  model: bge-m3\nllm:\n  base_url: https://api.qiming-ai.cn/v1\n  temperature: 0.2\nretriever:\n  top_k: 4\n"},
     files=["kb_qa.log", "config.yaml"],
     ticket="知识库问答用 langchain 接的，向量化没问题，一问问题就报无可用渠道",
     label=dict(cause="client-default-model", symptom="model-not-found",
                notes="langchain-openai 1.8.1 app log (default level) + config.yaml without llm.model. ChatOpenAI() built without model sends its default gpt-3.5-turbo -> One API 503 '当前分组 default 下对于模型 gpt-3.5-turbo 无可用渠道' (retried). Embeddings with bge-m3 200."))

# 21 key-group-no-access: One API 403 token whitelist
case(name="21-token-whitelist", sdk=B, home="dev/pr-bot", script="pr_bot.py", hosts=["api.shanhai-gw.com"],
     emulators=[{"profile": "oneapi", "port": 9721, "server": "nginx", "models": ["claude-sonnet-4-5-20250929", "gpt-5", "qwen3-coder-plus"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "claude-sonnet-4-5-20250929", "status": 403, "json": {"error": {"message": "该令牌无权使用模型：claude-sonnet-4-5-20250929 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9721", **TLS}],
     clients=[sdk(B, app("https://api.shanhai-gw.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-coder-plus", "msg": "Review PR #212"}, {"op": "chat", "model": "claude-sonnet-4-5-20250929", "msg": "Review PR #212"}], "pr-bot"))],
     env=CA, files=["sdk-debug.log", "capture.har"],
     ticket="PR bot: claude-sonnet-4-5 returns 403 on our gateway, qwen works with the same key",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="OPENAI_LOG=debug + httpx/httpcore + HAR. One API-style: list shows claude-sonnet-4-5-20250929, but chat with it 403 '该令牌无权使用模型：claude-sonnet-4-5-20250929'; qwen3-coder-plus 200."))

# 22 key-group-no-access (404 variant): OpenRouter privacy settings
case(name="22-openrouter-policy", sdk=C, home="wei/essay-coach", script="coach.py", hosts=["openrouter.ai"],
     emulators=[{"profile": "openai", "port": 9722, "headers": {}, "prefix": "/api/v1", "server": "cloudflare", "models": ["anthropic/claude-sonnet-4.5", "openai/gpt-5-mini", "deepseek/deepseek-chat-v3.1"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "model": "anthropic/claude-sonnet-4.5", "status": 404, "json": {"error": {"message": "No endpoints available matching your guardrail restrictions and data policy. Configure: https://openrouter.ai/settings/privacy", "code": 404}, "user_id": "user_2" + "".join(random.choice(AN) for _ in range(26))}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9722", **TLS}],
     clients=[sdk(C, app("https://openrouter.ai/api/v1", "sk-or-v1-" + hexk(64), [{"op": "list"}, {"op": "chat", "model": "anthropic/claude-sonnet-4.5", "msg": "批改这篇英语作文"}], "essay-coach", max_retries=0))],
     env=CA, files=["capture.har.gz"],
     ticket="OpenRouter 上 claude-sonnet-4.5 一直 404，列表里有这个模型",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="HAR only, single .gz. OpenRouter-style list includes anthropic/claude-sonnet-4.5; chat 404 'No endpoints available matching your guardrail restrictions and data policy. Configure: https://openrouter.ai/settings/privacy' (account privacy/guardrail settings)."))

# 23 insufficient-balance: Moonshot 403 via litellm SDK client
case(name="23-kimi-quota", sdk=D, home="jie/news-brief", script="brief.py", hosts=["api.moonshot.cn"], ll_client=True,
     emulators=[{"profile": "openai", "port": 9723, "headers": {"msh-request-id": "%s-%s-%s-%s-%s" % (hexk(8), hexk(4), hexk(4), hexk(4), hexk(12)), "msh-trace-mode": "on"}, "owned_by": "moonshot", "models": ["kimi-k2-turbo-preview", "moonshot-v1-32k"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "status": 403, "json": {"error": {"message": "Your account org-" + hexk(32) + " <ak-" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(20)) + "> is not active, organization org-" + hexk(32) + " exceeded current quota, please check your plan and billing details", "type": "exceeded_current_quota_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9723", **TLS}],
     clients=[dict(kind="litellm", log="brief-run.log", env={"LITELLM_LOCAL_MODEL_COST_MAP": "True"}, app=dict(base_url="https://api.moonshot.cn/v1", api_key=k48(), logger="news-brief", turn_on_debug=True,
                   steps=[{"model": "moonshot/kimi-k2-turbo-preview", "msg": "用三句话总结今天的科技新闻"}]))],
     env=CA, files=["brief-run.log"],
     ticket="用 litellm 调 kimi-k2-turbo-preview 报 403，是模型下线了吗",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="litellm Python SDK (1.108.7) as client with litellm._turn_on_debug(). Moonshot-style 403 'Your account ... is not active, organization ... exceeded current quota, please check your plan and billing details', type exceeded_current_quota_error."))

# 24 insufficient-balance: very long log, New API quota
case(name="24-overnight-batch", sdk=C, home="data/review-classifier", script="classify.py", hosts=["api.zhuque-gw.com"],
     emulators=[{"profile": "newapi", "port": 9724, "server": "nginx", "lang": "en", "models": ["gpt-4.1-nano", "qwen3-8b"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "kind": "ok", "times": 2300},
                           {"method": "POST", "path": "^/v1/chat/completions", "status": 403, "json": {"error": {"code": "insufficient_user_quota", "message": "pre-consume quota failed, user quota: ＄0.004125, need quota: ＄0.010800 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9724", **TLS}],
     clients=[sdk(C, app("https://api.zhuque-gw.com/v1", k48(), [{"op": "list"}, {"op": "repeat", "n": 2304, "steps": [{"op": "chat", "model": "gpt-4.1-nano", "msg": "Classify review: arrived broken, refund please", "max_tokens": 8}]}], "review-classifier", **quiet(log_format=PLAIN3)), log="classify.log", debug=False)],
     env=CA, bundle_dir="batch-2026-12-05", files=["batch-logs.zip:classify.log"],
     ticket="Overnight review classification: first part fine, then every request to gpt-4.1-nano fails with 403",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="Very long default-level app log (~2300 successful gpt-4.1-nano calls) in a zip with folder; then New API-style 403 code insufficient_user_quota 'pre-consume quota failed, user quota: ＄0.004125, need quota: ＄0.010800' for the last calls."))

# 25 upstream-unavailable: LM Studio no model loaded
case(name="25-nothing-loaded", sdk=A, home="ivan/translator", script="translate.py", hosts=["ws-ivan.corp.lan"],
     emulators=[{"profile": "openai", "port": 9725, "headers": {}, "owned_by": "organization_owner", "models": ["openai/gpt-oss-20b", "qwen/qwen3-14b"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "status": 400, "json": {"error": {"message": "No models loaded. Please load a model in the developer page or use the 'lms load' command.", "type": "invalid_request_error", "param": "model", "code": "model_not_found"}}}]}],
     mitm=[{"listen": 1234, "mode": "reverse:http://127.0.0.1:9725"}],
     clients=[sdk(A, app("http://ws-ivan.corp.lan:1234/v1", "lm-studio", [{"op": "list"}, {"op": "chat", "model": "qwen/qwen3-14b", "msg": "Übersetze: Lieferung verzögert sich um zwei Tage", "tb": True}], "translator", **quiet(log_format=PLAIN3)), log="translator.log", debug=False)],
     crlf=["translator.log"], winroot="C:/Users/ivan/translator", files=["translator.log"],
     ticket="Translator after reboot: model qwen3-14b not found, but LM Studio shows it in the list",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="Default-level app log, CRLF, Windows paths. LM Studio-style: /v1/models lists qwen/qwen3-14b (downloaded); chat 400 'No models loaded. Please load a model in the developer page or use the 'lms load' command.' code model_not_found."))

# 26 upstream-unavailable (502 variant): nginx in front of One API
case(name="26-gateway-502", sdk=D, home="rui/live-qa", script="live_qa.py", hosts=["api.xunfeng-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9726, "server": "nginx/1.24.0", "models": ["deepseek-r1", "qwen3-max"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "deepseek-r1", "kind": "nginx", "status": 502}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9726", **TLS}],
     clients=[sdk(D, app("https://api.xunfeng-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-max", "msg": "hi"}, {"op": "chat", "model": "deepseek-r1", "msg": "直播间观众问：这款净水器滤芯多久换一次？"}], "live-qa", transport_debug=False, max_retries=1))],
     env=CA, files=["capture.har"],
     ticket="直播问答接 deepseek-r1 老是失败，换 qwen3-max 就好，抓包在附件",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="HAR only. One API-style gateway lists deepseek-r1; its chat calls get 502 nginx 'Bad Gateway' HTML (retried once); qwen3-max 200."))

# 27 wrong-base-url: two tools, healthy log first
case(name="27-two-tools", sdk=C, home="fang/office-tools", script="tools.py", hosts=["api.boyu-gw.com", "api.deepseek.com"],
     emulators=[{"profile": "newapi", "port": 9727, "server": "nginx", "lang": "zh", "models": ["qwen3-max", "deepseek-v3.2", "glm-4.6"]},
                {"profile": "openai", "port": 9728, "headers": {}, "owned_by": "deepseek", "prefix": "", "models": ["deepseek-chat", "deepseek-reasoner"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "model": "qwen3-max", "status": 400, "json": {"error": {"message": "Model Not Exist", "type": "invalid_request_error", "param": None, "code": "invalid_request_error"}}}]}],
     mitm=[{"listen": 443, "modes": ["reverse:https://127.0.0.1:9727@8443", "reverse:https://127.0.0.1:9728@443"], **TLS}],
     clients=[sdk(C, app("https://api.boyu-gw.com:8443/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-max", "msg": "总结这份周报"}], "summarizer", transport_debug=False), log="summarizer.log"),
              sdk(B, app("https://api.deepseek.com", k48(), [{"op": "chat", "model": "qwen3-max", "msg": "Translate the weekly report into English"}], "translator", transport_debug=False), log="translator.log")],
     env=CA, files=["summarizer.log", "translator.log"],
     ticket="同一个 qwen3-max，摘要工具能用，翻译工具说模型不存在，两份日志都在这",
     label=dict(cause="wrong-base-url", symptom="model-not-found",
                notes="Two OPENAI_LOG=debug logs (transport off); the healthy one first. summarizer.log: https://api.boyu-gw.com:8443/v1 (New API-style) lists qwen3-max, chat 200. translator.log: base https://api.deepseek.com, sends the gateway model qwen3-max to DeepSeek -> 400 'Model Not Exist'."))

# 28 model-not-in-catalog: Zhipu 1211
case(name="28-glm-code", sdk=A, home="min/poster-copy", script="poster.py", hosts=["open.bigmodel.cn"],
     emulators=[{"profile": "openai", "port": 9729, "headers": {}, "prefix": "/api/paas/v4", "owned_by": "zhipu", "models": ["glm-4.6", "glm-4.5-air", "glm-4.5-flash"],
                 "rules": [{"method": "POST", "path": "chat/completions$", "model": "glm-4.6-pro", "status": 400, "json": {"error": {"code": "1211", "message": "模型不存在，请检查模型代码。"}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9729", **TLS}],
     clients=[sdk(A, app("https://open.bigmodel.cn/api/paas/v4", hexk(32) + "." + "".join(random.choice(AN) for _ in range(16)), [{"op": "list"}, {"op": "chat", "model": "glm-4.6-pro", "msg": "写一句双十二海报文案"}], "poster-copy"))],
     env=CA, files=["sdk-debug.log"],
     ticket="智谱接口报 1211 模型不存在，海报文案工具用不了了",
     label=dict(cause="model-not-in-catalog", symptom="model-not-found",
                notes="OPENAI_LOG=debug + httpx/httpcore. Zhipu-style list glm-4.6, glm-4.5-air, glm-4.5-flash; client sends glm-4.6-pro (does not exist) -> 400 {\"error\":{\"code\":\"1211\",\"message\":\"模型不存在，请检查模型代码。\"}}."))

# 29 client-cache: no /models request, stale cached list
case(name="29-stale-picker", sdk=B, home="lan/chat-desk", script="chat_desk.py", hosts=["api.qingniao-relay.com"],
     emulators=[{"profile": "newapi", "port": 9730, "server": "nginx", "lang": "zh", "group": "default", "models": ["qwen3-max", "qwen3-coder-plus", "deepseek-v3.2"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9730", **TLS}],
     clients=[sdk(B, app("https://api.qingniao-relay.com/v1", k48(), [{"op": "chat", "model": "qwen-max-latest", "msg": "你好"}, {"op": "chat", "model": "qwen3-max", "msg": "你好"}], "chat-desk", transport_debug=False, max_retries=0))],
     env=CA, extras={"models-cache.json": json.dumps({"fetched_at": "2026-06-18T09:12:44Z", "base_url": "https://api.qingniao-relay.com/v1", "models": ["qwen-max-latest", "qwen-plus-latest", "deepseek-v3", "glm-4-plus"]}, ensure_ascii=False, indent=2) + "\n"},
     files=["sdk-debug.log", "models-cache.json"],
     ticket="聊天桌面端的模型下拉只有几个旧模型，选了就报错，手动输入 qwen3-max 又可以",
     label=dict(cause="client-cache", symptom="model-list-empty",
                notes="OPENAI_LOG=debug (transport off) + the client's models-cache.json from June. No GET /v1/models in the session; cached qwen-max-latest -> New API zh 503 '分组 default 下模型 qwen-max-latest 无可用渠道（distributor）'; hand-typed qwen3-max 200."))

# 30-33 healthy
case(name="30-vllm-probe-ok", sdk=C, home="ops/healthcheck", script="check.py", hosts=["infer-01.dc2.wanxiang.net"],
     emulators=[{"profile": "vllm", "port": 9731, "server": "uvicorn", "models": ["glm-4.5-air"], "root": "/models/GLM-4.5-Air"}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9731"}],
     clients=[dict(kind="httpx", sdk=C, log="check.log", app=dict(base_url="http://infer-01.dc2.wanxiang.net:8000/v1", api_key="EMPTY", logger="healthcheck",
                   steps=[{"op": "list"}, {"op": "chat", "model": "glm-4.5-air", "msg": "ping"}]))],
     files=["check.log"],
     ticket="健康检查脚本的日志，麻烦看看推理节点配置有没有问题",
     label=dict(cause="no-problem", symptom="none", notes="httpx script log. vLLM-style list glm-4.5-air; chat 200."))
k31 = "sk-" + "".join(random.choice(string.ascii_lowercase) for _ in range(48))
case(name="31-cli-siliconflow-ok", sdk=A, home="qiu/tools", script="openai", hosts=["api.siliconflow.cn"],
     emulators=[{"profile": "openai", "port": 9732, "headers": {}, "owned_by": "", "models": ["deepseek-ai/DeepSeek-V3.2", "Qwen/Qwen3-235B-A22B-Instruct-2507", "BAAI/bge-m3"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9732", **TLS}],
     clients=[dict(kind="cli", sdk=A, log="cli-session.txt", env=dict(CA, OPENAI_BASE_URL="https://api.siliconflow.cn/v1", OPENAI_API_KEY=k31),
                   argv=[["openai", "api", "models.list"], ["openai", "api", "chat.completions.create", "-m", "deepseek-ai/DeepSeek-V3.2", "-g", "user", "用一句话介绍你自己"]])],
     files=["cli-session.txt"],
     ticket="Just checking my SiliconFlow setup with the openai CLI before wiring it into our app, output attached",
     label=dict(cause="no-problem", symptom="none", notes="openai CLI (openai 1.47.1) terminal output: models.list 200 with three SiliconFlow ids; chat with deepseek-ai/DeepSeek-V3.2 200."))
case(name="32-moonshot-ok", sdk=A, home="yu/contract-qa", script="contract_qa.py", hosts=["api.moonshot.cn"],
     emulators=[{"profile": "openai", "port": 9733, "headers": {}, "owned_by": "moonshot", "models": ["kimi-k2-turbo-preview", "moonshot-v1-128k", "kimi-latest"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9733", **TLS}],
     clients=[sdk(A, app("https://api.moonshot.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "moonshot-v1-128k", "msg": "合同第5条的违约责任是什么"}, {"op": "chat", "model": "kimi-k2-turbo-preview", "stream": True, "msg": "再用英文说一遍"}], "contract-qa"))],
     env=CA, bundle_dir="contract-qa-logs", files=["contract-qa-logs.zip:sdk-debug.log,capture.har"],
     ticket="合同问答有时候回答慢，日志和抓包打包了，帮忙看下有没有异常",
     label=dict(cause="no-problem", symptom="none", notes="OPENAI_LOG=debug + httpx/httpcore + HAR in a zip with folder. Moonshot-style list; moonshot-v1-128k chat and kimi-k2-turbo-preview streaming chat 200."))
case(name="33-langchain-ok", sdk=D, home="tao/faq-search", script="faq_search.py", hosts=["api.xiyue-ai.com"],
     emulators=[{"profile": "newapi", "port": 9734, "server": "nginx", "lang": "en", "models": ["text-embedding-3-small", "gpt-4.1-mini"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9734", **TLS}],
     clients=[dict(kind="lc", log="faq_search.log", app=dict(base_url="https://api.xiyue-ai.com/v1", api_key=k48(), logger="faq_search",
                   steps=[{"op": "embed", "model": "text-embedding-3-small", "input": ["shipping times", "return policy"]}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "How long does shipping take?"}]))],
     env=dict(CA, OPENAI_LOG="debug"), files=["faq_search.log", "capture.har"],
     ticket="FAQ search built on langchain, logs attached, please confirm the gateway side is ok",
     label=dict(cause="no-problem", symptom="none", notes="langchain-openai 1.8.1 with OPENAI_LOG=debug (openai 3.63.0 underneath) + HAR. New API-style: embeddings text-embedding-3-small and chat gpt-4.1-mini 200."))

os.makedirs(os.path.join(W2, "specs"), exist_ok=True)
for s in S:
    for m in s.get("mitm", []):
        if "ssl_insecure=true" in m.get("opts", []):
            if m.get("mode"): m["mode"] = m["mode"].replace("reverse:http://", "reverse:https://")
            m["modes"] = [x.replace("reverse:http://", "reverse:https://") for x in m.get("modes", [])]
            for e in s.get("emulators", []): e["tls"] = True
    json.dump(s, open(os.path.join(W2, "specs", s["name"] + ".json"), "w"), ensure_ascii=False, indent=1)
print(len(S))
