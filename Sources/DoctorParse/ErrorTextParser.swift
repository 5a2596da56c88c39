import DoctorIngest
import DoctorModel
import Foundation

/// The fallback reader for anything that looks like an error report: a ticket's pasted error
/// JSON, `Error code: NNN - {…}` lines, HTTP status lines, `curl -v` transcripts, tracebacks,
/// access lines, Chinese gateway messages, or just the customer's own words.
///
/// It sniffs low (10–40) so that every real log parser wins. It yields *partial* exchanges,
/// one per distinct error, where every fact the text does not state stays nil, and signals
/// (`ticket-text`, `mentioned-model`, `configured-base-url`, `docker`, `proxy-env`,
/// `client-upgraded`, `mentioned-status`) for the prose. A YAML or `.env`-like file is not an
/// error report and is left unknown. The text is read whole at the end (tickets are small);
/// lines past `maxBytes` are counted as skipped.
public struct ErrorTextParser: LogParser {
    public static let kind = InputKind.errorText
    public static let readsWholeDocument = false
    /// How much of a file is kept for reading (pasted tickets are far smaller).
    static let maxBytes = 4 << 20

    public static func sniff(_ input: SniffInput) -> Sniff? {
        let text = input.text
        guard text.utf8.contains(where: { $0 > 0x20 }) else { return nil }
        // A settings file (`KEY=value`, YAML) is read for what it sets (base URL, model, key),
        // at the lowest score: any parser that knows the content better wins.
        if isConfigLike(input.lines) { return Sniff(kind: kind, format: "config", score: 5) }
        let lower = ByteSearch.asciiLowercased(text)  // every needle below is ASCII
        // Byte search: Foundation's String.contains over 64 KiB, twenty times, cost more than
        // parsing the file.
        func has(_ s: String) -> Bool { ByteSearch.contains(lower, s) }
        if (has("\"error\"") || has("'error'") || has("error: {")) && (has("message") || has("code")) || has("\"object\":\"error\"") || has("\"object\": \"error\"") {
            return Sniff(kind: kind, format: "json-error", score: 40)
        }
        if has("error code:") { return Sniff(kind: kind, format: "text", score: 40) }
        if input.lines.contains(where: { $0.hasPrefix("> ") && $0.contains(" HTTP/") }) || input.lines.contains(where: { $0.hasPrefix("< HTTP/") }) {
            return Sniff(kind: kind, format: "curl", score: 35)
        }
        if has("traceback (most recent call last)") { return Sniff(kind: kind, format: "traceback", score: 35) }
        let errorWords = ["does not exist", "not found", "invalid url", "unauthorized", "forbidden", "connection refused",
                          "couldn't connect", "econnrefused", "exception:", "error:", "bad gateway", "service unavailable",
                          "not exist", "quota"]
        if errorWords.contains(where: has) { return Sniff(kind: kind, format: "text", score: 30) }
        if input.lines.contains(where: { $0.contains("\" ") && $0.contains(" HTTP/1.") }) || input.lines.contains(where: { $0.hasPrefix("[GIN]") }) {
            return Sniff(kind: kind, format: "text", score: 25)
        }
        let zh = ["模型", "不存在", "无可用渠道", "额度", "令牌", "报错", "错误", "失败", "无法", "渠道"]
        if zh.contains(where: { ByteSearch.contains(text, $0) }) { return Sniff(kind: kind, format: "text", score: 25) }
        // The customer's own words are evidence too, when short and mostly text.
        if input.isWholeFile && text.utf8.count < 64 * 1024 && mostlyText(text) {
            return Sniff(kind: kind, format: "text", score: 10)
        }
        return nil
    }

    /// What a settings file contributes: the settings themselves.
    static let settingSignals: Set<SignalName> = [.configuredBaseURL, .configuredModel, .disabledModel, .proxyEnv, .proxyConfig, .docker]

