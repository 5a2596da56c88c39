#!/usr/bin/env python3
"""Upstream emulator for captured-1: answers like OpenAI-compatible providers / One API /
New API / Ollama / vLLM / Azure / web consoles. Config is a JSON file (argv[1])."""
import os, json, random, re, string, sys, time, email.utils, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CFG = json.load(open(sys.argv[1]))
PROFILE = CFG.get("profile", "openai")
MODELS = CFG.get("models", [])
PREFIX = CFG.get("prefix", "/v1")
COUNTERS = {}
LOCK = threading.Lock()

def rid_gin(letters=True):
    t = time.strftime("%Y%m%d%H%M%S", time.gmtime()) + str(time.time_ns() % 1000000000)
    pool = (string.ascii_letters + string.digits) if letters else string.digits
    return t + "".join(random.choice(pool) for _ in range(8))

def rand(n, pool=string.ascii_letters + string.digits):
    return "".join(random.choice(pool) for _ in range(n))

SPA = """<!doctype html><html lang="zh"><head><meta charset="utf-8" /><link rel="icon" href="/logo.png" /><meta name="viewport" content="width=device-width,initial-scale=1" /><meta name="theme-color" content="#ffffff" /><meta name="description" content="OpenAI 接口聚合管理，支持多种渠道包括 Azure，可用于二次分发管理 key，仅单可执行文件，已打包好 Docker 镜像，一键部署，开箱即用" /><title>%s</title><script type="module" crossorigin src="/assets/index-%s.js"></script><link rel="stylesheet" crossorigin href="/assets/index-%s.css"></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>"""

