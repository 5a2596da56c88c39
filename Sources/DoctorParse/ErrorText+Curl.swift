import DoctorIngest
import DoctorModel
import Foundation

/// `curl -v` transcripts: `> POST /v1/chat/completions HTTP/1.1`, `> Host: …`, `< HTTP/1.1 404`,
/// `< content-type: …`, then the body, plus the `curl …` command line when it was pasted.
enum ErrorTextCurl {
    /// True when the text holds a request line of a verbose transcript.
    static func looksLikeTranscript(_ lines: [Line]) -> Bool {
        lines.contains { l in
            l.hasPrefix("> ") && ["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS "].contains { l.text.dropFirst(2).hasPrefix($0) }
        }
    }

    /// The exchanges of a transcript and the indexes (into `lines`) they used.
    static func exchanges(_ lines: [Line], path: String) -> ([Exchange], Set<Int>) {
        var out: [Exchange] = []
        var used = Set<Int>()
        var command: (url: String?, body: String?, auth: String?)?
        var tls = false
        var port: Int?
        var cur: Exchange?
        var curLines: [Int] = []
        var body: [String] = []
        var inBody = false
        var bodyDone = false
        var pending: [Int] = []  // command and `*` lines before a request line

        func close() {
            guard var e = cur else { return }
            if !body.isEmpty {
                let text = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { e.responseBody = text }
            }
            if let host = e.requestHeaders.value("host"), let p = e.pathOnly {
                if let u = command?.url, URLParts(url: u).path == URLParts(url: p).path { e.url = u } else {
                    e.url = (tls || port == 443 ? "https://" : "http://") + host + p
                }
                e.pathOnly = nil
            }
            if e.requestBody == nil, let b = command?.body {
                e.requestBody = b
                if let j = JSONValue.parse(b) { e.model = j["model"]?.string; if case .bool(let s)? = j["stream"] { e.stream = s } }
            }
            if e.credential == nil, let a = command?.auth { e.credential = a }
            e.readResponseBody()
            e.lines = curLines.map { SourceLine(ref: SourceRef(file: path, line: lines[$0].number), text: lines[$0].text) }
            if let f = curLines.first, let l = curLines.last { e.sources = [SourceRef(file: path, line: lines[f].number, endLine: lines[l].number)] }
            e.sdk = SDKInfo.from(headers: e.requestHeaders)
            e.sourceKinds = [.errorText]
            out.append(e)
            cur = nil; curLines = []; body = []; inBody = false; bodyDone = false
        }

        for (i, line) in lines.enumerated() {
            let t = line.text
            // The same command line a paste without a transcript has (`commandText`: after
            // any shell prompt).
            if line.contains("curl "), let cmd = commandText(t) {
                let c = parseCommand(String(cmd))
                command = (c.url, c.body, c.auth)
                used.insert(i)
                pending.append(i)
                continue
            }
            if t.hasPrefix("* ") {
                if t.contains("SSL") || t.contains("TLS") || t.contains("ALPN") { tls = true }
                if let r = t.range(of: " port "), let p = Int(t[r.upperBound...].prefix(while: \.isNumber)) { port = p }
                if t.contains("Failed to connect") || t.contains("Connection refused") || t.contains("Could not resolve") {
                    if cur == nil { cur = Exchange() }
                    cur?.failure = Failure(.connectionError, t.dropFirst(2).trimmingCharacters(in: .whitespaces))
                }
                if cur != nil { curLines.append(i) } else { pending.append(i) }
                used.insert(i)
                inBody = false
                continue
            }
            if t.hasPrefix("curl: (") {
                if cur == nil { cur = Exchange(); cur?.url = command?.url }
                let kind: Failure.Kind = t.contains("timed out") ? .timeout : .connectionError
                cur?.failure = Failure(kind, t)
                curLines.append(i); used.insert(i)
                continue
            }
            if t.hasPrefix("> ") || t == ">" {
                let rest = t.dropFirst(2)
                if let sp = rest.firstIndex(of: " "), rest.hasSuffix("HTTP/1.1") || rest.hasSuffix("HTTP/2") || rest.hasSuffix("HTTP/1.0") || rest.contains(" HTTP/"),
                   rest[..<sp].allSatisfy(\.isUppercase) {
                    close()
                    curLines = pending
                    pending = []
                    var e = Exchange()
                    e.method = String(rest[..<sp])
                    let target = rest[rest.index(after: sp)...].split(separator: " ").first.map(String.init) ?? "/"
                    if target.hasPrefix("http") { e.url = target } else { e.pathOnly = target }
                    cur = e
                } else if let c = rest.firstIndex(of: ":") {
                    let name = String(rest[..<c]), value = rest[rest.index(after: c)...].trimmingCharacters(in: .whitespaces)
                    cur?.requestHeaders.append(Header(name, value))
                    if name.lowercased() == "authorization" {
                        cur?.credential = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
                    }
                    if name.lowercased() == "api-key" || name.lowercased() == "x-api-key" { cur?.credential = value }
                }
                curLines.append(i); used.insert(i)
                continue
            }
            if t.hasPrefix("< ") || t == "<" {
                let rest = t.dropFirst(2)
                if rest.hasPrefix("HTTP/") {
                    let parts = rest.split(separator: " ", maxSplits: 2)
                    if parts.count >= 2 { cur?.status = Int(parts[1]) }
                    if parts.count == 3 { cur?.statusText = String(parts[2]) }
                } else if let c = rest.firstIndex(of: ":") {
                    let name = String(rest[..<c]), value = rest[rest.index(after: c)...].trimmingCharacters(in: .whitespaces)
                    cur?.responseHeaders.append(Header(name, value))
                    if name.lowercased() == "content-type" { cur?.contentType = value }
                } else if rest.trimmingCharacters(in: .whitespaces).isEmpty {
                    inBody = true
                }
                curLines.append(i); used.insert(i)
                continue
            }
            // The body follows the response headers up to the first blank line after it.
            if cur != nil, !bodyDone, inBody || (cur?.status != nil && !t.isEmpty) {
                if t.trimmingCharacters(in: .whitespaces).isEmpty {
                    if !body.isEmpty { bodyDone = true }
                    continue
                }
                inBody = true
                body.append(t)
                curLines.append(i); used.insert(i)
            }
        }
        close()
        return (out, used)
    }

