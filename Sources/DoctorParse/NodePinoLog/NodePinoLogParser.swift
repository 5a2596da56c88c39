import DoctorIngest
import DoctorModel
import Foundation

/// Reads openai-node v5+ debug records written through a structured logger, i.e.
/// `new OpenAI({ logger: pino().child({ name: 'OpenAI' }), logLevel: 'debug' })`: one JSON
/// object per line whose message is the SDK's `[log_…] sending request`,
/// `[log_…, retryOf: log_…] post https://… failed with status 404 in 38ms - …`,
/// `[log_…] response start` … (winston- and bunyan-style JSON lines are read the same way).
///
/// The SDK calls `logger.debug(message, details)`. pino takes a string first argument as a
/// printf format and ignores arguments no `%s` asks for, so by default only the message is
/// kept: the info-level summary lines still give method, URL, status, duration, retries and
/// the `x-request-id`, but headers, bodies and `retryOf` on `sending request` are lost. With
/// pino's documented `logMethod` hook that swaps the arguments (or with winston), the details
/// are merged into the record and read like the console dumps.
///
/// Exchanges are built by `NodeSDKLogParser`'s record logic (same pairing by log id, same
/// retry collapsing); this type only unwraps the JSON envelope, takes the record's time,
/// reads error objects serialized by pino's `err` serializer, and hands any non-JSON line
/// (a crash printed by Node, console output) to the console reader.
public struct NodePinoLogParser: LogParser {
    public static let kind = InputKind.nodeSDKLog
    public static let readsWholeDocument = false

    public static func sniff(_ input: SniffInput) -> Sniff? {
        var sdk = 0, pino = 0
        for line in input.lines where ByteSearch.contains(line, "[log_") {
            guard let rec = JSONLogRecord(line), sdkTag(rec) != nil else { continue }
            sdk += 1
            if rec.isPino { pino += 1 }
        }
        guard sdk > 0 else { return nil }
        let flavour = pino > 0 ? "pino" : "jsonl"
        let version = NodeSDKLogParser.userAgentVersion(in: input.text)
        // Above the gateway reader's JSON lines (70…85): `[log_…]` messages are the SDK's own.
        return Sniff(kind: kind, format: formatName(version: version, flavour: flavour), score: 90)
    }

    /// The `[log_…]` bracket of a record whose message is one of the SDK's.
    static func sdkTag(_ rec: JSONLogRecord) -> LogTag? {
        guard rec.message.hasPrefix("[log_"), let tag = LogTag(line: rec.message) else { return nil }
        let r = tag.rest
        let known = r.hasPrefix("sending request") || r.hasPrefix("response") || r.hasPrefix("connection failed")
            || r.hasPrefix("connection timed out") || r.contains(" with status ")
        return known ? tag : nil
    }

    static func formatName(version: String?, flavour: String) -> String {
        "openai-node-" + (version.map { "\($0)-" } ?? "") + flavour
    }

    let path: String
    /// The console reader: builds the exchanges and reads the lines that are not JSON.
    var core: NodeSDKLogParser
    var lines = 0
    var sawPino = false
    /// Debug records (`sending request`, `response …`) that came with / without their details.
    var withDetails = 0
    var withoutDetails = 0

    public init(path: String, sniff: Sniff) {
        self.path = path
        core = NodeSDKLogParser(path: path, sniff: sniff)
    }

    public mutating func consume(_ line: Line) {
        lines += 1
        guard Self.looksLikeRecord(line.text) else {
            core.feed(line)
            return
        }
        core.closeOpenBlock()
        // Most lines of a busy service are its own records with nothing for the analysis:
        // known well-formed without decoding them.
        if !Self.mayMatter(line) { return }
        guard let rec = JSONLogRecord(line.text) else {
            core.feed(line)
            return
        }
        if rec.isPino { sawPino = true }
        if let tag = Self.sdkTag(rec) {
            applySDK(rec, tag: tag, line: line)
        } else {
            applyApp(rec, line: line)
        }
    }

