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
        if isConfigLike(input.lines) { return nil }
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

    /// Every top-level line is `key: value` / `key:` (YAML) or `KEY=value` (.env): a config file.
    static func isConfigLike(_ lines: [String]) -> Bool {
        var keyLines = 0
        for l in lines {
            let t = l.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") || t == "---" || t == "..." { continue }
            if l.first == " " || l.first == "\t" || t.hasPrefix("- ") { continue }
            guard isKeyLine(t) else { return false }
            keyLines += 1
        }
        return keyLines >= 2
    }

    static func isKeyLine(_ t: String) -> Bool {
        let key = t.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
        guard !key.isEmpty, key.first?.isLetter == true || key.first == "_" else { return false }
        let rest = t[key.endIndex...]
        if rest.hasPrefix("=") { return key.allSatisfy { !$0.isLowercase } }
        let r = rest.drop { $0 == " " }
        return r.hasPrefix(":") && (r.count == 1 || r.dropFirst().first == " ")
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

    public mutating func finish() -> ParseOutput {
        // Handed over, not shared: the caller stamps every exchange, which would copy them all.
        defer { out = ParseOutput() }
        let res = ErrorTextReader(path: path, lines: kept).read()
        out.exchanges = res.exchanges
        out.signals = res.signals
        out.format = res.format == "text" ? (format == "json-error" && res.exchanges.contains { $0.error != nil } ? "json-error" : "text") : res.format
        if out.skippedLines > 0 {
            out.problems.append(Problem(.warning, location: path, message: "only the first \(Self.maxBytes >> 20) MiB of this text were read as an error report"))
        }
        out.notes.append("pasted error text: facts the text does not state (status, URL, model) are unknown, not absent")
        return out
    }
}
