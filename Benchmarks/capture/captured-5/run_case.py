#!/usr/bin/env python3
"""Run one case: emulator (+ optional LiteLLM) + mitmdump reverse proxy + client app.
usage: run_case.py spec.json"""
import gzip, json, os, shutil, signal, socket, subprocess, sys, tarfile, time, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))   # this set's scripts (files that differ from the shared ones)
TOP = os.path.dirname(HERE)                         # Benchmarks/capture: shared scripts (emu.py, squid_proxy.py, ...)
W = os.environ.get("CAPTURE_WORK", TOP)             # venvs, CA, mitm confdirs (shared by all sets)
W2 = os.environ.get("CAPTURE_SET_WORK", HERE)       # this set's work folder: specs/, runs/, assets/, extra venvs, bin/openai
OUT = os.environ.get("CAPTURE_OUT", "cases")


def S(fn):
    """A script: this set's copy if there is one, else the earlier set's it was taken from
    unchanged (captured-4), else the shared one in Benchmarks/capture."""
    for d in (HERE, os.path.join(TOP, "captured-4")):
        p = os.path.join(d, fn)
        if os.path.exists(p):
            return p
    return os.path.join(TOP, fn)


spec = json.load(open(sys.argv[1]))
name = spec["name"]
scratch = os.path.join(W2, "runs", name)
shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
procs = []
HOSTS_BAK = open("/etc/hosts").read()
if spec.get("hosts"):
    open("/etc/hosts", "a").write("".join("127.0.0.1 %s\n" % h for h in spec["hosts"]))


def wait_port(port, t=60):
    end = time.time() + t
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.3).close()
            return True
        except OSError:
            time.sleep(0.2)
    raise SystemExit("port %d never opened" % port)


def start(cmd, logname, env=None, cwd=None):
    f = open(os.path.join(scratch, logname), "wb")
    p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
    procs.append((p, f))
    return p


for fn, content in spec.get("pre_files", {}).items():
    open(os.path.join(scratch, fn), "w").write(content)
try:
    # 1. emulators
    for i, emu in enumerate(spec.get("emulators", [])):
        cfgp = os.path.join(scratch, "emu%d.json" % i)
        json.dump(emu, open(cfgp, "w"))
        start([sys.executable, S("emu.py"), cfgp], "emu%d.log" % i)
        wait_port(emu["port"])
    # 2. litellm
    ll = spec.get("litellm")
    if ll:
        cfgp = os.path.join(scratch, "litellm.yaml")
        open(cfgp, "w").write(ll["config"])
        env = dict(os.environ, LITELLM_LOCAL_MODEL_COST_MAP="True")
        cwd = os.path.join(scratch, "ll")
        os.makedirs(cwd)
        cmd = [os.path.join(W, "venv-litellm/bin/litellm"), "--config", cfgp, "--host", "127.0.0.1", "--port", str(ll["port"])]
        if ll.get("debug", True):
            cmd.append("--detailed_debug")
        start(cmd, "gateway.log", env=env, cwd=cwd)
        wait_port(ll["port"], 120)
        time.sleep(1)
    # 3. mitmdump(s)
    for j, m in enumerate(spec.get("mitm", [])):
        har = os.path.join(scratch, m.get("har", "capture.har"))
        cmd = [os.path.join(W, "venv-mitm/bin/mitmdump"), "-q", "--listen-host", "127.0.0.1", "-p", str(m["listen"]),
               "--set", "hardump=" + har, "--set", "confdir=" + m.get("confdir", os.path.join(W, "mitmconf"))]
        for md in ([m["mode"]] if m.get("mode") else []) + m.get("modes", []):
            cmd += ["--mode", md]
        if m.get("keep_host", True):
            cmd += ["--set", "keep_host_header=true"]
        for s in m.get("scripts", []):
            cmd += ["-s", S(s)]
        for o in m.get("opts", []):
            cmd += ["--set", o]
        start(cmd, "mitm%d.log" % j)
        for md in m.get("modes", []):
            wait_port(int(md.rsplit("@", 1)[1]))
        if not m.get("modes"):
            wait_port(m["listen"])
    # 4. client(s)
    runs = spec.get("clients") or [dict(kind="sdk", app=spec["app"], log="sdk-debug.log", sdk=spec.get("sdk"), openai_log=spec.get("openai_log", True), env=spec.get("env", {}))]
    for ci, cl in enumerate(runs):
        appcfg = os.path.join(scratch, "app%d.json" % ci)
        json.dump(cl.get("app", {}), open(appcfg, "w"))
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update({"APP_CONFIG": appcfg, "PYTHONUNBUFFERED": "1"})
        env.update(spec.get("env", {}))
        if cl.get("openai_log", False):
            env["OPENAI_LOG"] = "debug"
        env.update(cl.get("env", {}))
        kind = cl.get("kind", "sdk")
        if kind == "sdk":
            cmd = [os.path.join(W, "venv-oai-%s/bin/python" % cl["sdk"]), S("client_app.py")]
        elif kind == "httpx":
            cmd = [os.path.join(W, "venv-oai-%s/bin/python" % cl["sdk"]), S("http_client.py")]
        elif kind == "litellm":
            cmd = [os.path.join(W, "venv-litellm/bin/python"), S("llm_client.py")]
        elif kind == "lc":
            cmd = [os.path.join(W2, "venv-lc/bin/python"), S("lc_client.py")]
        elif kind == "node":
            cmd = ["node", S("node/app.mjs")]
        elif kind == "agents":
            cmd = [os.path.join(W2, "venv-agents/bin/python"), S("agents_client.py")]
        elif kind == "cli":
            cmd = None
        logp = os.path.join(scratch, cl.get("log", "sdk-debug.log"))
        if kind == "cli":
            with open(logp, "ab") as out:
                for argv in cl["argv"]:
                    out.write(("$ " + " ".join(a if (" " not in a) else "\"%s\"" % a for a in argv) + "\n").encode())
                    out.flush()
                    subprocess.run([os.path.join(W, "venv-oai-%s/bin/python" % cl["sdk"]), os.path.join(W2, "bin/openai")] + argv[1:], stdout=out, stderr=subprocess.STDOUT, env=env, timeout=300)
                    out.flush()
        else:
            mode = "ab" if cl.get("append") else "wb"
            with open(logp, mode) as err:
                subprocess.run(cmd, stderr=err, stdout=err if cl.get("merge_stdout", True) else subprocess.DEVNULL, env=env, timeout=600)
    time.sleep(0.5)
