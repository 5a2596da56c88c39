import DoctorIngest
import DoctorModel
import Foundation

/// Reads the debug output of the openai-node SDK (v5+ `OPENAI_LOG=debug` records, v4
/// `DEBUG=true` lines) together with whatever the app printed around it.
///
/// A v5+ record starts with `[log_<hex>]` (`[log_b, retryOf: log_a]` on a retry,
/// `[log_a, x-request-id: "req_…"]` when the server sent that header) and usually continues
/// with a multi-line `util.inspect` dump. Records of one request share the log id; retries
/// point back at the first attempt, so one logical call becomes one `Exchange` whose `retries`
/// counts the extra attempts and whose status is the last attempt's.
///
/// Lines are collected into *blocks* (one record, one printed error object) by bracket depth,
/// then each block is applied to the exchanges. Errors the app printed
/// (`chat failed: NotFoundError: 404 …` plus stack and `{ status, headers, error, … }`) enrich
/// the exchange they belong to, found by request id or else by status; a plain `TypeError`
/// after an HTML page answered with 200 marks that exchange `json-decode-error`.
public struct NodeSDKLogParser: LogParser {
    public static let kind = InputKind.nodeSDKLog
    public static let readsWholeDocument = false

    public static func sniff(_ input: SniffInput) -> Sniff? {
        var score = 0
        var format = "openai-node"
        for line in input.lines {
            if line.hasPrefix("[log_"), line.contains("sending request") || line.contains(" with status ")
                || line.contains("response start") || line.contains("response parsed")
                || line.contains("response error") || line.contains("connection failed") {
                score = max(score, 85)
            } else if line.hasPrefix("OpenAI:DEBUG:") {
                score = max(score, 85)
                format = "openai-node-4.x"
            } else if line.contains("node_modules/openai/") {
                score = max(score, 60)
            } else if line.contains("OPENAI_LOG") && line.contains("expected one of") {
                score = max(score, 50)
            }
        }
        guard score > 0 else { return nil }
        if let v = userAgentVersion(in: input.text) { format = "openai-node-\(v)" }
        return Sniff(kind: kind, format: format, score: score)
    }

    /// The version in the first `OpenAI/JS x.y.z` user agent of a text.
    static func userAgentVersion(in text: String) -> String? {
        guard let r = text.range(of: "OpenAI/JS ") else { return nil }
        let v = text[r.upperBound...].prefix { $0.isNumber || $0 == "." || $0.isLetter || $0 == "-" }
        return v.isEmpty ? nil : String(v)
    }

    let path: String
    var out = ParseOutput()
    /// One per logical call, in order of first appearance.
    var calls: [Exchange] = []
    /// Log id → index in `calls` (retries map to their first attempt's call).
    var callByLogID: [String: Int] = [:]
    /// Per call: the last attempt said it would retry.
    var retrying: Set<Int> = []
    var block: Block?
    var sdkVersion: String?
    var sawV4 = false

    public init(path: String, sniff: Sniff) {
        self.path = path
    }

    public mutating func consume(_ line: Line) {
        out.lines += 1
        feed(line)
    }

    /// Routes one line: into the open block, or starts a block, or handles it alone.
    mutating func feed(_ line: Line) {
        if var b = block {
            if b.accepts(line) {
                b.add(line)
                if b.isComplete { block = nil; apply(b) } else { block = b }
                return
            }
            block = nil
            let replay = b.close()
            apply(b)
            for l in replay { feed(l) }
            if block != nil { feed(line); return }
        }
        startOrHandle(line)
    }

    mutating func startOrHandle(_ line: Line) {
        let text = line.text
        if text.isEmpty || text.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
        if line.hasPrefix("[log_"), let tag = LogTag(line: text) {
            begin(Block(kind: .record(tag), first: line))
            return
        }
        if line.hasPrefix("OpenAI:DEBUG:") {
            sawV4 = true
            begin(Block(kind: .v4, first: line))
            return
        }
        if line.hasPrefix("response "), text.dropFirst(9).prefix(3).allSatisfy(\.isNumber) {
            begin(Block(kind: .streamResponse, first: line))
            return
        }
        if line.contains("Error"), AppError.header(in: text) != nil {
            begin(Block(kind: .appError, first: line))
            return
        }
        handleAppLine(line)
    }

    mutating func begin(_ b: Block) {
        if b.isComplete { apply(b) } else { block = b }
    }

    public mutating func finish() -> ParseOutput {
        // Handed over, not shared: the caller stamps every exchange, which would copy them all.
        defer { out = ParseOutput() }
        closeOpenBlock()
        for i in calls.indices {
            finalize(&calls[i])
        }
        out.exchanges = calls
        if let v = sdkVersion { out.format = "openai-node-\(v)" } else if sawV4 { out.format = "openai-node-4.x" }
        if !calls.isEmpty {
            out.notes.append("openai-node debug records cut nested values to [Object]/[Array]; error bodies appear only in the error objects the app prints")
        }
        return out
    }

    /// Applies a block still open (a log cut mid-record, or a record of another shape next) as
    /// far as it goes; replayed lines may open one more, which is closed the same way.
    mutating func closeOpenBlock() {
        for _ in 0..<3 {
            guard var b = block else { break }
            block = nil
            let replay = b.close()
            apply(b)
            for l in replay { feed(l) }
        }
    }

    /// Last touches once every line is in: sources, SDK, request id from headers.
    func finalize(_ e: inout Exchange) {
        if let first = e.lines.first, let last = e.lines.last {
            e.sources = [SourceRef(file: path, line: first.ref.line, endLine: last.ref.endLine)]
        }
        if e.sdk == nil { e.sdk = SDKInfo.from(headers: e.requestHeaders) }
        if e.requestID == nil {
            e.requestID = e.responseHeaders.first { $0.name.lowercased().hasSuffix("request-id") }?.value
        }
        if e.time == nil, let d = e.responseHeaders.value("date") { e.time = Self.httpDate(d) }
    }

    /// Parses an HTTP `Date` header (`Sun, 29 Nov 2026 03:46:31 GMT`).
    /// Read by hand (IMF-fixdate is fixed-width): a DateFormatter per call is slow and one
    /// shared formatter is not safe across threads.
    static func httpDate(_ s: String) -> Date? {
        let parts = s.split(separator: " ")
        guard parts.count >= 5, let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        var c = tm()
        c.tm_year = Int32(year - 1900); c.tm_mon = Int32(month); c.tm_mday = Int32(day)
        c.tm_hour = Int32(hms[0]); c.tm_min = Int32(hms[1]); c.tm_sec = Int32(hms[2])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&c)))
    }
}

/// The bracket of a v5+ record: `[log_ab12cd]`, `[log_b, retryOf: log_a]`,
/// `[log_a, x-request-id: "req_1"]`, and the text after it.
struct LogTag: Sendable {
    var id: String
    var retryOf: String?
    var requestID: String?
    var rest: String

    init?(line: String) {
        guard let close = line.firstIndex(of: "]") else { return nil }
        let inner = line[line.index(after: line.startIndex)..<close]
        let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, first.hasPrefix("log_"), first.count <= 24 else { return nil }
        id = first
        for p in parts.dropFirst() {
            if p.hasPrefix("retryOf:") { retryOf = p.dropFirst(8).trimmingCharacters(in: .whitespaces) }
            if p.lowercased().hasPrefix("x-request-id:") {
                requestID = p.dropFirst(13).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            }
        }
        rest = String(line[line.index(after: close)...]).trimmingCharacters(in: .whitespaces)
    }
}
