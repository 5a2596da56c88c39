import DoctorIngest
import DoctorModel
import Foundation

/// Turning an access line (plus its pending context) into an exchange, and JSON lines.
extension GatewayLogParser {
    /// Emits one exchange from an access record and the pending context, then clears it.
    /// With `line == nil` it emits a partial exchange for a context whose access line never came.
    mutating func emit(method: String?, target: String?, status: Int?, statusText: String?, line: Line?,
                       text: String?, time: Date? = nil, durationMs: Double? = nil, userAgent: String? = nil) {
        var x = Exchange()
        let ctx = pending
        pending = GatewayPending()
        x.method = method?.uppercased()
        if let target {
            if target.hasPrefix("http://") || target.hasPrefix("https://") { x.url = target } else { x.pathOnly = target }
        }
        x.status = status
        x.statusText = statusText
        x.time = time
        x.durationMs = durationMs
        x.model = ctx.model ?? ctx.error?.message.flatMap(GatewayLog.modelNamed(in:))
        x.stream = ctx.stream
        x.requestBody = ctx.requestBody
        x.requestID = ctx.requestID
        x.error = ctx.error
        if x.error != nil, x.error?.code == nil, format == "litellm", let status { x.error?.code = String(status) }
        x.sdk = userAgent.flatMap { SDKInfo.from(headers: [Header("User-Agent", $0)]) } ?? ctx.sdk
        x.hints = ctx.hints
        if x.status == nil { x.missing.append(.noGatewayAccessLine) }
        // Sized exactly: every call is held to the end of the run, and appending to the
        // mapped array doubled its buffer.
        let traceback = ctx.errorRank == 1 ? ctx.tracebackLine : nil
        let access = line.flatMap { l in text.map { (l, $0) } }
        var lines: [SourceLine] = []
        lines.reserveCapacity(ctx.lines.count + (traceback == nil ? 0 : 1) + (access == nil ? 0 : 1))
        for l in ctx.lines { lines.append(SourceLine(ref: SourceRef(file: path, line: l.ref.line), text: l.text)) }
        if let tb = traceback { lines.append(SourceLine(ref: SourceRef(file: path, line: tb.ref.line), text: tb.text)) }
        if let a = access { lines.append(SourceLine(ref: SourceRef(file: path, line: a.0.number), text: a.1)) }
        x.lines = lines
        if let first = lines.first?.ref.line, let last = lines.last?.ref.line {
            x.sources = [SourceRef(file: path, line: line?.number ?? first, endLine: line == nil ? last : nil)]
        }
        sharing.share(&x)
        packing.pack(&x)
        out.exchanges.append(x)
    }

    /// A JSON log line: an access record when it has method/path/status, else a log record
    /// whose message may carry an error (LiteLLM `JSON_LOGS`).
    mutating func jsonLine(_ o: [String: JSONValue], line: Line, text: String) {
        func str(_ keys: [String]) -> String? {
            for k in keys { if let v = o[k]?.string, !v.isEmpty, v != "-" { return v } }
            return nil
        }
        let model = str(["model", "model_name", "request_model", "original_model"])
        let requestID = str(["request_id", "requestId", "x-request-id", "x_request_id", "req_id", "call_id",
                             "litellm_call_id", "trace_id"])
        var err: APIError?
        if let e = o["error"] ?? o["err"] {
            if let s = e.string, !s.isEmpty { err = APIError(message: s) }
            else if e.object != nil { err = ResponseBody.apiError(from: .object(["error": e])) }
        }
        if let access = GatewayLog.jsonAccess(o) {
            if err == nil, let s = access.status, s >= 400, let m = str(["message", "msg", "error_message"]) {
                err = APIError(message: m)
            }
            if let err { pending.offer(err, rank: 3) }
            if let model { pending.model = model }
            if let requestID { pending.requestID = requestID }
            if let s = o["stream"], case .bool(let b) = s { pending.stream = b }
            var time: Date?
            if let t = str(["time", "ts", "timestamp", "@timestamp", "time_iso8601", "datetime", "date"]) {
                time = LogTime.iso8601(t) ?? LogTime.nginx(t) ?? Double(t).map(GatewayLog.epoch)
            } else if let t = str(["time_local"]) {
                time = LogTime.nginx(t)
            } else if let ms = str(["msec"]).flatMap(Double.init) {
                time = Date(timeIntervalSince1970: ms)
            }
            let duration = str(["duration_ms", "latency_ms", "elapsed_ms"]).flatMap(Double.init)
                ?? str(["request_time", "duration", "latency"]).flatMap(Double.init).map { $0 * 1000 }
            emit(method: access.method, target: access.target, status: access.status, statusText: nil, line: line,
                 text: text, time: time, durationMs: duration,
                 userAgent: str(["http_user_agent", "user_agent", "userAgent", "ua", "user-agent"]))
            return
        }
        // A log record: only an error-level message (or one naming a known error) matters.
        let level = str(["level", "levelname", "severity"])?.uppercased()
        guard let message = str(["message", "msg"]) else {
            // A JSON body printed under a multi-line record (LiteLLM `RAW RESPONSE:`) is understood.
            if let err { pending.offer(err, rank: 2); pending.note(line, text) }
            else if !inRecord { out.skip(line) }
            return
        }
        if model != nil, pending.model == nil { pending.model = model }
        if offerLiteLLMException(message, line: line, text: text) { return }
        if let e = err ?? ((level == "ERROR" || level == "WARNING" || level == "CRITICAL")
                           && GatewayLog.liteLLMErrorType(Substring(message)) != nil ? APIError(message: message) : nil) {
            pending.offer(e, rank: 2)
            pending.note(line, text)
        }
    }
}

extension GatewayLog {
    /// A Unix time in seconds or milliseconds.
    static func epoch(_ v: Double) -> Date {
        Date(timeIntervalSince1970: v > 1e11 ? v / 1000 : v)
    }
}