NGINX = "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        sys.stderr.write("emu %s %s\n" % (self.requestline, fmt % a))

    # ---------- output helpers
    def _start(self, status, ctype, extra=None, length=None):
        self.send_response_only(status)
        srv = CFG.get("server")
        if srv:
            self.send_header("Server", srv)
        self.send_header("Date", email.utils.formatdate(usegmt=True))
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        if CFG.get("cors"):
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Vary", "Origin")
        for k, v in self.profile_headers().items():
            self.send_header(k, v)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def profile_headers(self):
        p = PROFILE
        if p in ("oneapi", "newapi"):
            return {"X-Oneapi-Request-Id": self.rid}
        if "headers" in CFG:  # "{rid}" in a value becomes a fresh request id (used from captured-5 on)
            return {k: (v.replace("{rid}", "%08x-%04x-%04x-%04x-%012x" % (random.getrandbits(32), random.getrandbits(16), random.getrandbits(16), random.getrandbits(16), random.getrandbits(48))) if "{rid}" in v else v) for k, v in CFG["headers"].items()}
        if p == "openai":
            return {"x-request-id": "req_" + rand(32, "0123456789abcdef"),
                    "openai-processing-ms": str(random.randint(40, 900))}
        if p == "azure":
            return {"apim-request-id": "%08x-%04x-%04x-%04x-%012x" % (random.getrandbits(32), random.getrandbits(16), random.getrandbits(16), random.getrandbits(16), random.getrandbits(48)),
                    "x-ms-region": "East US"}
        return dict(CFG.get("headers", {}))

    def send_json(self, status, obj, extra=None, ctype=None):
        seps = (",", ":") if PROFILE in ("oneapi", "newapi", "ollama") else None
        b = json.dumps(obj, ensure_ascii=False, separators=seps).encode()
        if ctype is None:
            ctype = "application/json; charset=utf-8" if PROFILE in ("oneapi", "newapi", "ollama") else "application/json"
        self._start(status, ctype, extra, len(b))
        self.wfile.write(b)

    def send_text(self, status, text, ctype, extra=None):
        b = text.encode()
        self._start(status, ctype, extra, len(b))
        self.wfile.write(b)

    def send_sse(self, chunks, extra=None):
        self._start(200, "text/event-stream", dict({"Cache-Control": "no-cache", "Transfer-Encoding": "chunked"}, **(extra or {})))
        for c in chunks:
            seps = (",", ":") if PROFILE in ("oneapi", "newapi", "ollama") else None
            data = ("data: " + (c if isinstance(c, str) else json.dumps(c, ensure_ascii=False, separators=seps)) + "\n\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            time.sleep(0.01)
        self.wfile.write(b"0\r\n\r\n")

    def msg(self, m):
        return "%s (request id: %s)" % (m, self.rid) if PROFILE in ("oneapi", "newapi") else m

    # ---------- main dispatch
    def do_GET(self): self.handle_any("GET")
    def do_POST(self): self.handle_any("POST")
    def do_DELETE(self): self.handle_any("DELETE")

    def do_OPTIONS(self):
        if CFG.get("cors"):
            self.send_response_only(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "*")
            self.send_header("Access-Control-Max-Age", "43200")
            self.send_header("Vary", "Origin")
            self.send_header("Date", email.utils.formatdate(usegmt=True))
            self.end_headers()
            return
        self.handle_any("OPTIONS")

    def handle_any(self, method):
        self.rid = rid_gin(PROFILE == "newapi")
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        self.body = {}
        ct = self.headers.get("Content-Type", "")
        if raw and (ct.startswith("application/json") or PROFILE not in ("oneapi", "newapi")):
            try:
                self.body = json.loads(raw)
            except Exception:
                self.body = {}
        path = self.path.split("?")[0]
        if CFG.get("raw_path"):  # real Go routers see the path as sent (http.server collapses a leading //)
            path = self.requestline.split(" ")[1].split("?")[0]
        self.model = self.body.get("model") if isinstance(self.body, dict) else None
        # explicit rules first
        for r in CFG.get("rules", []):
            if r.get("method", method) != method:
                continue
            if not re.search(r["path"], path):
                continue
            if "model" in r and not re.fullmatch(r["model"], str(self.model)):
                continue
            if "header" in r:
                hk, hv = r["header"]
                if not re.search(hv, self.headers.get(hk, "")):
                    continue
            key = json.dumps(r, sort_keys=True)
            with LOCK:
                COUNTERS[key] = COUNTERS.get(key, 0) + 1
                cnt = COUNTERS[key]
            if "times" in r and cnt > r["times"]:
                continue
            return self.apply_rule(r, method, path)
        # auth
        keys = CFG.get("keys")
        auth = self.headers.get("Authorization", "") or ("Bearer " + self.headers.get("api-key", ""))
        if keys and path.startswith(PREFIX + "/") and auth.replace("Bearer ", "") not in keys:
            return self.auth_error()
        return self.default(method, path)

    def fmt(self, v, method, path):
        if isinstance(v, str):
            import urllib.parse
            v = v.replace("{qpath}", urllib.parse.quote(path, safe=""))
            return v.replace("{rid}", self.rid).replace("{model}", str(self.model)).replace("{method}", method).replace("{path}", path)
        if isinstance(v, dict):
            return {k: self.fmt(x, method, path) for k, x in v.items()}
        if isinstance(v, list):
            return [self.fmt(x, method, path) for x in v]
        return v

    def apply_rule(self, r, method, path):
        if r.get("delay"):
            time.sleep(r["delay"])
        kind = r.get("kind")
        if kind == "ok":  # fall through to default handling
            return self.default(method, path, force_ok=True)
        if kind == "spa":
            return self.send_text(r.get("status", 200), SPA % (CFG.get("title", "One API"), CFG.get("asset", "B3xk9c1"), CFG.get("asset", "B3xk9c1")), "text/html; charset=utf-8", r.get("headers"))
        if kind == "nginx":
            st = r.get("status", 404)
            reason = {404: "Not Found", 502: "Bad Gateway", 504: "Gateway Time-out", 403: "Forbidden"}[st]
            return self.send_text(st, NGINX % (st, reason, st, reason), "text/html", r.get("headers"))
        if "text" in r:
            return self.send_text(r.get("status", 200), self.fmt(r["text"], method, path), r.get("ctype", "text/plain; charset=utf-8"), self.fmt(r.get("headers"), method, path))
        return self.send_json(r.get("status", 200), self.fmt(r["json"], method, path), self.fmt(r.get("headers"), method, path), r.get("ctype"))

    # ---------- profile defaults
    def auth_error(self):
        p = PROFILE
        if p == "oneapi":
            return self.send_json(401, {"error": {"message": self.msg(CFG.get("auth_msg", "无效的令牌")), "type": "one_api_error"}})
        if p == "newapi":
            return self.send_json(401, {"error": {"code": "", "message": self.msg(CFG.get("auth_msg", "无效的令牌")), "type": "new_api_error"}})
        return self.send_json(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}})

    def model_obj(self, m):
        p = PROFILE
        if p == "ollama":
            return {"id": m, "object": "model", "created": int(time.time()) - 86400 * 3, "owned_by": "library"}
        if p == "vllm":
            return {"id": m, "object": "model", "created": int(time.time()), "owned_by": "vllm", "root": CFG.get("root", m), "parent": None, "max_model_len": 32768,
                    "permission": [{"id": "modelperm-" + rand(32, "0123456789abcdef"), "object": "model_permission", "created": int(time.time()), "allow_create_engine": False, "allow_sampling": True, "allow_logprobs": True, "allow_search_indices": False, "allow_view": True, "allow_fine_tuning": False, "organization": "*", "group": None, "is_blocking": False}]}
        if p in ("oneapi",):
            return {"id": m, "object": "model", "created": 1626777600, "owned_by": CFG.get("owner", {}).get(m, "custom"), "permission": None, "root": m, "parent": None}
        if p == "newapi":
            return {"id": m, "object": "model", "created": 1626777600, "owned_by": CFG.get("owner", {}).get(m, "custom"), "permission": None, "root": m, "parent": None, "supported_endpoint_types": ["openai"]}
        return {"id": m, "object": "model", "created": 1715367049, "owned_by": CFG.get("owner", {}).get(m, CFG.get("owned_by", "system"))}

    def list_body(self):
        data = [self.model_obj(m) for m in MODELS]
        if PROFILE == "newapi":
            return {"success": True, "data": data, "object": "list"}
        return {"object": "list", "data": data}

    def not_found_model(self, m):
        p = PROFILE
        if p == "oneapi":
            return self.send_json(503, {"error": {"message": self.msg("当前分组 %s 下对于模型 %s 无可用渠道" % (CFG.get("group", "default"), m)), "type": "one_api_error"}})
        if p == "newapi":
            g = CFG.get("group", "default")
            if CFG.get("lang") == "zh":
                t = "分组 %s 下模型 %s 无可用渠道（distributor）" % (g, m)
            else:
                t = "No available channel for model %s under group %s (distributor)" % (m, g)
            return self.send_json(503, {"error": {"code": "model_not_found", "message": self.msg(t), "type": "new_api_error"}})
        if p == "ollama":
            return self.send_json(404, {"error": {"message": 'model "%s" not found, try pulling it first' % m, "type": "api_error", "param": None, "code": None}})
        if p == "vllm":
            return self.send_json(404, {"object": "error", "message": "The model `%s` does not exist." % m, "type": "NotFoundError", "param": None, "code": 404})
        return self.send_json(404, {"error": {"message": "The model `%s` does not exist or you do not have access to it." % m, "type": "invalid_request_error", "param": None, "code": "model_not_found"}})

    def unknown_path(self, method, path):
        p = PROFILE
        if p in ("oneapi", "newapi"):
            if path.startswith("/v1") or path.startswith("/api"):
                return self.send_json(404, {"error": {"message": "Invalid URL (%s %s)" % (method, path), "type": "invalid_request_error", "param": "", "code": ""}})
            return self.send_text(200, SPA % (CFG.get("title", "New API"), CFG.get("asset", "DdR0x7Qe"), CFG.get("asset", "DdR0x7Qe")), "text/html; charset=utf-8")
        if p == "ollama":
            return self.send_text(404, "404 page not found", "text/plain")
        if p == "vllm":
            return self.send_json(404, {"detail": "Not Found"})
        return self.send_json(404, {"error": {"message": "Invalid URL (%s %s)" % (method, path), "type": "invalid_request_error", "param": None, "code": None}})

    def default(self, method, path, force_ok=False):
        if method == "GET" and path == PREFIX + "/models":
            return self.send_json(200, self.list_body())
        if method == "GET" and path.startswith(PREFIX + "/models/"):
            m = path[len(PREFIX + "/models/"):]
            if m in MODELS:
                return self.send_json(200, self.model_obj(m))
            if PROFILE in ("oneapi", "newapi"):
                return self.send_json(200, {"error": {"message": "The model '%s' does not exist" % m, "type": "invalid_request_error", "param": "model", "code": "model_not_found"}})
            return self.not_found_model(m)
        if method == "POST" and path == PREFIX + "/chat/completions":
            m = self.model
            if not force_ok and m not in MODELS and m not in CFG.get("hidden_ok", []):
                return self.not_found_model(m)
            return self.chat(m)
        if method == "POST" and path == PREFIX + "/embeddings":
            m = self.model
            if not force_ok and m not in MODELS:
                return self.not_found_model(m)
            vec = [round(random.uniform(-0.08, 0.08), 8) for _ in range(CFG.get("dim", 64))]
            inp = self.body.get("input")
            n = len(inp) if isinstance(inp, list) else 1
            return self.send_json(200, {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": vec} for i in range(n)], "model": m, "usage": {"prompt_tokens": 7 * n, "total_tokens": 7 * n}})
        return self.unknown_path(method, path)

    def chat(self, m):
        cid = "chatcmpl-" + rand(29)
        created = int(time.time())
        answer = CFG.get("answer", "好的，这是一个简短的回答。Sure — here is a short answer.")
        if self.body.get("stream"):
            parts = [answer[i:i + 6] for i in range(0, len(answer), 6)]
            chunks = [{"id": cid, "object": "chat.completion.chunk", "created": created, "model": m, "system_fingerprint": None, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": None, "finish_reason": None}]}]
            for p in parts:
                chunks.append({"id": cid, "object": "chat.completion.chunk", "created": created, "model": m, "system_fingerprint": None, "choices": [{"index": 0, "delta": {"content": p}, "logprobs": None, "finish_reason": None}]})
            chunks.append({"id": cid, "object": "chat.completion.chunk", "created": created, "model": m, "system_fingerprint": None, "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}]})
            chunks.append("[DONE]")
            return self.send_sse(chunks)
        body = {"id": cid, "object": "chat.completion", "created": created, "model": m,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "logprobs": None, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 14, "completion_tokens": 21, "total_tokens": 35}}
        return self.send_json(200, body)


if __name__ == "__main__":
    srv = ThreadingHTTPServer(("127.0.0.1", CFG["port"]), H)
    srv.daemon_threads = True
    if CFG.get("tls"):
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca = os.path.join(os.environ.get("CAPTURE_WORK", os.path.dirname(os.path.abspath(__file__))), "ca")
        ctx.load_cert_chain(os.path.join(ca, "emu.crt"), os.path.join(ca, "emu.key"))
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    sys.stderr.write("emulator %s on %d\n" % (PROFILE, CFG["port"]))
    srv.serve_forever()