    /// `{"…}` on one line (leading blanks allowed). util.inspect dumps open with `{ ` and quote
    /// keys with `'`, so a console object is not mistaken for a record.
    static func looksLikeRecord(_ s: String) -> Bool {
        let u = s.utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }), u[first] == UInt8(ascii: "{") else { return false }
        let next = u.index(after: first)
        guard next < u.endIndex, u[next] == UInt8(ascii: "\"") else { return false }
        return u.last(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) == UInt8(ascii: "}")
    }

    /// Whether a record can hold an SDK message, an error, a URL or a proxy setting.
    static func mayMatter(_ line: Line) -> Bool {
        line.contains("[log_") || line.contains("Error") || line.contains("http") || line.contains("proxy")
            || line.contains("PROXY") || line.contains("OPENAI_LOG")
    }

    mutating func applySDK(_ rec: JSONLogRecord, tag: LogTag, line: Line) {
        var message = tag.rest
        var details = rec.details
        if details == nil {
            // bunyan and console-like sinks print the object into the message itself.
            let (m, obj) = NodeSDKLogParser.splitMessage(tag.rest, following: [])
            if let obj, let v = NodeInspect.parse(obj) { message = m; details = v }
        }
        let isDebugDump = message == "sending request" || message.hasPrefix("response ") || message == "response"
        if isDebugDump {
            if details == nil { withoutDetails += 1 } else { withDetails += 1 }
        }
        if let root = tag.retryOf ?? details?["retryOf"]?.string { core.joinRetry(tag.id, to: root) }
        // A debug record that lost its details says nothing but its id: not evidence (the
        // summary line with method, URL and status is the one to show).
        let evidence = isDebugDump && details == nil ? [] : [line]
        core.applyRecord(tag, message: message, details: details, lines: evidence)
        if let t = rec.time, let i = core.callByLogID[tag.id], core.calls[i].time == nil { core.calls[i].time = t }
    }

    /// A record of the app's own: an error object, a configured base URL or proxy, or nothing
    /// the analysis needs (still a well-formed record, so not a skipped line).
    mutating func applyApp(_ rec: JSONLogRecord, line: Line) {
        let src = SourceLine(ref: SourceRef(file: path, line: line.number), text: line.text)
        if let err = Self.errorObject(rec), let h = AppError.header(in: "\(err.type): \(err.message)") {
            core.applyAppError(h, props: err.value, text: line.text, cause: Self.connectionCause(err.value), evidence: [src])
            if h.isAPIStatus { keepRawBody(err.value, h, line: line) }
        } else if rec.message.contains("Error"), let h = AppError.header(in: rec.message) {
            core.applyAppError(h, props: nil, text: line.text, cause: nil, evidence: [src])
        }
        for (key, value) in rec.fields.sorted(by: { $0.key < $1.key }) {
            guard case .string(let v) = value, v.hasPrefix("http"),
                  let u = ErrorTextMentions.baseURL(in: "\(key)=\(v)") else { continue }
            core.out.signals.append(Signal(name: .configuredBaseURL, value: u, line: src))
        }
        if rec.message.contains("http"), let u = ErrorTextMentions.baseURL(in: rec.message) {
            core.out.signals.append(Signal(name: .configuredBaseURL, value: u, line: src))
        }
        if line.contains("PROXY") || line.contains("proxy"), let p = ErrorTextMentions.proxy(in: rec.message) {
            core.out.signals.append(Signal(name: .proxyEnv, value: p, line: src))
        }
        if rec.message.contains("OPENAI_LOG") && rec.message.contains("expected one of") {
            core.out.notes.append("OPENAI_LOG had an invalid value, so the SDK logged at its default level")
        }
    }

    /// pino's `err` serializer output: `{ type: 'NotFoundError', message, stack, status, … }`.
    /// Its `type` is the class name, written over the SDK's own `err.type` (the API error
    /// type), so it is taken out of the properties handed on.
    static func errorObject(_ rec: JSONLogRecord) -> (type: String, message: String, value: JSONValue)? {
        for key in ["err", "error"] {
            guard var o = rec.fields[key]?.object,
                  let type = o["type"]?.string ?? o["name"]?.string, let msg = o["message"]?.string else { continue }
            if o["type"]?.string == type { o["type"] = nil }
            return (type, msg, .object(o))
        }
        return nil
    }

    /// openai-node puts a body that was not JSON into the error message (`404 <html>…`); with
    /// the SDK's own `response error` details dropped, that message is the only copy of it.
    mutating func keepRawBody(_ err: JSONValue, _ h: AppErrorHeader, line: Line) {
        guard err["error"] == nil, let status = h.status, h.message.count > 4,
              !h.message.hasSuffix("status code (no body)"),
              let i = core.calls.lastIndex(where: { $0.lines.contains { $0.ref.line == line.number } }),
              core.calls[i].status == status, core.calls[i].responseBody == nil else { return }
        core.calls[i].responseBody = String(h.message.dropFirst(4))
        core.guessContentType(i)
    }

    /// The first message along an error's `cause` chain naming a network failure
    /// (`fetch failed`, `connect ECONNREFUSED 127.0.0.1:3000`).
    static func connectionCause(_ err: JSONValue) -> String? {
        var cur = err["cause"]
        for _ in 0..<5 {
            guard let c = cur else { return nil }
            let text = [c["message"]?.string, c["code"]?.string].compactMap { $0 }.joined(separator: " ")
            if AppError.connectionMarkers.contains(where: text.contains) { return c["message"]?.string ?? text }
            cur = c["cause"]
        }
        return nil
    }

    public mutating func finish() -> ParseOutput {
        var out = core.finish()
        out.lines = lines
        out.format = Self.formatName(version: core.sdkVersion, flavour: sawPino ? "pino" : "jsonl")
        out.notes.removeAll { $0.hasPrefix("openai-node debug records cut nested values") }
        for i in out.exchanges.indices where out.exchanges[i].sdk == nil {
            out.exchanges[i].sdk = SDKInfo(name: "openai-node", version: nil, language: "js")
        }
        if withoutDetails > 0 && withDetails == 0 {
            out.notes.append("the logger kept only the SDK's messages, not their details (pino drops a second argument unless a logMethod hook passes it first): no headers, bodies or SDK version; method, URL, status and retries come from the info lines")
        } else if !out.exchanges.isEmpty && withoutDetails == 0 && withDetails == 0 {
            out.notes.append("only info-level SDK records (the logger's level was above debug): method, URL, status and retries, no headers or bodies")
        }
        return out
    }
}
