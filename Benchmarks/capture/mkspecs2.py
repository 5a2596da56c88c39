#!/usr/bin/env python3
"""captured-2: write one spec JSON per case into specs/ (run with run_case.py)."""
import json, os, random, string

random.seed(20261206 + 2)
A, B, C, D = "1.47.1", "1.99.9", "2.41.0", "3.63.0"
W = os.environ.get("CAPTURE_WORK", os.path.dirname(os.path.abspath(__file__)))
W2 = os.environ.get("CAPTURE_WORK", os.path.dirname(os.path.abspath(__file__)))
CA = {"SSL_CERT_FILE": W + "/ca/ca-certificates.crt"}
AN = string.ascii_letters + string.digits


def k48():
    return "sk-" + "".join(random.choice(AN) for _ in range(48))


def k22():
    return "sk-" + "".join(random.choice(AN + "_-") for _ in range(22))


def hexk(n):
    return "".join(random.choice("0123456789abcdef") for _ in range(n))


def proj_key():
    f = lambda n: "".join(random.choice(AN + "_-") for _ in range(n))
    return "sk-proj-" + f(74) + "T3BlbkFJ" + f(74)


S = []


def case(**kw):
    S.append(kw)


def app(base, key, steps, logger="app", **kw):
    d = {"logger": logger, "app_name": logger, "base_url": base, "api_key": key, "steps": steps}
    d.update(kw)
    return d


PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PLAIN2 = "%(asctime)s [%(levelname)s] %(name)s - %(message)s"
DEFAULT_LVL = dict(openai_log=False)          # no OPENAI_LOG, only the app's logging + tracebacks
NOTRANSPORT = {"transport_debug": False}


def quiet(**kw):
    d = {"transport_debug": False, "log_format": PLAIN}
    d.update(kw)
    return d


def litellm_cfg(models, master, extra=""):
    out = "model_list:\n"
    for name, target, base in models:
        out += "  - model_name: %s\n    litellm_params:\n      model: %s\n      api_base: %s\n      api_key: sk-upstream-%s\n" % (name, target, base, hexk(24))
    out += "litellm_settings:\n  drop_params: true\n  request_timeout: 20\n" + extra
    out += "general_settings:\n  master_key: %s\n" % master
    return out


