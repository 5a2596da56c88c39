import DoctorIngest
import DoctorModel

/// openai-node v4 (`DEBUG=true`): `console.log("OpenAI:DEBUG:<action>", …args)`.
///
/// `OpenAI:DEBUG:request <url> { options } { headers }` starts an attempt;
/// `OpenAI:DEBUG:response <status> <url> { headers } <body>` and
/// `OpenAI:DEBUG:response (error; retrying, 2 attempts remaining) 503 <url> { headers }` end it.
/// v4 prints no request id, so a response joins the latest call to the same URL, and a request
/// to the URL of a call that said "retrying" is its retry.
extension NodeSDKLogParser {
    mutating func applyV4(_ b: Block) {
        let text = b.text
        var rest = Substring(text.dropFirst("OpenAI:DEBUG:".count))
        var action: String
        if rest.hasPrefix("response (") {
            var level = 0
            var end = rest.startIndex
            for i in rest.indices {
                if rest[i] == "(" { level += 1 }
                if rest[i] == ")" { level -= 1; if level == 0 { end = i; break } }
            }
            action = String(rest[..<rest.index(after: end)])
            rest = rest[rest.index(after: end)...]
        } else {
            let word = rest.prefix { $0 != " " && $0 != "\n" }
            action = String(word)
            rest = rest[word.endIndex...]
        }
        let vals = NodeInspect.parseValues(String(rest))
        let lines = b.lines.prefix(400).map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }

        if action == "request" {
            guard let url = vals.first?.string else { out.skip(b.lines[0]); return }
            let options = vals.count > 1 ? vals[1] : nil
            let method = options?["method"]?.string?.uppercased()
            let i: Int
            if let j = calls.lastIndex(where: { $0.url == url && (method == nil || $0.method == method) }), retrying.contains(j) {
                i = j
                startRetry(i)
            } else {
                var e = Exchange()
                e.sourceKinds = [.nodeSDKLog]
                calls.append(e)
                i = calls.count - 1
            }
            calls[i].url = url
            if let method { calls[i].method = method }
            if let body = options?["body"], !body.isNull { applyRequestBody(body, to: i) }
            if let s = options?["stream"], case .bool(let v) = s { calls[i].stream = v }
            if vals.count > 2 {
                calls[i].requestHeaders = Self.headers(vals[2])
                recordSDK(calls[i].requestHeaders, at: i)
            }
            calls[i].lines += lines
            return
        }
        guard action.hasPrefix("response"), vals.count >= 2, let status = vals[0].string.flatMap(Int.init),
              let url = vals[1].string else {
            out.skip(b.lines[0])
            return
        }
        let i: Int
        if let j = calls.lastIndex(where: { $0.url == url }) {
            i = j
        } else {
            var e = Exchange()
            e.sourceKinds = [.nodeSDKLog]
            e.url = url
            calls.append(e)
            i = calls.count - 1
        }
        calls[i].lines += lines
        calls[i].status = status
        if vals.count > 2, vals[2].object != nil {
            calls[i].responseHeaders = Self.headers(vals[2])
            calls[i].contentType = calls[i].responseHeaders.value("content-type")
        }
        if vals.count > 3 { setParsedBody(vals[3], at: i) }
        if action.contains("retrying") { retrying.insert(i) } else { retrying.remove(i) }
        if action.contains("no more retries left") { calls[i].hints.insert(.retriesExhausted) }
        calls[i].readResponseBody()
        checkCutList(i)
    }
}
