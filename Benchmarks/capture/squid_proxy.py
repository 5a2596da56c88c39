"""mitmproxy addon playing a corporate Squid that denies the destination (ERR_ACCESS_DENIED)."""
import email.utils
from mitmproxy import http

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<meta type="copyright" content="Copyright (C) 1996-2023 The Squid Software Foundation and contributors">
<meta http-equiv="Content-Type" CONTENT="text/html; charset=utf-8">
<title>ERROR: The requested URL could not be retrieved</title>
<style type="text/css"><!--
body { font-family: verdana, sans-serif; }
#error p, h3, b { font-size: 11pt; }
--></style>
</head><body id=ERR_ACCESS_DENIED>
<div id="titles">
<h1>ERROR</h1>
<h2>The requested URL could not be retrieved</h2>
</div>
<hr>

<div id="content">
<p>The following error was encountered while trying to retrieve the URL: <a href="%(url)s">%(url)s</a></p>

<blockquote id="error">
<p><b>Access Denied.</b></p>
</blockquote>

<p>Access control configuration prevents your request from being allowed at this time. Please contact your service provider if you feel this is incorrect.</p>

<p>Your cache administrator is <a href="mailto:netops@hanfeng.tech?subject=CacheErrorInfo%%20-%%20ERR_ACCESS_DENIED">netops@hanfeng.tech</a>.</p>
<br>
</div>

<hr>
<div id="footer">
<p>Generated %(date)s by bgw-proxy02.hanfeng.local (squid/5.7)</p>
<!-- ERR_ACCESS_DENIED -->
</div>
</body></html>
"""


def request(flow: http.HTTPFlow) -> None:
    date = email.utils.formatdate(usegmt=True)
    body = PAGE % {"url": flow.request.pretty_url, "date": date}
    flow.response = http.Response.make(403, body.encode(), {
        "Server": "squid/5.7",
        "Mime-Version": "1.0",
        "Date": date,
        "Content-Type": "text/html;charset=utf-8",
        "Content-Length": str(len(body.encode())),
        "X-Squid-Error": "ERR_ACCESS_DENIED 0",
        "Vary": "Accept-Language",
        "Content-Language": "en",
        "X-Cache": "MISS from bgw-proxy02.hanfeng.local",
        "X-Cache-Lookup": "NONE from bgw-proxy02.hanfeng.local:3128",
        "Via": "1.1 bgw-proxy02.hanfeng.local (squid/5.7)",
        "Connection": "keep-alive",
    })
