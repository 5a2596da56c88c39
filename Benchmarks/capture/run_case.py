#!/usr/bin/env python3
"""Run one case: emulator (+ optional LiteLLM) + mitmdump reverse proxy + client app.
usage: run_case.py spec.json"""
import gzip, json, os, shutil, signal, socket, subprocess, sys, tarfile, time, zipfile

# The work folder (venvs, ca/, runs/) and the output folder of the cases.
W = os.environ.get("CAPTURE_WORK", os.path.dirname(os.path.abspath(__file__)))
OUT = os.environ.get("CAPTURE_OUT", os.path.join(W, "cases"))
spec = json.load(open(sys.argv[1]))
name = spec["name"]
scratch = os.path.join(W, "runs", name)
shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
procs = []


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


try:
    # 1. emulators
    for i, emu in enumerate(spec.get("emulators", [])):
        cfgp = os.path.join(scratch, "emu%d.json" % i)
        json.dump(emu, open(cfgp, "w"))
        start([sys.executable, os.path.join(W, "emu.py"), cfgp], "emu%d.log" % i)
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
            cmd += ["-s", os.path.join(W, s)]
        for o in m.get("opts", []):
            cmd += ["--set", o]
        start(cmd, "mitm%d.log" % j)
        for md in m.get("modes", []):
            wait_port(int(md.rsplit("@", 1)[1]))
        if not m.get("modes"):
            wait_port(m["listen"])
    # 4. client
    app = spec["app"]
    appcfg = os.path.join(scratch, "app.json")
    json.dump(app, open(appcfg, "w"))
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"OPENAI_LOG": "debug", "APP_CONFIG": appcfg, "PYTHONUNBUFFERED": "1"})
    env.update(spec.get("env", {}))
    py = os.path.join(W, "venv-oai-%s/bin/python" % spec["sdk"])
    with open(os.path.join(scratch, "sdk-debug.log"), "wb") as err, open(os.path.join(scratch, "app.stdout"), "wb") as so:
        subprocess.run([py, os.path.join(W, "client_app.py")], stderr=err, stdout=so, env=env, timeout=300)
    time.sleep(0.5)
finally:
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
repl = [
    (W + "/venv-oai-%s/lib/python3.11/site-packages" % spec["sdk"], home + "/.venv/lib/python3.11/site-packages"),
    (W + "/client_app.py", home + "/" + spec.get("script", "app.py")),
    # The interpreter's own standard library, wherever it is installed here.
    (os.path.dirname(os.__file__), "/usr/lib/python3.11"),
    (W + "/ca/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"),
    (W + "/venv-litellm/lib/python3.11/site-packages", "/opt/litellm/venv/lib/python3.11/site-packages"),
    (W + "/venv-litellm/bin", "/opt/litellm/venv/bin"),
    (scratch + "/ll", "/opt/litellm"),
    (scratch + "/litellm.yaml", "/opt/litellm/config.yaml"),
    (W, home),
]
for fn in ("sdk-debug.log", "gateway.log"):
    p = os.path.join(scratch, fn)
    if os.path.exists(p):
        t = open(p, encoding="utf-8", errors="surrogateescape").read()
        for a, b in repl:
            t = t.replace(a, b)
        open(p, "w", encoding="utf-8", errors="surrogateescape").write(t)

# 6. package
dest = os.path.join(OUT, name)
shutil.rmtree(dest, ignore_errors=True)
os.makedirs(dest)
shipped = []
def src(fn):
    return os.path.join(scratch, fn.replace(".gz", ""))
for fn in spec["files"]:
    if fn.endswith(".gz") and not fn.endswith(".tar.gz") and ":" not in fn:
        with open(src(fn), "rb") as a, gzip.open(os.path.join(dest, fn), "wb") as b:
            shutil.copyfileobj(a, b)
        shipped.append(fn)
    elif fn.startswith("bundle.tar.gz:") or fn.startswith("bundle.zip:"):
        arch, inner = fn.split(":")
        inner = inner.split(",")
        folder = spec.get("bundle_dir", "ticket-bundle")
        if arch.endswith(".tar.gz"):
            with tarfile.open(os.path.join(dest, arch), "w:gz") as tf:
                for x in inner:
                    if x.endswith(".gz"):
                        gz = os.path.join(scratch, x)
                        with open(src(x), "rb") as a, gzip.open(gz, "wb") as b:
                            shutil.copyfileobj(a, b)
                        tf.add(gz, arcname=folder + "/" + x)
                    else:
                        tf.add(os.path.join(scratch, x), arcname=folder + "/" + x)
        else:
            with zipfile.ZipFile(os.path.join(dest, arch), "w", zipfile.ZIP_DEFLATED) as zf:
                for x in inner:
                    zf.write(os.path.join(scratch, x), arcname=folder + "/" + x)
        shipped.append(arch)
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