    /// A `curl …` command pasted without its verbose transcript: the request it makes and the
    /// lines it spans (continued with `\` or by a quoted body over several lines).
    struct Command {
        var method: String
        var url: String
        var body: String?
        /// The key the command sends (`-H "Authorization: Bearer …"`): the redactor learns it.
        var auth: String?
        var lines: [Int]
        /// The output goes to another program than a JSON pretty-printer (`| wc -l`).
        var pipedElsewhere = false
    }

    /// The command starting on line `i`, if the line starts one (`curl …`, `$ curl …`).
    static func command(at i: Int, _ lines: [Line]) -> Command? {
        guard lines[i].contains("curl "), let first = commandText(lines[i].text) else { return nil }
        var text = ""
        var used: [Int] = []
        var j = i
        // Continued while the line ends in a backslash or a quote is still open (a `-d '{`
        // body over several lines), at most 80 lines.
        while j < lines.count, j - i < 80 {
            var t = j == i ? String(first) : lines[j].text
            used.append(j)
            let continued = t.trimmingCharacters(in: .whitespaces).hasSuffix("\\")
            if continued { t = String(t.trimmingCharacters(in: .whitespaces).dropLast()) }
            text += (text.isEmpty ? "" : "\n") + t
            j += 1
            if !continued && !quoteOpen(text) { break }
        }
        let c = parseCommand(text)
        guard let url = c.url else { return nil }
        let method = c.method ?? (c.body != nil ? "POST" : "GET")
        var cmd = Command(method: method, url: url, body: c.body, auth: c.auth, lines: used)
        if let pipe = pipeTarget(text) {
            cmd.pipedElsewhere = !(pipe.hasPrefix("jq") || pipe.contains("json.tool") || pipe.hasPrefix("json_pp") || pipe.hasPrefix("tee"))
        }
        return cmd
    }

