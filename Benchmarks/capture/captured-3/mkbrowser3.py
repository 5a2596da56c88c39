import json, random, string
random.seed(20261206 + 33)
AN = string.ascii_letters + string.digits
def k48(): return "sk-" + "".join(random.choice(AN) for _ in range(48))
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
PAGE = r"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>%(title)s</title>
<style>body{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;margin:0;background:#f7f7f8}header{padding:10px 16px;background:#fff;border-bottom:1px solid #e5e5e5;display:flex;gap:12px;align-items:center}
#log{padding:16px;min-height:300px}.turn{background:#fff;border-radius:8px;padding:10px;margin:8px 0;box-shadow:0 1px 2px #0001}.err{color:#c00}footer{display:flex;gap:8px;padding:12px 16px}#msg{flex:1;padding:8px}</style></head>
<body><header><b>%(title)s</b><select id="model"></select><span id="status">加载模型…</span></header><div id="log"></div>
<footer><input id="msg" placeholder="输入消息"><button id="send">发送</button></footer>
<script>
const cfg = JSON.parse(localStorage.getItem('settings') || '{}');
const base = (cfg.baseUrl || '').replace(/\/+$/, '');
const hdrs = () => { const h = {'Content-Type': 'application/json'}; if (cfg.apiKey) h['Authorization'] = 'Bearer ' + cfg.apiKey; return h; };
async function loadModels() {
  const st = document.getElementById('status');
  try {
    const r = await fetch(base + '/models', {headers: hdrs()});
    const j = await r.json();
    if (!r.ok) throw new Error((j.error && j.error.message) || r.status);
    const sel = document.getElementById('model');
    (j.data || []).forEach(m => { const o = document.createElement('option'); o.textContent = m.id; sel.appendChild(o); });
    if (cfg.model) sel.value = cfg.model;
    st.textContent = (j.data || []).length + ' 个模型';
  } catch (e) { st.textContent = '模型列表加载失败: ' + e.message; st.className = 'err'; }
  st.setAttribute('data-done', '1');
}
async function send() {
  const input = document.getElementById('msg'); const text = input.value; input.value = '';
  const div = document.createElement('div'); div.className = 'turn'; div.textContent = '… '; document.getElementById('log').appendChild(div);
  const model = document.getElementById('model').value || cfg.model;
  try {
    const r = await fetch(base + '/chat/completions', {method: 'POST', headers: hdrs(), body: JSON.stringify({model, stream: true, messages: [{role: 'user', content: text}]})});
    if (!r.ok) { const j = await r.json().catch(() => ({})); throw new Error((j.error && j.error.message) || j.message || ('HTTP ' + r.status)); }
    const rd = r.body.getReader(); const dec = new TextDecoder(); let buf = '', out = '';
    for (;;) { const {done, value} = await rd.read(); if (done) break; buf += dec.decode(value, {stream: true});
      let i; while ((i = buf.indexOf('\n\n')) >= 0) { const ev = buf.slice(0, i); buf = buf.slice(i + 2);
        if (ev.startsWith('data: ') && ev !== 'data: [DONE]') { const d = JSON.parse(ev.slice(6)); const c = d.choices && d.choices[0] && d.choices[0].delta && d.choices[0].delta.content; if (c) out += c; } } }
    div.textContent = out;
  } catch (e) { div.textContent = '出错了: ' + e.message; div.className = 'turn err'; }
  div.setAttribute('data-done', '1');
}
document.getElementById('send').onclick = send;
loadModels();
</script></body></html>
"""
def page_emu(port, title):
    return {"profile": "openai", "port": port, "headers": {}, "server": "nginx/1.25.5",
            "rules": [{"method": "GET", "path": "^/$", "ctype": "text/html", "text": PAGE % {"title": title}, "headers": {"Last-Modified": "Mon, 01 Dec 2026 08:12:44 GMT", "ETag": "\"674c1b9c-1a3f\""}},
                      {"path": "^/favicon.ico", "kind": "nginx", "status": 404}]}
S = []
S.append(dict(name="31-web-kb-widget",
    emulators=[page_emu(9641, "知识库助手"),
               {"profile": "newapi", "port": 9642, "server": "nginx", "cors": True, "lang": "zh", "models": ["qwen3-235b-a22b-instruct-2507", "glm-4.5-air"],
                "rules": [{"method": "POST", "path": "^/v1/chat/completions", "status": 403, "json": {"error": {"code": "insufficient_user_quota", "message": "pre-consume quota failed, user quota: ＄0.055238, need quota: ＄1.797580 (request id: {rid})", "type": "new_api_error"}}}]}],
    browser={"map": ["MAP kb.huayu-edu.net 127.0.0.1:9641", "MAP api.songtao-ai.com 127.0.0.1:9642"], "ua": UA, "url": "http://kb.huayu-edu.net/",
             "storage": {"settings": json.dumps({"baseUrl": "http://api.songtao-ai.com/v1", "apiKey": k48(), "model": "qwen3-235b-a22b-instruct-2507"})}, "messages": ["课程退费流程是什么？"]},
    files=["capture.har"],
    ticket="知识库网页助手今天发什么都报错，模型列表是正常的，浏览器 HAR 附上",
    label=dict(cause="insufficient-balance", symptom="model-not-found",
               notes="Browser HAR (real Chromium via Playwright). New API-style gateway: GET /v1/models 200 (2 models), POST /v1/chat/completions 403 code insufficient_user_quota 'pre-consume quota failed, user quota: ＄0.055238, need quota: ＄1.797580'. CORS preflight present.")))
S.append(dict(name="32-web-sales-widget",
    emulators=[page_emu(9643, "Sales Assistant"),
               {"profile": "oneapi", "port": 9644, "server": "nginx", "cors": True, "models": ["gpt-4.1-mini", "gpt-4.1", "claude-sonnet-4-20250514"],
                "rules": [{"method": "POST", "path": "^/v1/chat/completions", "model": "gpt-4.1", "status": 403, "json": {"error": {"message": "该令牌无权使用模型：gpt-4.1 (request id: {rid})", "type": "one_api_error"}}}]}],
    browser={"map": ["MAP assist.northpeak-sales.com 127.0.0.1:9643", "MAP api.fuyao-relay.com 127.0.0.1:9644"], "ua": UA, "url": "http://assist.northpeak-sales.com/", "locale": "en-US",
             "storage": {"settings": json.dumps({"baseUrl": "http://api.fuyao-relay.com/v1", "apiKey": k48(), "model": "gpt-4.1"})}, "messages": ["Draft a follow-up email for the Henderson account"]},
    files=["capture.har"],
    ticket="Sales assistant page: gpt-4.1 is in the dropdown but every message fails with a 403.",
    label=dict(cause="key-group-no-access", symptom="model-not-found",
               notes="Browser HAR (real Chromium via Playwright). One API-style gateway lists gpt-4.1 but the token's model whitelist excludes it: POST /v1/chat/completions 403 '该令牌无权使用模型：gpt-4.1 (request id: ...)'.")))
for s in S:
    json.dump(s, open("specs-browser-%s.json" % s["name"], "w"), ensure_ascii=False, indent=1)
print(len(S))
