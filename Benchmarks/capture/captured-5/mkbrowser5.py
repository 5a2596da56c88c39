import json, random, string
random.seed(20261206 + 55)
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
S.append(dict(name="30-web-assistant",
    emulators=[page_emu(9841, "灵犀助手"),
               {"profile": "openai", "port": 9842, "server": "openresty", "cors": True, "prefix": "/api/v1", "models": ["qwen3-32b", "glm-4.5-air"]}],
    browser={"map": ["MAP chat.lingxi-assist.cn 127.0.0.1:9841", "MAP llm.yuhang-ai.com 127.0.0.1:9842"], "ua": UA, "url": "http://chat.lingxi-assist.cn/",
             "storage": {"settings": json.dumps({"baseUrl": "http://llm.yuhang-ai.com/api/v1/v1", "apiKey": k48(), "model": "qwen3-32b"})}, "messages": ["帮我写一段产品上新的朋友圈文案"]},
    files=["capture.har"],
    ticket="网页助手接上新网关后模型下拉是空的，发消息也不行，浏览器 HAR 附上",
    label=dict(cause="base-url-duplicated-version", symptom="model-list-empty",
               notes="Browser HAR (real Chromium 156 via Playwright 1.65, with the page itself). The gateway's API base is http://llm.yuhang-ai.com/api/v1 but the page is set to .../api/v1/v1: GET /api/v1/v1/models and POST /api/v1/v1/chat/completions 404 'Invalid URL (GET /api/v1/v1/models)'. Fix: base http://llm.yuhang-ai.com/api/v1.")))
S.append(dict(name="31-web-team-key",
    emulators=[page_emu(9843, "Team Chat"),
               {"profile": "openai", "port": 9844, "server": "uvicorn", "cors": True, "models": ["gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-pro"],
                "rules": [{"method": "POST", "path": "^/v1/chat/completions$", "model": "claude-sonnet-4-5", "status": 401, "json": {"error": {"message": "key not allowed to access model. This key can only access models=['gpt-4o-mini', 'gemini-2.5-pro']. Tried to access claude-sonnet-4-5", "type": "key_model_access_denied", "param": "model", "code": "401"}}}]}],
    browser={"map": ["MAP teamchat.northbay-labs.io 127.0.0.1:9843", "MAP llm-proxy.northbay-labs.io 127.0.0.1:9844"], "ua": UA, "url": "http://teamchat.northbay-labs.io/", "locale": "en-US",
             "storage": {"settings": json.dumps({"baseUrl": "http://llm-proxy.northbay-labs.io/v1", "apiKey": "sk-" + "".join(random.choice(AN) for _ in range(22)), "model": "claude-sonnet-4-5"})}, "messages": ["Summarise yesterday's incident in two lines"]},
    files=["capture.har"],
    ticket="Team chat: Claude is in the dropdown but sending a message fails, GPT works. HAR exported from Chrome.",
    label=dict(cause="key-group-no-access", symptom="model-not-found",
               notes="Browser HAR (real Chromium 156 via Playwright 1.65). LiteLLM-style proxy (emulated answer, CORS): GET /v1/models lists claude-sonnet-4-5 (model list shows all proxy models), streaming chat 401 'key not allowed to access model. This key can only access models=[...]. Tried to access claude-sonnet-4-5', type key_model_access_denied. Fix: add the model to the virtual key.")))
for s in S:
    json.dump(s, open("specs-browser-%s.json" % s["name"], "w"), ensure_ascii=False, indent=1)
print(len(S))