finally:
    open("/etc/hosts", "w").write(HOSTS_BAK)
    for p, f in reversed(procs):
        try:
            os.killpg(p.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    for p, f in reversed(procs):
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
        f.close()

# 5. rewrite machine paths to customer-like ones
user, appdir = spec.get("home", "dev/chat-app").split("/")
home = "/home/%s/%s" % (user, appdir)
repl = [(W + "/venv-oai-%s/lib/python3.11/site-packages" % v, home + "/.venv/lib/python3.11/site-packages") for v in ("1.47.1", "1.99.9", "2.41.0", "3.63.0")]
if spec.get("ll_client"):
    repl.append((W + "/venv-litellm/lib/python3.11/site-packages", home + "/.venv/lib/python3.11/site-packages"))
nm = spec.get("node_root", home)
repl += [
    ("file://" + os.path.dirname(S("node/app.mjs")) + "/openai.mjs", "file://" + nm + "/node_modules/openai/index.mjs"),
    ("file://" + S("node/app.mjs"), "file://" + nm + "/" + spec.get("script", "app.mjs")),
    (W2 + "/venv-agents/lib/python3.11/site-packages", home + "/.venv/lib/python3.11/site-packages"),
    (S("agents_client.py"), home + "/" + spec.get("script", "app.py")),
    (S("client_app.py"), home + "/" + spec.get("script", "app.py")),
    (os.path.dirname(os.__file__), "/usr/lib/python3.11"),
    (W + "/ca/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"),
    (W + "/venv-litellm/lib/python3.11/site-packages", "/opt/litellm/venv/lib/python3.11/site-packages"),
    (W + "/venv-litellm/bin", "/opt/litellm/venv/bin"),
    (W2 + "/venv-lc/lib/python3.11/site-packages", home + "/.venv/lib/python3.11/site-packages"),
    (S("http_client.py"), home + "/" + spec.get("script", "app.py")),
    (S("llm_client.py"), home + "/" + spec.get("script", "app.py")),
    (S("lc_client.py"), home + "/" + spec.get("script", "app.py")),
    (W + "/venv-oai-%s/bin" % spec.get("sdk"), home + "/.venv/bin"),
    (W2 + "/venv-lc/bin", home + "/.venv/bin"),
    (W2 + "/bin/openai", home + "/.venv/bin/openai"),
    (scratch + "/ll", "/opt/litellm"),
    (scratch + "/litellm.yaml", "/opt/litellm/config.yaml"),
    (W2, home),
    (HERE, home),
    (TOP, home),
] + [tuple(x) for x in spec.get("replace", [])] + [
    (W, home),
]
for fn in sorted(os.listdir(scratch)):
    p = os.path.join(scratch, fn)
    if fn.endswith((".log", ".txt")) and not fn.startswith(("emu", "mitm")) and os.path.isfile(p):
        t = open(p, encoding="utf-8", errors="surrogateescape").read()
        for a, b in repl:
            t = t.replace(a, b)
        if spec.get("winroot"):
            import re as _re
            wr = spec["winroot"]
            def _w(m):
                pth = m.group(1)
                pth = pth.replace(home + "/.venv/lib/python3.11/site-packages", wr + "/.venv/Lib/site-packages").replace(home, wr).replace("/usr/lib/python3.11", "C:/Users/%s/AppData/Local/Programs/Python/Python311/Lib" % user)
                return 'File "%s"' % pth.replace("/", "\\")
            t = _re.sub(r'File "([^"]+)"', _w, t)
        open(p, "w", encoding="utf-8", errors="surrogateescape").write(t)

# 6. package
for a, b in spec.get("rename", {}).items():
    shutil.copy(os.path.join(scratch, a), os.path.join(scratch, b))
for fn in spec.get("crlf", []):
    p = os.path.join(scratch, fn)
    b = open(p, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    open(p, "wb").write(b)
for fn, content in spec.get("extras", {}).items():
    p = os.path.join(scratch, fn)
    if content.startswith("copy:"):
        shutil.copy(os.path.join(W2, content[5:]), p)
    else:
        open(p, "w", newline="").write(content)
dest = os.path.join(OUT, name)
shutil.rmtree(dest, ignore_errors=True)
os.makedirs(dest)
shipped = []
def src(fn):
    return os.path.join(scratch, fn[:-3] if fn.endswith(".gz") else fn)
def gz_to(fn, outp):
    with open(src(fn), "rb") as a, gzip.GzipFile(filename=os.path.basename(fn[:-3]), mode="wb", fileobj=open(outp, "wb"), mtime=int(time.time())) as b:
        shutil.copyfileobj(a, b)
for fn in spec["files"]:
    if ":" in fn:
        arch, inner = fn.split(":", 1)
        inner = inner.split(",")
        folder = spec.get("bundle_dir", "ticket-bundle")
        pre = (folder + "/") if folder else ""
        paths = []
        for x in inner:
            if x.endswith(".gz"):
                gz = os.path.join(scratch, "pack-" + os.path.basename(x))
                gz_to(x, gz)
                paths.append((gz, pre + x))
            else:
                paths.append((os.path.join(scratch, x), pre + x))
        if arch.endswith(".tar.gz") or arch.endswith(".tgz") or arch.endswith(".tar"):
            mode = "w" if arch.endswith(".tar") else "w:gz"
            with tarfile.open(os.path.join(dest, arch), mode, format=tarfile.GNU_FORMAT) as tf:
                def flt(ti):
                    ti.uid = ti.gid = 1000; ti.uname = ti.gname = spec.get("home", "dev/x").split("/")[0]
                    return ti
                for a, b in paths:
                    tf.add(a, arcname=b, filter=flt)
        else:
            with zipfile.ZipFile(os.path.join(dest, arch), "w", zipfile.ZIP_DEFLATED) as zf:
                for a, b in paths:
                    zf.write(a, arcname=b)
        shipped.append(arch)
    elif fn.endswith(".gz"):
        gz_to(fn, os.path.join(dest, fn))
        shipped.append(fn)
    else:
        shutil.copy(os.path.join(scratch, fn), os.path.join(dest, fn))
        shipped.append(fn)
open(os.path.join(dest, "ticket.txt"), "w").write(spec["ticket"].strip() + "\n")
lab = spec["label"]
def q(s):
    return json.dumps(s, ensure_ascii=False)
open(os.path.join(dest, "label.yaml"), "w").write(
    "cause: %s\nsymptom: %s\nnotes: %s\nfiles: [%s]\n" % (lab["cause"], lab["symptom"], q(lab["notes"]), ", ".join(shipped + ["ticket.txt"])))
print("OK", name, shipped)
