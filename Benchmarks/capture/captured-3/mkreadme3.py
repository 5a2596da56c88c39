import json, os, glob, re
OUT = os.environ.get("CAPTURE_OUT", "cases")  # the set's case folders (as written by run_case.py)
SERVER = {
 "01": "emulator (Ollama-style, no /v1 in base)", "02": "emulator (LM Studio-style, 200 + error for unknown paths)", "03": "emulator (Grafana-style web app, 302 to /login, HTTPS)",
 "04": "emulator (in-house FastAPI-style wrapper, 405 on GET /v1/models)", "05": "emulator (One API-style, HTTPS)", "06": "emulator (New API-style, en, HTTPS)",
 "07": "emulator (New API-style, zh, HTTPS)", "08": "mitmproxy 12.3.1 forward proxy doing TLS interception (CA not trusted); gateway never reached",
 "09": "emulator (school gateway, bare-array list)", "10": "emulator (New API-style, raw path, HTTPS)", "11": "emulator (New API-style, zh, HTTPS)",
 "12": "emulator (One API-style, no /v1/responses, HTTPS)", "13": "emulator (One API-style, ignores non-JSON body, HTTPS)", "14": "emulator (One API-style, DB inconsistency on one model, HTTPS)",
 "15": "emulator (Azure OpenAI-style, HTTPS)", "16": "emulator (SiliconFlow-style, HTTPS)", "17": "emulator (OpenRouter-style, /api/v1, HTTPS)", "18": "emulator (Moonshot-style, HTTPS)",
 "19": "emulator (DeepSeek-style, HTTPS)", "20": "emulator (LM Studio-style)", "21": "emulator (New API-style, zh, HTTPS)", "22": "emulator (DeepSeek-style, no /v1 prefix, HTTPS)",
 "23": "emulator (One API-style, 429 saturated group, HTTPS)", "24": "emulator (New API-style gateway) + emulator (OpenAI-style api.openai.com), HTTPS",
 "25": "emulator (vLLM-style, uvicorn)", "26": "emulator (Ollama-style)", "27": "emulator (OpenRouter-style, HTTPS)", "28": "emulator (One API-style, HTTPS)",
 "29": "LiteLLM 1.108.7 (real) + emulator upstream (vLLM-style)", 
 "30": "emulator (New API-style, CORS) + emulator (static page host)", "31": "emulator (One API-style, CORS) + emulator (static page host)"}
EVID = {}
rows = []
for d in sorted(glob.glob(OUT + "/[0-9][0-9]-*")):
    n = os.path.basename(d)
    lab = open(d + "/label.yaml").read()
    cause = re.search(r"^cause: (.*)$", lab, re.M).group(1); sym = re.search(r"^symptom: (.*)$", lab, re.M).group(1)
    files = re.search(r"^files: \[(.*)\]$", lab, re.M).group(1).replace(", ticket.txt", "")
    sp = "specs/%s.json" % n
    if os.path.exists(sp):
        s = json.load(open(sp)); sdk = "openai %s" % s["sdk"]
        allf = []
        for f in s["files"]:
            allf += f.split(":")[1].split(",") if ":" in f else [f]
        sdklog = [f for f in allf if ".log" in f and not f.startswith("gateway")]
        if not sdklog: lvl = ""
        elif not s.get("openai_log", True): lvl = "app log (default level, no OPENAI_LOG)"
        elif s["app"].get("transport_debug", True) is False: lvl = "SDK log (OPENAI_LOG=debug, transport off)"
        else: lvl = "SDK log (OPENAI_LOG=debug + httpx/httpcore)"
        parts = [lvl] if lvl else []
        if any(f.startswith("capture.har") for f in allf): parts.append("HAR")
        if any(f.startswith("gateway") for f in allf): parts.append("LiteLLM log")
        ev = " + ".join(parts)
        if len(parts) == 1 and not lvl: ev += " only"
        if any(":" in f for f in s["files"]):
            inner = s["files"][0].split(":")[1]
            files = "%s (%s/: %s)" % (s["files"][0].split(":")[0], s.get("bundle_dir", ""), inner.replace(",", ", "))
    else:
        sdk = "browser (Chromium 156)"; ev = "browser HAR only"
    rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (n, cause, sym, sdk, ev, SERVER[n[:2]], files))
print("\n".join(rows))