# ============================================================ model-list-empty side
case(name="01-gpu-server-bot", sdk=C, home="zhangwei/teams-bot", script="bot.py", hosts=["gpu-a100-03.ml.qiming-tech.com"],
     emulators=[{"profile": "vllm", "port": 9501, "server": "uvicorn", "models": ["qwen3-32b-awq"], "root": "/data/models/Qwen3-32B-AWQ"}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9501"}],
     app=app("http://gpu-a100-03.ml.qiming-tech.com:8000", "EMPTY", [{"op": "list"}, {"op": "chat", "model": "qwen3-32b-awq", "msg": "本周值班表发一下", "tb": True}], "teams-bot", **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "bot.log"}, files=["bot.log"],
     ticket="机器人接到我们自己部署的推理服务器上，模型列表是空的，发消息也 404",
     label=dict(cause="base-url-missing-version", symptom="model-list-empty",
                notes="Default-level app log only (no OPENAI_LOG). base_url http://gpu-a100-03.ml.qiming-tech.com:8000 has no /v1; the vLLM-style server answers GET /models and POST /chat/completions with 404 {\"detail\":\"Not Found\"} (it serves /v1/models, /v1/chat/completions). Fix: append /v1."))

case(name="02-router-api-v1", sdk=D, home="olivia/pdf-qa", script="qa.py", hosts=["api.openhub-ai.com"],
     emulators=[{"profile": "openai", "port": 9502, "tls": True, "server": "cloudflare", "prefix": "/api/v1", "headers": {"cf-ray": "9a4f%sd-SJC" % hexk(11)},
                 "models": ["openai/gpt-4.1-mini", "anthropic/claude-3.7-sonnet", "meta-llama/llama-4-maverick", "mistralai/mixtral-8x7b-instruct"],
                 "rules": [{"path": "^/api/v1/v1/", "status": 404, "json": {"error": {"message": "Not Found", "code": 404}}}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9502", "opts": ["ssl_insecure=true"]}],
     app=app("https://api.openhub-ai.com/api/v1/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "openai/gpt-4.1-mini", "stream": True, "msg": "What does section 4.2 of the contract say about termination?"}], "pdf-qa"),
     env=CA, bundle_dir="har-export", files=["network-capture.tar:capture.har"],
     ticket="PDF Q&A tool shows no models with our openhub key, network capture attached.",
     label=dict(cause="base-url-duplicated-version", symptom="model-list-empty",
                notes="HAR only, in a plain tar. base_url https://api.openhub-ai.com/api/v1/v1: the app appended /v1 to the documented root https://api.openhub-ai.com/api/v1, so GET /api/v1/v1/models and POST /api/v1/v1/chat/completions get 404 {\"error\":{\"message\":\"Not Found\",\"code\":404}}."))

case(name="03-docs-link", sdk=B, home="ming/weekly-report", script="report.py", hosts=["docs.xinghe-api.com"],
     emulators=[{"profile": "openai", "port": 9503, "tls": True, "server": "nginx/1.27.1", "headers": {"x-powered-by": "VitePress"},
                 "rules": [{"path": "^/", "status": 404, "ctype": "text/html; charset=utf-8",
                            "text": "<!DOCTYPE html>\n<html lang=\"zh-CN\" dir=\"ltr\">\n  <head>\n    <meta charset=\"utf-8\">\n    <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n    <title>404 | 星河 API 文档</title>\n    <meta name=\"description\" content=\"星河 API 开发者文档\">\n    <link rel=\"preload stylesheet\" href=\"/assets/style.Bq2vD1xk.css\" as=\"style\">\n    <script type=\"module\" src=\"/assets/app.C7hDk2Lm.js\"></script>\n  </head>\n  <body>\n    <div id=\"app\"><div class=\"NotFound\"><p class=\"code\">404</p><h1 class=\"title\">PAGE NOT FOUND</h1><div class=\"divider\"></div><blockquote class=\"quote\">But if you don't change your direction, and if you keep looking, you may end up where you are heading.</blockquote><div class=\"action\"><a class=\"link\" href=\"/\" aria-label=\"go to home\">Take me home</a></div></div></div>\n  </body>\n</html>\n"}]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9503", "opts": ["ssl_insecure=true"]}],
     app=app("https://docs.xinghe-api.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4.5", "msg": "根据以下要点生成周报"}], "weekly-report", transport_debug=False),
     env=CA, files=["sdk-debug.log.gz"],
     ticket="周报工具获取不到模型，日志里是一大段 HTML，接口地址填的 https://docs.xinghe-api.com/v1 应该没错吧",
     label=dict(cause="base-url-wrong-host", symptom="model-list-empty",
                notes="OPENAI_LOG=debug, transport loggers off, single .gz. base_url uses the documentation site docs.xinghe-api.com instead of the API host; the static docs site answers every path with its 404 HTML page (text/html, VitePress). The SDK raises NotFoundError with the HTML body for /v1/models and /v1/chat/completions."))

case(name="04-inhouse-router", sdk=D, home="ops/alert-summarizer", script="summarizer.py", hosts=["llm.beichen-data.com"],
     emulators=[{"profile": "openai", "port": 9504, "headers": {}, "models": ["hunyuan-turbos-latest", "ernie-4.5-turbo-128k"],
                 "rules": [{"method": "GET", "path": "^/v1/models", "status": 404, "ctype": "text/plain; charset=utf-8", "text": "404 page not found\n"}]}],
     mitm=[{"listen": 9000, "mode": "reverse:http://127.0.0.1:9504"}],
     app=app("http://llm.beichen-data.com:9000/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "hunyuan-turbos-latest", "msg": "Summarise these 14 alerts from the last hour"}, {"op": "chat", "model": "ernie-4.5-turbo-128k", "stream": True, "msg": "Which alert is most urgent?"}], "alert-summarizer"),
     bundle_dir="support-bundle/2026-12-05/logs", files=["support-bundle.zip:sdk-debug.log,capture.har"],
     ticket="Alert summarizer: model selector stays empty after the upgrade, hunyuan-turbos-latest typed by hand answers normally.",
     label=dict(cause="models-endpoint-unsupported", symptom="model-list-empty",
                notes="Full debug log + HAR in a zip with nested folder. The in-house Go router has no GET /v1/models route: 404 text/plain '404 page not found'. POST /v1/chat/completions with hunyuan-turbos-latest (plain) and ernie-4.5-turbo-128k (streaming) on the same base work."))

k05 = k48()
case(name="05-fresh-account", sdk=A, home="xiaoyu/study-helper", script="helper.py", hosts=["api.yuanqi-ai.com"],
     emulators=[{"profile": "newapi", "port": 9505, "server": "nginx", "models": []}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9505"}],
     app=app("http://api.yuanqi-ai.com/v1", k05, [{"op": "list"}, {"op": "sleep", "s": 2}, {"op": "list"}], "study-helper", **quiet(log_format=PLAIN2)),
     **DEFAULT_LVL, rename={"sdk-debug.log": "helper.log"},
     extras={"screenshot.png": "copy:assets/empty-models.png",
             "config.yaml": "# study-helper settings\nprovider:\n  name: yuanqi\n  base_url: http://api.yuanqi-ai.com/v1\n  api_key: %s\nui:\n  language: zh-CN\n  theme: light\n  default_model: \"\"\nhistory:\n  keep_days: 30\n" % k05},
     files=["helper.log", "capture.har", "screenshot.png", "config.yaml"],
     ticket="刚注册充值完，软件里一个模型都选不了，截图和配置都附上了",
     label=dict(cause="key-group-no-models", symptom="model-list-empty",
                notes="Default-level app log + HAR + screenshot + config. New API-style gateway; GET /v1/models answers 200 {\"success\":true,\"data\":[],\"object\":\"list\"} twice: the new token's group has no models enabled. No error anywhere."))

k06 = proj_key()
case(name="06-copied-wrong-key", sdk=C, home="dan/invoice-ocr", script="ocr_pipeline.py", hosts=["api.hexin-relay.com"],
     emulators=[{"profile": "oneapi", "port": 9506, "server": "nginx", "keys": [k48()], "models": ["gpt-4.1", "gpt-4.1-mini", "o4-mini"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9506"}],
     app=app("http://api.hexin-relay.com/v1", k06, [{"op": "list"}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "Extract the invoice number and total from this text"}], "invoice-ocr", transport_debug=False),
     extras={".env": "# invoice-ocr\nOPENAI_BASE_URL=http://api.hexin-relay.com/v1\nOPENAI_API_KEY=%s\nOCR_LANG=en,de\nOUTPUT_DIR=./out\n" % k06,
             "README.txt": "Hi support,\r\n\r\nattached the debug log from our OCR pipeline and our .env (minus the DB password).\r\nWe switched to your relay on Monday. The model list call fails and so does extraction.\r\n\r\nThanks,\r\nDan\r\n"},
     files=["sdk-debug.log", ".env", "README.txt"],
     ticket="Switched our OCR pipeline to your relay this week, the model list never loads and extraction calls fail. Debug log and env attached.",
     label=dict(cause="auth-invalid-key", symptom="model-list-empty",
                notes="OPENAI_LOG=debug, transport loggers off, plus .env and README.txt. The customer put an OpenAI project key (sk-proj-...) instead of the relay token; the One API-style relay answers 401 '无效的令牌 (request id: ...)' type one_api_error for /v1/models and chat."))

case(name="07-windows-proxy-tool", sdk=B, home="liuyang/chatdesk", script="chatdesk.py",
     emulators=[], mitm=[],
     app=app("https://api.xiaoma-ai.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3-30b-a3b", "msg": "你好"}], "chatdesk"),
     env={"HTTPS_PROXY": "http://127.0.0.1:7890", "HTTP_PROXY": "http://127.0.0.1:7890"},
     crlf=["sdk-debug.log"], files=["sdk-debug.log"],
     ticket="在 Windows 的 WSL 里跑我们的程序，模型列表空白，提示 Connection error，手机上用同一个 key 是好的",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="Full debug log (OPENAI_LOG=debug + httpcore) with Windows CRLF line endings (re-saved on Windows). HTTP(S)_PROXY=http://127.0.0.1:7890 is left over from a local proxy tool (Clash) that is not running; every connect to the proxy port is refused (httpcore connect_tcp to 127.0.0.1:7890 -> ConnectError), the SDK retries and raises APIConnectionError. The gateway is never reached."))

case(name="08-corp-laptop-407", sdk=D, home="p.schmidt/contract-review", script="review.py", hosts=["proxy.jinhe-group.com"],
     emulators=[], mitm=[{"listen": 8080, "keep_host": False, "opts": ["proxyauth=svc_ai:Jh2026!x"]}],
     app=app("https://api.lumen-llm.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-4.1", "msg": "List the liability clauses", "tb": True}], "contract-review", max_retries=1, **quiet()),
     **DEFAULT_LVL, env={"HTTPS_PROXY": "http://proxy.jinhe-group.com:8080", "NO_PROXY": "localhost,127.0.0.1,.jinhe-group.com"},
     rename={"sdk-debug.log": "review.log"}, files=["review.log.gz"],
     ticket="Contract review tool on my work laptop: no models and every request errors out. Works fine on my personal machine.",
     label=dict(cause="network-proxy", symptom="model-list-empty",
                notes="Default-level app log only, gzipped. HTTPS_PROXY points at the corporate proxy proxy.jinhe-group.com:8080 (mitmproxy with proxyauth) which answers the CONNECT with 407 Proxy Authentication Required; httpx raises ProxyError, the SDK raises APIConnectionError. The gateway is never reached."))

case(name="09-list-other-shape", sdk=A, home="hr/resume-screener", script="screener.py", hosts=["aiapi.lanting-edu.cn"],
     emulators=[{"profile": "openai", "port": 9509, "headers": {}, "server": "openresty", "models": ["qwen3:8b", "gemma3:12b", "yi-1.5-34b-chat"],
                 "rules": [{"method": "GET", "path": "^/v1/models$", "json": {"models": [{"name": "qwen3:8b", "model": "qwen3:8b", "size": 5225388164, "details": {"family": "qwen3", "parameter_size": "8.2B", "quantization_level": "Q4_K_M"}}, {"name": "gemma3:12b", "model": "gemma3:12b", "size": 8149190253, "details": {"family": "gemma3", "parameter_size": "12.2B", "quantization_level": "Q4_K_M"}}, {"name": "yi-1.5-34b-chat", "model": "yi-1.5-34b-chat", "size": 19467139200, "details": {"family": "llama", "parameter_size": "34.4B", "quantization_level": "Q4_0"}}]}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9509"}],
     app=app("http://aiapi.lanting-edu.cn/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "qwen3:8b", "msg": "根据岗位要求给这份简历打分"}], "screener", **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "screener.log"}, files=["screener.log", "capture.har.gz"],
     ticket="简历筛选工具显示 0 个可用模型，但是接口返回 200，手动写 qwen3:8b 能用",
     label=dict(cause="client-cannot-list", symptom="model-list-empty",
                notes="Default-level app log + gzipped HAR. The school's gateway answers GET /v1/models with 200 {\"models\":[{\"name\":...}]} (Ollama-like shape, no 'data' array); the SDK yields 0 models without error. Hand-typed qwen3:8b chat works."))

case(name="10-double-slash", sdk=C, home="kai/customer-mail", script="mailer.py", hosts=["api.qingyun-llm.com"],
     emulators=[{"profile": "oneapi", "port": 9510, "server": "nginx", "title": "青云 LLM", "asset": "Dk3m9QaZ", "raw_path": True, "models": ["deepseek-v3.1", "qwen3-32b", "glm-4-flash"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9510"}],
     app=app("http://api.qingyun-llm.com//v1", k48(), [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.1", "msg": "回复客户：发票什么时候能开"}], "customer-mail", transport_debug=False),
     files=["sdk-debug.log", "capture.har"],
     ticket="邮件助手拉模型一直失败，日志里报 JSON 解析的错，地址 key 都检查过了",
     label=dict(cause="base-url-malformed", symptom="model-list-empty",
                notes="OPENAI_LOG=debug (transport off) + HAR. base_url 'http://api.qingyun-llm.com//v1' has a doubled slash, so requests go to //v1/models and //v1/chat/completions; the One API-style gateway does not route those to the API and serves its web console index.html (200 text/html), which the SDK cannot parse. Fix: http://api.qingyun-llm.com/v1."))

LL11 = k22()
case(name="11-proxy-server-log", sdk=C, home="it/helpdesk-ai", script="helpdesk.py", hosts=["llm-proxy.dongfang-logistics.com"],
     emulators=[{"profile": "openai", "port": 9511, "models": ["deepseek-v3.1", "qwen3-32b"]}],
     litellm={"port": 15011, "config": litellm_cfg([("deepseek-v3.1", "openai/deepseek-v3.1", "http://127.0.0.1:9511/v1"), ("qwen3-32b", "openai/qwen3-32b", "http://127.0.0.1:9511/v1")], LL11)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15011"}],
     app=app("http://llm-proxy.dongfang-logistics.com:4000/v1/models", LL11, [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.1", "msg": "How do I reset my VPN token?"}], "helpdesk-ai"),
     files=["gateway.log.gz"],
     ticket="Helpdesk assistant lists no models against our LiteLLM proxy. Only have the proxy's log, the app box is locked down.",
     label=dict(cause="base-url-includes-endpoint", symptom="model-list-empty",
                notes="LiteLLM gateway log only (real LiteLLM 1.108.7, --detailed_debug). The app's base URL is http://llm-proxy.dongfang-logistics.com:4000/v1/models (the list endpoint), so the proxy receives GET /v1/models/models and POST /v1/models/chat/completions. Fix: base URL .../v1."))

# ============================================================ either symptom
case(name="12-lab-server-agent", sdk=D, home="lab/paper-agent", script="agent.py", hosts=["fastchat.ai-lab.hzu.edu.cn"],
     emulators=[{"profile": "openai", "port": 9512, "headers": {}, "server": "uvicorn", "models": ["internlm3-8b-instruct", "chatglm3-6b"], "owned_by": "fastchat",
                 "rules": [{"path": "^/v1/responses", "status": 404, "json": {"detail": "Not Found"}}]}],
     mitm=[{"listen": 8000, "mode": "reverse:http://127.0.0.1:9512"}],
     app=app("http://fastchat.ai-lab.hzu.edu.cn:8000/v1", "sk-lab", [{"op": "list"}, {"op": "responses", "model": "internlm3-8b-instruct", "msg": "Summarise the abstract"}, {"op": "responses", "model": "chatglm3-6b", "msg": "Summarise the abstract"}, {"op": "chat", "model": "internlm3-8b-instruct", "msg": "ping"}], "paper-agent"),
     bundle_dir="export/paper-agent/logs", files=["paper-agent-logs.zip:sdk-debug.log,capture.har"],
     ticket="实验室服务器上的两个模型在 agent 里都报 404 Not Found，可是 /v1/models 里明明有",
     label=dict(cause="endpoint-unsupported", symptom="model-not-found",
                notes="Full debug + HAR in a zip with nested folder. The agent uses the Responses API; the FastChat-style lab server has no /v1/responses (404 {\"detail\":\"Not Found\"} for both models), while /v1/models lists them and POST /v1/chat/completions with internlm3-8b-instruct works."))

LL13 = k22()
case(name="13-form-header", sdk=B, home="web/seo-writer", script="writer.py", hosts=["ai-gw.huaxin-media.com"],
     emulators=[{"profile": "openai", "port": 9513, "models": ["qwen3-235b-a22b-instruct-2507", "glm-4-flash"]}],
     litellm={"port": 15013, "config": litellm_cfg([("qwen3-235b-a22b-instruct-2507", "openai/qwen3-235b-a22b-instruct-2507", "http://127.0.0.1:9513/v1"), ("glm-4-flash", "openai/glm-4-flash", "http://127.0.0.1:9513/v1")], LL13)},
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:15013"}],
     app=app("http://ai-gw.huaxin-media.com/v1", LL13, [{"op": "list"}, {"op": "chat", "model": "qwen3-235b-a22b-instruct-2507", "msg": "写一篇 800 字的产品软文"}, {"op": "chat", "model": "glm-4-flash", "msg": "写一篇 800 字的产品软文"}], "seo-writer",
             default_headers={"Content-Type": "application/x-www-form-urlencoded", "X-Requested-With": "seo-writer"}),
     files=["sdk-debug.log", "capture.har", "gateway.log"],
     ticket="写作工具调用两个模型都失败，模型列表里是有这两个模型的",
     label=dict(cause="request-body-invalid", symptom="model-not-found",
                notes="Full debug + HAR + real LiteLLM log. The app sets default_headers Content-Type: application/x-www-form-urlencoded (left over from an old form-post helper), so the JSON body goes out labelled as a form. Real LiteLLM parses it as form data: the whole JSON text becomes one form key, 'model': None in the proxy's request data, and both chats get 400 \"/chat/completions: Missing required parameter: 'messages'.\" although the client set model and messages. /v1/models works."))

LL14 = k22()
case(name="14-new-model-added", sdk=B, home="fin/report-gen", script="gen.py", hosts=["llm.zhongtai-fin.com"],
     emulators=[{"profile": "openai", "port": 9514, "models": ["qwen2.5-72b-instruct", "deepseek-v3.1", "bge-large-zh-v1.5"]}],
     litellm={"port": 15014, "config": "model_list:\n  - model_name: deepseek-v3.1\n    litellm_params:\n      model: openai/deepseek-v3.1\n      api_base: http://127.0.0.1:9514/v1\n      api_key: sk-upstream-%s\n  - model_name: qwen2.5-72b-instruct\n    litellm_params:\n      model: qwen2.5-72b-instruct\n      api_base: http://127.0.0.1:9514/v1\n      api_key: sk-upstream-%s\n  - model_name: bge-large-zh-v1.5\n    litellm_params:\n      model: openai/bge-large-zh-v1.5\n      api_base: http://127.0.0.1:9514/v1\n      api_key: sk-upstream-%s\nlitellm_settings:\n  drop_params: true\n  request_timeout: 20\ngeneral_settings:\n  master_key: %s\n" % (hexk(24), hexk(24), hexk(24), LL14)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15014"}],
     app=app("http://llm.zhongtai-fin.com:4000/v1", LL14, [{"op": "list"}, {"op": "chat", "model": "deepseek-v3.1", "msg": "ok?"}, {"op": "chat", "model": "qwen2.5-72b-instruct", "msg": "生成三季度财务摘要"}, {"op": "chat", "model": "qwen2.5-72b-instruct", "msg": "生成三季度财务摘要"}], "report-gen"),
     bundle_dir="report-gen-issue", files=["report-gen-issue.tar:sdk-debug.log,capture.har,gateway.log"],
     ticket="管理员说已经开通了 qwen2.5-72b-instruct，可是一调用就报 400，deepseek 正常",
     label=dict(cause="gateway-config", symptom="model-not-found",
                notes="Full debug + HAR + real LiteLLM log in a plain tar. The operator added qwen2.5-72b-instruct to the LiteLLM config without a provider prefix (model: qwen2.5-72b-instruct instead of openai/qwen2.5-72b-instruct): at startup the real LiteLLM logs 'Error creating deployment: litellm.BadRequestError: LLM Provider NOT provided ... You passed model=qwen2.5-72b-instruct', the model is missing from /v1/models, and chat calls get 400 'You passed in model=qwen2.5-72b-instruct. There are no healthy deployments for this model'. deepseek-v3.1 works; only the operator can fix the config."))

AZ15 = hexk(32)
case(name="15-azure-switch", sdk=A, home="claire/faq-bot", script="faq_bot.py", hosts=["hk-ops-ai.openai.azure.com"],
     emulators=[{"profile": "azure", "port": 9515, "tls": True, "server": "",
                 "rules": [{"path": "^/openai/deployments/gpt41mini-prod/", "kind": "ok"},
                           {"path": "^/openai/deployments/", "status": 404, "json": {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}}],
                 "models": ["gpt41mini-prod"]}],
     mitm=[{"listen": 443, "mode": "reverse:https://127.0.0.1:9515", "opts": ["ssl_insecure=true"]}],
     app=dict(app(None, AZ15, [{"op": "chat", "model": "gpt-4.1-mini", "msg": "What are your opening hours?", "tb": True}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "Do you ship to Macau?", "tb": True}], "faq-bot", **quiet(log_format=PLAIN2)),
              azure={"endpoint": "https://hk-ops-ai.openai.azure.com", "api_version": "2024-10-21"}),
     **DEFAULT_LVL, env=CA, rename={"sdk-debug.log": "faq_bot.log"},
     extras={"settings.env": "AZURE_OPENAI_ENDPOINT=https://hk-ops-ai.openai.azure.com\nAZURE_OPENAI_API_KEY=%s\nAZURE_OPENAI_API_VERSION=2024-10-21\nCHAT_MODEL=gpt-4.1-mini\n" % AZ15},
     files=["faq_bot.log", "settings.env"],
     ticket="We moved the FAQ bot to our own Azure resource and now every answer fails with a 404.",
     label=dict(cause="azure-deployment-mismatch", symptom="model-not-found",
                notes="Default-level app log + settings.env. AzureOpenAI client sends model gpt-4.1-mini as the deployment: /openai/deployments/gpt-4.1-mini/chat/completions -> 404 DeploymentNotFound. The deployment in the new resource is named gpt41mini-prod."))

# ============================================================ model-not-found side
case(name="16-capital-letters", sdk=C, home="ana/travel-planner", script="planner.py", hosts=["api.haina-llm.com"],
     emulators=[{"profile": "newapi", "port": 9516, "server": "nginx", "models": ["qwen2.5-72b-instruct", "qwen2.5-vl-72b-instruct", "deepseek-v3.1", "yi-lightning"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9516"}],
     app=app("http://api.haina-llm.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "Qwen2.5-72B-Instruct", "stream": True, "msg": "Plan a 3 day trip to Chengdu"}], "travel-planner", transport_debug=False),
     bundle_dir="Downloads/har", files=["har.zip:capture.har"],
     ticket="Travel planner says no channel available for Qwen2.5-72B-Instruct, but the model is on your price page. HAR attached.",
     label=dict(cause="model-name-case", symptom="model-not-found",
                notes="HAR only (zip with nested folder). GET /v1/models lists qwen2.5-72b-instruct; the app requests Qwen2.5-72B-Instruct -> New API-style 503 model_not_found 'No available channel for model Qwen2.5-72B-Instruct under group default (distributor)' (retried twice by the SDK)."))

case(name="17-snapshot-name", sdk=D, home="tom/changelog-bot", script="changelog.py", hosts=["api.fengchi-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9517, "server": "nginx", "models": ["gpt-4.1", "gpt-4.1-mini", "o4-mini", "text-embedding-3-large"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9517"}],
     app=app("http://api.fengchi-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-4.1-mini-2025-04-14", "msg": "Write release notes from these commits", "tb": True}], "changelog-bot", max_retries=0, **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "changelog-bot.log"}, files=["changelog-bot.log.gz"],
     ticket="Changelog bot fails with a 503 on every run since Tuesday's config cleanup. Log attached.",
     label=dict(cause="model-name-suffix", symptom="model-not-found",
                notes="Default-level app log only, gzipped (max_retries=0). The list has gpt-4.1-mini; the bot pins the dated snapshot gpt-4.1-mini-2025-04-14 -> One API-style 503 '当前分组 default 下对于模型 gpt-4.1-mini-2025-04-14 无可用渠道 (request id: ...)'."))

case(name="18-old-opus", sdk=B, home="lawfirm/brief-drafter", script="drafter.py", hosts=["api.qiyuan-relay.com"],
     emulators=[{"profile": "newapi", "port": 9518, "server": "nginx", "lang": "zh", "models": ["claude-opus-4-5-20251101", "claude-sonnet-4-20250514", "claude-3-5-haiku-20241022", "gpt-4.1"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9518"}],
     app=app("http://api.qiyuan-relay.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "claude-3-opus-20240229", "msg": "起草一份律师函"}, {"op": "chat", "model": "claude-sonnet-4-20250514", "msg": "起草一份律师函"}], "brief-drafter"),
     files=["sdk-debug.log.gz", "capture.har.gz"],
     ticket="之前一直用的 opus 模型突然不能用了，报无可用渠道，sonnet 还可以",
     label=dict(cause="model-name-legacy-alias", symptom="model-not-found",
                notes="Full debug + HAR, both as single .gz. The app still requests claude-3-opus-20240229 (retired 2026-01-05); the New API-style relay has no channel: 503 '分组 default 下模型 claude-3-opus-20240229 无可用渠道（distributor）'. The list offers claude-opus-4-5-20251101; claude-sonnet-4-20250514 works."))

LL19 = k22()
case(name="19-model-dropdown-label", sdk=D, home="mkt/ad-copy", script="adcopy.py", hosts=["genai.yunfan-tech.com"],
     emulators=[{"profile": "openai", "port": 9519, "models": ["doubao-seed-1-6-flash-250828", "minimax-m2", "step-2-16k"]}],
     litellm={"port": 15019, "config": litellm_cfg([("doubao-seed-1-6-flash-250828", "openai/doubao-seed-1-6-flash-250828", "http://127.0.0.1:9519/v1"), ("minimax-m2", "openai/minimax-m2", "http://127.0.0.1:9519/v1"), ("step-2-16k", "openai/step-2-16k", "http://127.0.0.1:9519/v1")], LL19)},
     mitm=[{"listen": 443, "mode": "reverse:http://127.0.0.1:15019"}],
     app=app("https://genai.yunfan-tech.com/v1", LL19, [{"op": "list"}, {"op": "chat", "model": "Doubao Seed 1.6 Flash", "msg": "给这款保温杯写三条广告语"}, {"op": "chat", "model": "Doubao Seed 1.6 Flash", "msg": "再短一点"}], "ad-copy"),
     env=CA, files=["gateway.log"],
     ticket="广告文案工具调用豆包报 400，运维只导出了网关日志给你们",
     label=dict(cause="model-name-marketing", symptom="model-not-found",
                notes="LiteLLM gateway log only (real LiteLLM 1.108.7). The app sends the display name 'Doubao Seed 1.6 Flash'; the proxy's model_name is doubao-seed-1-6-flash-250828 -> 400 'Invalid model name passed in model=Doubao Seed 1.6 Flash'."))

case(name="20-homelab-bot", sdk=C, home="pi/tg-bot", script="tgbot.py", hosts=["ollama.homelab.lan"],
     emulators=[{"profile": "ollama", "port": 9520, "models": ["qwen3:14b", "gemma3:12b", "nomic-embed-text:latest"]}],
     mitm=[{"listen": 11434, "mode": "reverse:http://127.0.0.1:9520", "keep_host": True}],
     app=app("http://ollama.homelab.lan:11434/v1", "ollama", [{"op": "chat", "model": "gpt-4o-mini", "msg": "/start", "tb": True}, {"op": "chat", "model": "gpt-4o-mini", "msg": "what's the weather like", "tb": True}], "tg-bot", **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "tgbot.log"},
     extras={"config.yaml": "telegram:\n  token: \"7703512894:AAH%s\"\nllm:\n  base_url: http://ollama.homelab.lan:11434/v1\n  api_key: ollama\n  # model: qwen3:14b\n  temperature: 0.7\n" % "".join(random.choice(AN) for _ in range(32)),
             "README.txt": "bot runs in docker on the NAS, ollama on the gaming PC. ollama list shows qwen3:14b and gemma3:12b. bot replies 'error' to everything.\n"},
     files=["tgbot.log", "config.yaml", "README.txt"],
     ticket="telegram bot connected to my ollama box just answers error to every message, log + config attached",
     label=dict(cause="client-default-model", symptom="model-not-found",
                notes="Default-level app log + config.yaml + README.txt. The model line in config.yaml is commented out, so the bot sends its built-in default gpt-4o-mini; Ollama answers 404 'model \"gpt-4o-mini\" not found, try pulling it first'. Only qwen3:14b / gemma3:12b are pulled."))

case(name="21-intern-team-token", sdk=A, home="growth/churn-notebook", script="churn.py", hosts=["api.sanyuan-ai.com"],
     emulators=[{"profile": "newapi", "port": 9521, "server": "nginx", "models": ["o4-mini", "gpt-4.1", "gpt-4.1-mini", "text-embedding-3-large"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "o4-mini", "status": 403, "json": {"error": {"code": "", "message": "This token has no access to model o4-mini (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9521"}],
     app=app("http://api.sanyuan-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "gpt-4.1-mini", "msg": "Explain churn cohort analysis"}, {"op": "chat", "model": "o4-mini", "msg": "Write SQL for 30-day churn"}], "churn-notebook"),
     files=["capture.har"],
     ticket="o4-mini returns 403 from the notebook but gpt-4.1-mini is fine, same account.",
     label=dict(cause="key-group-no-access", symptom="model-not-found",
                notes="HAR only. New API-style gateway lists o4-mini; the intern team's token has a model whitelist without it: POST chat with o4-mini -> 403 'This token has no access to model o4-mini (request id: ...)'. gpt-4.1-mini works."))

case(name="22-overnight-batch", sdk=C, home="etl/review-tagger", script="tagger.py", hosts=["api.jiyun-ai.com"],
     emulators=[{"profile": "newapi", "port": 9522, "server": "nginx", "models": ["deepseek-v3.1", "qwen3-32b", "glm-4-flash"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "times": 2861, "kind": "ok"},
                           {"method": "POST", "path": "^/v1/chat/completions$", "status": 403, "json": {"error": {"code": "insufficient_user_quota", "message": "pre-consume quota failed, user quota: ＄0.004913, need quota: ＄0.011842 (request id: {rid})", "type": "new_api_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9522"}],
     app=app("http://api.jiyun-ai.com/v1", k48(), [{"op": "list"}, {"op": "repeat", "n": 2900, "steps": [{"op": "chat", "model": "deepseek-v3.1", "msg": "给这条评论打标签：物流慢但客服态度好", "max_tokens": 32}]}], "review-tagger", transport_debug=False),
     files=["sdk-debug.log.gz"],
     ticket="夜里跑的评论打标任务跑到一半开始全部报错，前面两千多条都是好的",
     label=dict(cause="insufficient-balance", symptom="model-not-found",
                notes="Very long OPENAI_LOG=debug log (transport off), gzipped: ~2,860 successful chat calls with deepseek-v3.1, then every call gets New API-style 403 insufficient_user_quota 'pre-consume quota failed, user quota: ＄0.004913, need quota: ＄0.011842 (request id: ...)'."))

LL23 = k22()
case(name="23-one-model-errors", sdk=B, home="sup/kb-search", script="kb.py", hosts=["ai.huanyu-cloud.com"],
     emulators=[{"profile": "openai", "port": 9523, "models": ["qwen3-32b", "bge-large-zh-v1.5"]},
                {"profile": "openai", "port": 9623, "headers": {}, "server": "nginx", "models": ["deepseek-v3.1"],
                 "rules": [{"path": "^/v1/chat/completions", "status": 503, "json": {"code": 50505, "message": "Model service overloaded. Please try again later.", "data": None}}]}],
     litellm={"port": 15023, "config": litellm_cfg([("qwen3-32b", "openai/qwen3-32b", "http://127.0.0.1:9523/v1"), ("deepseek-v3.1", "openai/deepseek-v3.1", "http://127.0.0.1:9623/v1"), ("bge-large-zh-v1.5", "openai/bge-large-zh-v1.5", "http://127.0.0.1:9523/v1")], LL23, "  num_retries: 0\n")},
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:15023"}],
     app=app("http://ai.huanyu-cloud.com/v1", LL23, [{"op": "list"}, {"op": "embed", "model": "bge-large-zh-v1.5", "input": ["退款流程", "发票"]}, {"op": "chat", "model": "deepseek-v3.1", "msg": "用户问怎么退款"}, {"op": "chat", "model": "qwen3-32b", "msg": "用户问怎么退款"}], "kb-search", transport_debug=False),
     bundle_dir="kb-search-debug", files=["kb-search-debug.tar:sdk-debug.log,capture.har,gateway.log"],
     ticket="知识库问答里选 deepseek-v3.1 一直失败，换 qwen3-32b 就好了，日志打包了",
     label=dict(cause="upstream-unavailable", symptom="model-not-found",
                notes="OPENAI_LOG=debug (transport off) + HAR + real LiteLLM log, plain tar. deepseek-v3.1 is listed, but its only upstream answers 503 {\"code\":50505,\"message\":\"Model service overloaded...\"}; LiteLLM returns ServiceUnavailableError and the SDK retries. qwen3-32b and embeddings work."))

case(name="24-two-settings", sdk=A, home="chloe/meeting-minutes", script="minutes.py", hosts=["api.tianshu-ai.com"],
     emulators=[{"profile": "newapi", "port": 9524, "server": "nginx", "models": ["hunyuan-turbos-latest", "ernie-4.5-turbo-128k", "qwen3-32b"]},
                {"profile": "ollama", "port": 9624, "models": ["qwen3:8b", "llama3.2:3b"]}],
     mitm=[{"listen": 80, "modes": ["reverse:http://127.0.0.1:9524@80", "reverse:http://127.0.0.1:9624@11434"]}],
     app=app("http://api.tianshu-ai.com/v1", k48(), [{"op": "list"}, {"op": "client", "purpose": "chat", "base_url": "http://localhost:11434/v1"}, {"op": "chat", "model": "hunyuan-turbos-latest", "msg": "整理会议纪要", "tb": True}], "minutes", **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "minutes.log"},
     extras={"config.yaml": "models_provider:\n  base_url: http://api.tianshu-ai.com/v1\n  api_key: ${TIANSHU_KEY}\nchat:\n  base_url: http://localhost:11434/v1   # from the offline-mode test\n  model: hunyuan-turbos-latest\n"},
     files=["minutes.log", "capture.har", "config.yaml"],
     ticket="会议纪要工具：模型列表能看到 hunyuan-turbos-latest，选了之后生成纪要报 model not found",
     label=dict(cause="wrong-base-url", symptom="model-not-found",
                notes="Default-level app log + HAR + config.yaml. The list comes from the gateway http://api.tianshu-ai.com/v1 (lists hunyuan-turbos-latest), but the chat client still points at a local Ollama (http://localhost:11434/v1, left from an offline test), which answers 404 'model \"hunyuan-turbos-latest\" not found, try pulling it first'."))

case(name="25-reasoner-typo", sdk=D, home="quant/signal-notes", script="notes.py", hosts=["api.wanxiang-relay.com"],
     emulators=[{"profile": "oneapi", "port": 9525, "server": "nginx", "models": ["deepseek-chat", "deepseek-reasoner", "qwen3-32b", "glm-4-flash"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9525"}],
     app=app("http://api.wanxiang-relay.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "deepseek-reasonner", "stream": True, "msg": "解释一下这个均线交叉信号"}], "signal-notes"),
     files=["sdk-debug.log.gz", "capture.har.gz"],
     ticket="推理模型调不通，一直 503，但是 deepseek-chat 没问题",
     label=dict(cause="model-not-in-catalog", symptom="model-not-found",
                notes="Full debug + HAR, each as single .gz. The app requests deepseek-reasonner (typo); the list offers deepseek-reasoner. One API-style 503 '当前分组 default 下对于模型 deepseek-reasonner 无可用渠道 (request id: ...)' (retried twice)."))

# ============================================================ healthy
case(name="26-launch-check", sdk=D, home="qa/release-check", script="smoke.py", hosts=["api.lingyun-gw.com"],
     emulators=[{"profile": "newapi", "port": 9526, "server": "nginx", "models": ["qwen3-32b", "deepseek-v3.1", "text-embedding-3-large"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9526"}],
     app=app("http://api.lingyun-gw.com/v1", k48(), [{"op": "list"}, {"op": "retrieve", "model": "qwen3-32b"}, {"op": "chat", "model": "qwen3-32b", "stream": True, "msg": "smoke test"}, {"op": "embed", "model": "text-embedding-3-large", "input": ["smoke"]}], "release-check"),
     files=["capture.har"],
     ticket="Before go-live: can you confirm from this capture that our integration is set up correctly?",
     label=dict(cause="no-problem", symptom="none",
                notes="HAR only. Healthy New API-style session: list, retrieve, streaming chat, embeddings, all 200."))

LL27 = k22()
case(name="27-proxy-log-review", sdk=B, home="svc/summary-api", script="svc.py", hosts=["llm.baize-health.com"],
     emulators=[{"profile": "openai", "port": 9527, "models": ["qwen3-32b", "glm-4-flash"]}],
     litellm={"port": 15027, "config": litellm_cfg([("qwen3-32b", "openai/qwen3-32b", "http://127.0.0.1:9527/v1"), ("glm-4-flash", "openai/glm-4-flash", "http://127.0.0.1:9527/v1")], LL27)},
     mitm=[{"listen": 4000, "mode": "reverse:http://127.0.0.1:15027"}],
     app=app("http://llm.baize-health.com:4000/v1", LL27, [{"op": "list"}, {"op": "chat", "model": "qwen3-32b", "msg": "Summarise the discharge note"}, {"op": "chat", "model": "glm-4-flash", "stream": True, "msg": "Summarise the discharge note"}], "summary-api"),
     files=["gateway.log"],
     ticket="Our proxy log shows lots of DEBUG lines, is anything wrong with the model setup?",
     label=dict(cause="no-problem", symptom="none",
                notes="LiteLLM gateway log only (real LiteLLM 1.108.7, --detailed_debug). Healthy: /v1/models, chat and streaming chat all 200."))

case(name="28-windows-desktop-ok", sdk=C, home="huang/desk-translate", script="translate.py", hosts=["api.jingwei-ai.com"],
     emulators=[{"profile": "oneapi", "port": 9528, "server": "nginx", "models": ["qwen3-32b", "glm-4-flash", "deepseek-chat"],
                 "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "times": 1, "status": 429, "json": {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: {rid})", "type": "one_api_error"}}}]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9528"}],
     app=app("http://api.jingwei-ai.com/v1", k48(), [{"op": "list"}, {"op": "chat", "model": "glm-4-flash", "msg": "翻译成英文：明天上午十点开会"}, {"op": "chat", "model": "glm-4-flash", "msg": "翻译成英文：请带上电脑"}], "desk-translate", **quiet()),
     **DEFAULT_LVL, rename={"sdk-debug.log": "desk-translate.log"}, crlf=["desk-translate.log"],
     extras={"screenshot.png": "copy:assets/translate-ok.png", "README.txt": "软件版本 2.3.1，Windows 11。偶尔第一次翻译会慢一点，想确认一下配置有没有问题。\r\n"},
     files=["desk-translate.log", "screenshot.png", "README.txt"],
     ticket="翻译软件偶尔第一下会卡几秒，其他都正常，想请你们看看配置是否有问题",
     label=dict(cause="no-problem", symptom="none",
                notes="Default-level app log with Windows CRLF + screenshot + README.txt. Healthy One API-style session; one 429 on the first chat that the SDK retried successfully (no warning in the app log), list non-empty, translations work."))


case(name="32-old-list-in-app", sdk=A, home="yan/market-digest", script="digest.py", hosts=["api.boya-ai.cn"],
     emulators=[{"profile": "oneapi", "port": 9532, "server": "nginx", "models": ["qwen3-32b", "deepseek-v3.1", "glm-4-flash", "ernie-4.5-turbo-128k"]}],
     mitm=[{"listen": 80, "mode": "reverse:http://127.0.0.1:9532"}],
     app=app("http://api.boya-ai.cn/v1", k48(), [{"op": "chat", "model": "ernie-4.5-turbo-128k", "msg": "汇总今天的行业新闻"}, {"op": "sleep", "s": 1}, {"op": "chat", "model": "ernie-4.5-turbo-128k", "stream": True, "msg": "挑出三条最重要的"}], "market-digest", transport_debug=False),
     extras={"models-cache.json": json.dumps({"provider": "boya", "base_url": "http://api.boya-ai.cn/v1", "updated_at": "2026-08-02T09:14:51+08:00", "models": []}, ensure_ascii=False, indent=2) + "\n",
             "settings.yaml": "provider: boya\nbase_url: http://api.boya-ai.cn/v1\nmodel_list:\n  auto_refresh: false\n  cache_file: models-cache.json\ncustom_models:\n  - ernie-4.5-turbo-128k\n"},
     bundle_dir="market-digest-diag", files=["market-digest-diag.tar.gz:sdk-debug.log,capture.har,models-cache.json,settings.yaml"],
     ticket="资讯摘要软件的模型列表一直是空的，我自己加的 ernie-4.5-turbo-128k 倒是能正常用",
     label=dict(cause="client-cache", symptom="model-list-empty",
                notes="OPENAI_LOG=debug (transport off) + HAR + the app's models-cache.json and settings.yaml, in a tar.gz with a folder. No GET /models request at all in log or HAR; the hand-added ernie-4.5-turbo-128k works (plain and streaming). The app shows its cached list from 2026-08-02 (empty, auto_refresh false) and never re-fetched it; the gateway lists 4 models."))

os.makedirs(W2 + "/specs", exist_ok=True)
for s in S:
    json.dump(s, open(W2 + "/specs/%s.json" % s["name"], "w"), ensure_ascii=False, indent=1)
print(len(S), "specs")