    /// A `key: value` / `KEY=value` line whose value is one token (a URL, an id, a flag), not
    /// a sentence: a setting, where a quoted note that names a variable is prose.
    static func isSettingLine(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        let body = t.hasPrefix("- ") ? String(t.dropFirst(2)) : t
        guard let value = keyLineValue(body) else { return false }
        return !value.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).contains(where: \.isWhitespace)
    }

    /// Every top-level line is `key: value` / `key:` (YAML) or `KEY=value` (.env): a config file.
    static func isConfigLike(_ lines: [String]) -> Bool {
        var keyLines = 0
        var statesStatus = false, statesURL = false
        for l in lines {
            let t = l.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") || t == "---" || t == "..." { continue }
            if l.first == " " || l.first == "\t" || t.hasPrefix("- ") { continue }
            guard let v = keyLineValue(t) else { return false }
            keyLines += 1
            let value = v.drop { $0 == " " }
            if value.hasPrefix("http://") || value.hasPrefix("https://") { statesURL = true }
            if let key = t.split(separator: ":").first?.lowercased(), key.contains("status") || key.contains("状态") || key.contains("响应码"),
               ErrorTextPatterns.match(ErrorTextReader.statusValue, String(value)) != nil {
                statesStatus = true
            }
        }
        // A URL and an HTTP status as fields (`URL: …` / `Status: 404 Not Found`, a browser's
        // developer tools copy) are a call, not settings.
        return keyLines >= 2 && !(statesStatus && statesURL)
    }

    static func isKeyLine(_ t: String) -> Bool { keyLineValue(t) != nil }

    /// What follows the separator of a `key: value` / `KEY=value` line, nil for another line.
    static func keyLineValue(_ t: String) -> Substring? {
        let key = t.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
        guard !key.isEmpty, key.first?.isLetter == true || key.first == "_" else { return nil }
        let rest = t[key.endIndex...]
        if rest.hasPrefix("=") { return key.allSatisfy { !$0.isLowercase } ? rest.dropFirst() : nil }
        let r = rest.drop { $0 == " " }
        return r.hasPrefix(":") && (r.count == 1 || r.dropFirst().first == " ") ? r.dropFirst() : nil
    }

    /// At least a third of the non-space characters are letters (any script).
    static func mostlyText(_ s: String) -> Bool {
        var letters = 0, other = 0
        for c in s.unicodeScalars.prefix(8192) where !c.properties.isWhitespace {
            if c.properties.isAlphabetic { letters += 1 } else { other += 1 }
        }
        return letters > 0 && letters * 2 >= other
    }

    let path: String
    var format: String?
    var out = ParseOutput()
    var kept: [Line] = []
    var keptBytes = 0

    public init(path: String, sniff: Sniff) {
        self.path = path
        format = sniff.format
    }

    public mutating func consume(_ line: Line) {
        out.lines += 1
        if keptBytes + line.text.utf8.count > Self.maxBytes {
            out.skip(line)
            return
        }
        keptBytes += line.text.utf8.count + 1
        kept.append(line)
    }

    /// `docker compose logs` prints every line as `service-1  | <line>`: when most non-blank
    /// lines carry the same service prefix, it is read past (the line number stays), so a
    /// gateway's or an app's output pasted from compose reads as if pasted directly. A
    /// markdown table (`| a | b |`) or a Gin line (`[GIN] … | 200 |`) has no such prefix.
    static func withoutContainerPrefix(_ lines: [Line]) -> ([Line], String?, Int) {
        func prefix(_ t: String) -> (name: Substring, rest: String.Index)? {
            let u = t.utf8
            var i = u.startIndex
            var n = 0
            while i < u.endIndex, n < 64, let c = Optional(u[i]),
                  (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x2D || c == 0x5F || c == 0x2E {
                i = u.index(after: i); n += 1
            }
            guard n > 0, i < u.endIndex, u[i] == 0x20 || u[i] == 0x09 else { return nil }
            let nameEnd = i
            while i < u.endIndex, u[i] == 0x20 || u[i] == 0x09 { i = u.index(after: i) }
            guard i < u.endIndex, u[i] == 0x7C else { return nil }  // '|'
            i = u.index(after: i)
            if i < u.endIndex, u[i] == 0x20 { i = u.index(after: i) }
            return (t[..<nameEnd], i)
        }
        var counts: [Substring: Int] = [:]
        var nonBlank = 0
        for l in lines where !ByteSearch.isBlank(l.text) {
            nonBlank += 1
            if let p = prefix(l.text) { counts[p.name, default: 0] += 1 }
        }
        guard let (name, n) = counts.max(by: { $0.value < $1.value }), n >= 3, n * 10 >= nonBlank * 6 else { return (lines, nil, 0) }
        var stripped = 0
        let out = lines.map { l -> Line in
            guard let p = prefix(l.text), p.name == name else { return l }
            stripped += 1
            return Line(number: l.number, offset: l.offset, text: String(l.text[p.rest...]), truncated: l.truncated)
        }
        return (out, String(name), stripped)
    }

    public mutating func finish() -> ParseOutput {
        // Handed over, not shared: the caller stamps every exchange, which would copy them all.
        defer { out = ParseOutput() }
        let (lines, prefix, stripped) = Self.withoutContainerPrefix(kept)
        if let prefix { out.notes.append("docker compose prefix `\(prefix) |` read past on \(stripped) line(s)") }
        let res = ErrorTextReader(path: path, lines: lines).read()
        out.exchanges = res.exchanges
        out.signals = res.signals
        out.format = res.format == "text" ? (format == "json-error" && res.exchanges.contains { $0.error != nil } ? "json-error" : "text") : res.format
        if format == "config" {
            // Settings only: a `key: value` file (a gateway's config.yaml, a ticket's own
            // metadata) holds no call, whatever words its values use.
            out.exchanges = []
            // Nor is its text the customer's words: only what it sets counts (a ticket's own
            // metadata file must not read as a statement of the cause).
            out.signals = res.signals.filter { Self.settingSignals.contains($0.name) && Self.isSettingLine($0.line.text) }
            out.format = "config"
            out.notes.append("settings file: read for the base URL, model and key it sets; it records no call")
            return out
        }
        if out.skippedLines > 0 {
            out.problems.append(Problem(.warning, location: path, message: "only the first \(Self.maxBytes >> 20) MiB of this text were read as an error report"))
        }
        out.notes.append("pasted error text: facts the text does not state (status, URL, model) are unknown, not absent")
        return out
    }
}
