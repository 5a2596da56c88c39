import json, os, glob, re
OUT = os.environ.get("CAPTURE_OUT", "cases")  # the set's case folders (as written by run_case.py)
INFO = {
 "01": ("openai CLI (openai 1.99.9)", "CLI terminal output only", "emulator (New API-style zh, web console HTML 200, HTTPS)"),
 "02": ("openai 1.99.9", "app log (default level) + LiteLLM log (json_logs)", "LiteLLM 1.108.7 proxy (real, json_logs: true) + emulator upstream"),
 "03": ("openai 3.63.0", "SDK log (OPENAI_LOG=debug, transport off)", "emulator (Docusaurus docs site on Vercel, 404 HTML, HTTPS)"),
 "04": ("httpx 0.29.0 script", "httpx script log (logging INFO)", "emulator (Kong route without /v1/models, HTTPS)"),
 "05": ("openai 3.63.0", "HAR only", "emulator (New API-style en, old list shape, HTTPS)"),
 "06": ("openai 2.41.0", "app log (default level, no OPENAI_LOG)", "emulator (One API-style, 401 token expired, HTTPS)"),
 "07": ("openai 1.47.1", "SDK log (OPENAI_LOG=debug, transport off)", "emulator (New API-style zh, 403, HTTPS)"),
 "08": ("openai 2.41.0", "SDK log (OPENAI_LOG=debug + httpx/httpcore)", "nothing listening on the configured proxy port; gateway never reached"),
 "09": ("openai 1.47.1", "SDK log (OPENAI_LOG=debug + httpx/httpcore)", "emulator (text-generation-webui-style, {\"model_names\": [...]})"),
 "10": ("openai 3.63.0", "SDK log (OPENAI_LOG=debug, transport off) + HAR", "emulator (vLLM-style, uvicorn, raw path)"),
 "11": ("openai 3.63.0", "SDK log (OPENAI_LOG=debug + httpx2/httpcore2)", "emulator (Ollama-style)"),
 "12": ("openai 2.41.0", "app log (default level) + HAR", "emulator (LM Studio-style, 200 + error for unknown endpoint)"),
 "13": ("httpx 0.29.0 script", "httpx script log + LiteLLM log (--detailed_debug)", "LiteLLM 1.108.7 proxy (real) + emulator upstream"),
 "14": ("openai 3.63.0", "SDK log (OPENAI_LOG=debug, transport off) + LiteLLM log (json_logs)", "LiteLLM 1.108.7 proxy (real, json_logs: true) + emulator upstream"),
 "15": ("openai 1.47.1 (AzureOpenAI)", "SDK log (OPENAI_LOG=debug, transport off) + HAR", "emulator (Azure OpenAI-style, HTTPS)"),
 "16": ("openai 1.99.9", "SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR", "emulator (DashScope compatible-mode-style, HTTPS)"),
 "17": ("openai 1.99.9", "SDK log (OPENAI_LOG=debug, transport off)", "emulator (Ollama-style)"),
 "18": ("openai 2.41.0", "SDK log (OPENAI_LOG=debug, transport off)", "emulator (Gemini OpenAI-compat-style, JSON array errors, HTTPS)"),
 "19": ("openai 3.63.0", "app log (default level) + HAR", "emulator (vLLM worker on RunPod-style, error body with 200, HTTPS)"),
 "20": ("langchain-openai 1.8.1 (openai 3.63.0)", "app log (default level)", "emulator (One API-style, HTTPS)"),
 "21": ("openai 1.99.9", "SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR", "emulator (One API-style, 403 token whitelist, HTTPS)"),
 "22": ("openai 2.41.0", "HAR only", "emulator (OpenRouter-style, /api/v1, HTTPS)"),
 "23": ("litellm 1.108.7 Python SDK as client", "litellm client log (_turn_on_debug)", "emulator (Moonshot-style, HTTPS)"),
 "24": ("openai 2.41.0", "app log (default level), very long", "emulator (New API-style en, HTTPS)"),
 "25": ("openai 1.47.1", "app log (default level, no OPENAI_LOG)", "emulator (LM Studio-style, no model loaded)"),
 "26": ("openai 3.63.0", "HAR only", "emulator (One API-style behind nginx, 502 HTML, HTTPS)"),
 "27": ("openai 2.41.0 + openai 1.99.9", "two SDK logs (OPENAI_LOG=debug, transport off), healthy first", "emulator (New API-style zh) + emulator (DeepSeek-style), HTTPS"),
 "28": ("openai 1.47.1", "SDK log (OPENAI_LOG=debug + httpx/httpcore)", "emulator (Zhipu-style /api/paas/v4, HTTPS)"),
 "29": ("openai 1.99.9", "SDK log (OPENAI_LOG=debug, transport off) + client cache file", "emulator (New API-style zh, HTTPS)"),
 "30": ("httpx 0.29.0 script", "httpx script log", "emulator (vLLM-style, uvicorn)"),
 "31": ("openai CLI (openai 1.47.1)", "CLI terminal output only", "emulator (SiliconFlow-style, HTTPS)"),
 "32": ("openai 1.47.1", "SDK log (OPENAI_LOG=debug + httpx/httpcore) + HAR", "emulator (Moonshot-style, HTTPS)"),
 "33": ("langchain-openai 1.8.1 (openai 3.63.0)", "app log with OPENAI_LOG=debug + HAR", "emulator (New API-style en, HTTPS)"),
}
rows = ["| case | cause | symptom | client | evidence | server side | files |", "| --- | --- | --- | --- | --- | --- | --- |"]
for d in sorted(glob.glob(OUT + "/[0-9][0-9]-*")):
    n = os.path.basename(d)
    lab = open(d + "/label.yaml").read()
    cause = re.search(r"^cause: (.*)$", lab, re.M).group(1); sym = re.search(r"^symptom: (.*)$", lab, re.M).group(1)
    s = json.load(open("specs/%s.json" % n))
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
