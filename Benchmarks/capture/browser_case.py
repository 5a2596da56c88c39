#!/usr/bin/env python3
"""Browser capture: emulators + Debian chromium driven by Playwright (HAR recorded by the browser).
usage: browser_case.py spec.json"""
import json, os, shutil, signal, socket, subprocess, sys, time
W2 = os.environ.get("CAPTURE_WORK", os.path.dirname(os.path.abspath(__file__)))
OUT = os.environ.get("CAPTURE_OUT", "cases")
spec = json.load(open(sys.argv[1]))
name = spec["name"]
scratch = os.path.join(W2, "runs", name)
shutil.rmtree(scratch, ignore_errors=True); os.makedirs(scratch)
procs = []
def wait_port(port, t=30):
    end = time.time() + t
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.3).close(); return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("port %d never opened" % port)
try:
    for i, emu in enumerate(spec["emulators"]):
        cfgp = os.path.join(scratch, "emu%d.json" % i); json.dump(emu, open(cfgp, "w"))
        f = open(os.path.join(scratch, "emu%d.log" % i), "wb")
        procs.append((subprocess.Popen([sys.executable, os.path.join(W2, "emu.py"), cfgp], stdout=f, stderr=subprocess.STDOUT, start_new_session=True), f))
        wait_port(emu["port"])
    from playwright.sync_api import sync_playwright
    b = spec["browser"]
    har = os.path.join(scratch, "capture.har")
    with sync_playwright() as p:
        br = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--host-resolver-rules=" + ", ".join(b["map"])])
        ctx = br.new_context(record_har_path=har, record_har_content="embed", user_agent=b["ua"], locale=b.get("locale", "zh-CN"), viewport={"width": 1280, "height": 800})
        if b.get("storage"):
            ctx.add_init_script("(() => { const s = %s; for (const k in s) localStorage.setItem(k, s[k]); })()" % json.dumps(b["storage"]))
        pg = ctx.new_page()
        pg.goto(b["url"])
        pg.wait_for_selector("#status[data-done]", timeout=15000)
        for msg in b.get("messages", []):
            pg.fill("#msg", msg)
            pg.click("#send")
            pg.wait_for_function("document.querySelectorAll('.turn[data-done]').length >= %d" % (b["messages"].index(msg) + 1), timeout=20000)
            time.sleep(0.5)
        if b.get("screenshot"):
            pg.screenshot(path=os.path.join(scratch, b["screenshot"]))
        ctx.close(); br.close()
finally:
    for pr, f in procs:
        try: os.killpg(pr.pid, signal.SIGINT)
        except ProcessLookupError: pass
    for pr, f in procs:
        try: pr.wait(10)
        except subprocess.TimeoutExpired: os.killpg(pr.pid, signal.SIGKILL)
        f.close()
dest = os.path.join(OUT, name); shutil.rmtree(dest, ignore_errors=True); os.makedirs(dest)
for fn in spec["files"]:
    shutil.copy(os.path.join(scratch, fn), os.path.join(dest, fn))
open(os.path.join(dest, "ticket.txt"), "w").write(spec["ticket"].strip() + "\n")
lab = spec["label"]
open(os.path.join(dest, "label.yaml"), "w").write("cause: %s\nsymptom: %s\nnotes: %s\nfiles: [%s]\n" % (lab["cause"], lab["symptom"], json.dumps(lab["notes"], ensure_ascii=False), ", ".join(spec["files"] + ["ticket.txt"])))
print("OK", name)
