"""Screenshots shipped as unrelated attachments (assets/empty-models.png, assets/translate-ok.png),
rendered by Chromium (Playwright, executable_path=$CHROMIUM or /usr/bin/chromium). Run in the set's work folder."""
import os
from playwright.sync_api import sync_playwright
EMPTY = """<html><head><meta charset=utf-8><style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;background:#f5f6f8}
.top{background:#2f6fed;color:#fff;padding:12px 20px;font-size:16px}.card{background:#fff;margin:24px;border-radius:8px;padding:20px;box-shadow:0 1px 4px #0002;width:520px}
label{display:block;color:#555;margin:12px 0 4px;font-size:13px}input,select{width:100%;padding:8px;border:1px solid #ccd;border-radius:4px;font-size:14px}
.hint{color:#999;font-size:12px;margin-top:6px}button{margin-top:16px;background:#2f6fed;color:#fff;border:0;border-radius:4px;padding:8px 18px}</style></head>
<body><div class=top>学习助手 · 设置</div><div class=card><label>服务商</label><select><option>元启 AI</option></select>
<label>接口地址</label><input value="http://api.yuanqi-ai.com/v1"><label>API Key</label><input value="sk-••••••••••••••••••••••••"><label>模型</label>
<select><option>（无可用模型）</option></select><div class=hint>模型列表 (0)　·　上次刷新 刚刚</div><button>刷新模型列表</button></div></body></html>"""
OK = """<html><head><meta charset=utf-8><style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;background:#eef1f5}
.bar{background:#fff;border-bottom:1px solid #dde;padding:8px 14px;font-size:13px;color:#333}.pane{display:flex;gap:12px;padding:14px}
textarea{width:300px;height:160px;border:1px solid #ccd;border-radius:6px;padding:8px;font-size:14px}.st{padding:0 14px;color:#777;font-size:12px}</style></head>
<body><div class=bar>桌面翻译 2.3.1　　模型: glm-4-flash　　中文 → English</div><div class=pane><textarea>请带上电脑</textarea><textarea>Please bring your laptop.</textarea></div>
<div class=st>完成 · 2.8 s</div></body></html>"""
os.makedirs("assets", exist_ok=True)
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
    for name, html, size in (("empty-models.png", EMPTY, (600, 420)), ("translate-ok.png", OK, (680, 260))):
        pg = b.new_page(viewport={"width": size[0], "height": size[1]})
        pg.set_content(html)
        pg.screenshot(path="assets/" + name)
    b.close()
