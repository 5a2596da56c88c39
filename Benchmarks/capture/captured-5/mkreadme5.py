import json, os, glob, re
OUT = os.environ.get("CAPTURE_OUT", "cases")  # the set's case folders (as written by run_case.py)
NODE = "openai-node 7.5.0 (Node 20.20.2)"
INFO = {
 "01": (NODE, "Node SDK log (OPENAI_LOG=debug) + app lines", "emulator (One API-style, web console HTML 200, HTTPS)"),
 "02": (NODE, "Node app log, OPENAI_LOG unset (app lines + printed error objects)", "emulator (DashScope native /api/v1, 404 empty body, HTTPS)"),
 "03": (NODE, "Node SDK log (OPENAI_LOG=debug)", "emulator (New API-style en, 401 token unavailable, HTTPS)"),
 "04": (NODE, "Node app log, OPENAI_LOG unset", "emulator (DeepSeek-style, 402, HTTPS)"),
 "05": (NODE, "Node SDK log (OPENAI_LOG=debug)", "emulator (SiliconFlow-style, 400 code 20012, HTTPS)"),
 "06": (NODE, "Node SDK log (OPENAI_LOG=debug)", "emulator (Ollama-style, no /v1/responses)"),
 "07": (NODE, "Node app log, OPENAI_LOG unset (streaming)", "emulator (New API-style zh, 403 token model limit, HTTPS)"),
 "08": (NODE, "Node SDK log (OPENAI_LOG=debug), retries", "emulator (One API-style, 429 upstream saturated, HTTPS)"),
 "09": (NODE, "Node app log, OPENAI_LOG unset, CRLF", "emulator (Moonshot-style, 404 resource_not_found_error, HTTPS)"),
 "10": (NODE, "Node SDK log (OPENAI_LOG=debug), connection errors", "TLS-intercepting proxy (mitmproxy CA not trusted by Node) in front of a New API-style emulator"),
 "11": (NODE, "Node SDK log (OPENAI_LOG=debug)", "emulator (New API-style zh, HTTPS)"),
 "12": ("openai-agents 0.24.0 (openai 3.63.0)", "app log with tracebacks + HAR", "emulator (vLLM-style, no /v1/responses)"),
 "13": ("openai-agents 0.24.0 (openai 3.63.0)", "app log + agents verbose stdout logging", "emulator (LM Studio-style, 400 invalid model identifier)"),
 "14": ("openai 2.41.0", "HAR only", "emulator (old Ollama behind Caddy, HTTPS)"),
 "15": ("openai 3.63.0 (AsyncOpenAI)", "SDK log (OPENAI_LOG=debug, transport off) + HAR", "emulator (One API-style, empty list, HTTPS)"),
 "16": ("openai 1.99.9", "app log (default level) + client cache file + config.yaml", "emulator (New API-style zh, HTTPS)"),
 "17": ("openai 1.47.1", "SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR", "emulator (/v1/models in Ollama /api/tags shape, HTTPS)"),
 "18": ("openai 2.41.0 (stream=True)", "SDK log (OPENAI_LOG=debug, transport off) + HAR", "emulator (OpenRouter-style, /api/v1, HTTPS)"),
 "19": ("openai 1.99.9", "app log (default level), very long (2400 calls)", "emulator (vLLM-style embeddings)"),
 "20": ("openai 3.63.0", "app log (default level) + HAR", "emulator (New API-style zh, :8443) + emulator (OpenAI-style 401), HTTPS"),
 "21": ("openai 1.99.9", "SDK log (OPENAI_LOG=debug, transport off)", "emulator (New API-style en, raw path, HTTPS)"),
 "22": ("openai 2.41.0", "SDK log (OPENAI_LOG=debug, transport off), CRLF, Windows paths", "emulator (One API-style, HTTPS)"),
 "23": ("openai 1.47.1 (AzureOpenAI)", "app log (default level) + HAR", "emulator (Azure OpenAI-style, HTTPS)"),
 "24": ("openai 2.41.0", "SDK log (OPENAI_LOG=debug + httpx/httpcore), retries", "emulator (One API-style, 429 x2 then 403 quota, HTTPS)"),
 "25": ("openai 3.63.0", "LiteLLM log + app log (default level)", "LiteLLM 1.108.7 proxy (real) + emulator upstream (vLLM-style)"),
 "26": ("openai 1.99.9 (log not shipped)", "LiteLLM log only (--detailed_debug)", "LiteLLM 1.108.7 proxy (real) + emulator upstream"),
 "27": ("httpx 0.29.0 script", "httpx script log + LiteLLM log + HAR", "LiteLLM 1.108.7 proxy (real) + emulator upstream"),
 "28": ("openai 3.63.0 (AsyncOpenAI, stream)", "HAR only", "emulator (OpenRouter-style, /api/v1, HTTPS)"),
 "29": ("openai-agents 0.24.0 (openai 3.63.0)", "app log + HAR", "emulator (New API-style en, HTTPS)"),
 "30": ("browser (Chromium 156, Playwright 1.65)", "browser HAR only", "emulator (OpenAI-style under /api/v1, CORS)"),
 "31": ("browser (Chromium 156, Playwright 1.65)", "browser HAR only", "emulator (LiteLLM-style key_model_access_denied, CORS)"),
}
rows = ["| case | cause | symptom | client | evidence | server side | files |", "| --- | --- | --- | --- | --- | --- | --- |"]
for d in sorted(glob.glob(OUT + "/[0-9][0-9]-*")):
    n = os.path.basename(d)
    lab = open(d + "/label.yaml").read()
    cause = re.search(r"^cause: (.*)$", lab, re.M).group(1); sym = re.search(r"^symptom: (.*)$", lab, re.M).group(1)
    sp = "specs/%s.json" % n
    s = json.load(open(sp if os.path.exists(sp) else "specs-browser-%s.json" % n))
    fl = []
    for f in s["files"]:
        if ":" in f:
            a, inner = f.split(":", 1); bd = s.get("bundle_dir", "ticket-bundle")
            fl.append("%s (%s%s)" % (a, (bd + "/: ") if bd else "no folder: ", inner.replace(",", ", ")))
        else:
            fl.append(f)
    c, e, sv = INFO[n[:2]]
    rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (n, cause, sym, c, e, sv, ", ".join(fl)))
print("\n".join(rows))