    /// What follows the first `|` outside quotes, trimmed.
    static func pipeTarget(_ s: String) -> String? {
        var quote: Character?
        for i in s.indices {
            let c = s[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "'" || c == "\"" { quote = c } else if c == "|" {
                return s[s.index(after: i)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The line from `curl` on, when the line is a curl command after at most a shell prompt
    /// (`$ `, `$> `, `user@host:~$ `, `% `, `# `, `PS C:\dir> `), itself after at most a Markdown
    /// quote marker or a bare `> ` prompt (`> curl …`, `> $ curl …`).
    static func commandText(_ line: String) -> Substring? {
        let ns = line as NSString
        guard let m = prompt.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)),
              let r = Range(m.range(at: 1), in: line) else { return nil }
        return line[r.lowerBound...]
    }

    static let prompt = try! NSRegularExpression(pattern: #"^\s*(?:>\s*)*(?:PS [^>\n]{0,80}>\s*|[^\s>]{0,80}[$#%]>?\s*)?(curl\s)"#)

    /// An odd number of unescaped single or double quotes outside the other kind.
    static func quoteOpen(_ s: String) -> Bool {
        var quote: Character?
        for c in s {
            if let q = quote { if c == q { quote = nil } } else if c == "'" || c == "\"" { quote = c }
        }
        return quote != nil
    }

    /// A line of curl's progress meter (`  % Total    % Received …`, `Dload  Upload …`,
    /// `100  3449    0  3449 … --:--:--`): printed beside the answer, not part of it.
    static func isProgressMeter(_ t: String) -> Bool {
        let s = t.trimmingCharacters(in: .whitespaces)
        return s.hasPrefix("% Total") || s.hasPrefix("Dload") || (s.first?.isNumber == true && s.contains("--:--:--"))
            || (s.first?.isNumber == true && s.contains(":") && s.split(separator: " ").count >= 10 && s.allSatisfy { $0.isNumber || " :.-kMG".contains($0) })
    }

    /// URL, method, `-d` body and Authorization of a `curl …` command line.
    static func parseCommand(_ line: String) -> (url: String?, body: String?, auth: String?, method: String?) {
        let words = shellWords(line)
        var url: String?, body: String?, auth: String?, method: String?
        var i = 0
        while i < words.count {
            let w = words[i]
            if (w == "-d" || w == "--data" || w == "--data-raw" || w == "--data-binary" || w == "--json"), i + 1 < words.count {
                body = words[i + 1]; i += 2; continue
            }
            if (w == "-X" || w == "--request"), i + 1 < words.count {
                method = words[i + 1].uppercased(); i += 2; continue
            }
            if w == "--url", i + 1 < words.count { url = words[i + 1]; i += 2; continue }
            if (w == "-H" || w == "--header"), i + 1 < words.count {
                let h = words[i + 1]
                let lower = h.lowercased()
                if lower.hasPrefix("authorization:") {
                    let v = h.dropFirst(14).trimmingCharacters(in: .whitespaces)
                    auth = v.hasPrefix("Bearer ") ? String(v.dropFirst(7)) : v
                } else if auth == nil, lower.hasPrefix("api-key:") || lower.hasPrefix("x-api-key:"), let c = h.firstIndex(of: ":") {
                    // The Authorization header wins: a second key header is usually the same key.
                    auth = h[h.index(after: c)...].trimmingCharacters(in: .whitespaces)
                }
                i += 2; continue
            }
            if url == nil, w.hasPrefix("http://") || w.hasPrefix("https://") { url = w }
            i += 1
        }
        return (url, body, auth, method)
    }

    /// Splits a shell command line, honouring single and double quotes.
    static func shellWords(_ s: String) -> [String] {
        var words: [String] = []
        var cur = ""
        var quote: Character?
        var has = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; has = true
            } else if c == " " || c == "\\" || c == "\n" || c == "\t" {
                if has || !cur.isEmpty { words.append(cur) }
                cur = ""; has = false
            } else {
                cur.append(c)
            }
        }
        if has || !cur.isEmpty { words.append(cur) }
        return words
    }
}
