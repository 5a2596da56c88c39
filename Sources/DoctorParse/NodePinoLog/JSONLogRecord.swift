import DoctorIngest
import DoctorModel
import Foundation

/// One line of a structured (JSON lines) logger: pino's
/// `{"level":20,"time":1764380791204,"pid":1,"hostname":"h","name":"OpenAI","msg":"…"}`, and
/// the same idea from winston (`"level":"debug","message":…,"timestamp":"…"`) or bunyan
/// (`"v":0`, ISO `time`).
///
/// pino writes the level number, `time` (epoch ms by default), `pid` and `hostname` first,
/// then the child bindings, then the merged object's keys, and the message last under `msg`.
struct JSONLogRecord {
    var fields: [String: JSONValue]
    /// The message: `msg` (pino, bunyan) or `message` (winston and others).
    var message: String
    var messageKey: String
    /// A numeric level (pino/bunyan 10…60) or a level name.
    var level: JSONValue?
    var time: Date?

    /// Keys of the envelope, never part of what the SDK passed along.
    static let envelopeKeys: Set<String> = ["level", "time", "timestamp", "pid", "hostname", "name", "v", "msg"]
    /// What openai-node's `formatRequestDetails` objects carry.
    static let detailKeys: Set<String> = ["method", "url", "options", "headers", "status", "durationMs",
                                          "retryOf", "body", "message"]

    /// nil when the line is not one JSON object with a string message.
    init?(_ text: String) {
        let t = text.drop { $0 == " " || $0 == "\t" }
        guard t.hasPrefix("{"), let o = JSONValue.parse(String(t))?.object else { return nil }
        if case .string(let m)? = o["msg"] {
            message = m; messageKey = "msg"
        } else if case .string(let m)? = o["message"] {
            message = m; messageKey = "message"
        } else {
            return nil
        }
        fields = o
        level = o["level"]
        time = Self.time(o["time"] ?? o["timestamp"])
    }

    /// pino's shape: a numeric level, a numeric epoch-ms `time` or ISO time, and `msg`.
    var isPino: Bool {
        guard messageKey == "msg", case .number = level ?? .null else { return false }
        return fields["v"] == nil  // bunyan adds `"v":0`
    }

    /// The object the SDK passed after its message, when the logger kept it (merged into the
    /// record's top level); nil when only the message survived (pino without a `logMethod`
    /// hook drops a second argument that no `%s` in the message asks for).
    var details: JSONValue? {
        var d = fields
        for k in Self.envelopeKeys { d[k] = nil }
        if messageKey == "message" { d["message"] = nil }
        guard d.keys.contains(where: Self.detailKeys.contains) else { return nil }
        return .object(d)
    }

    /// Epoch milliseconds (pino's default), epoch seconds, or an ISO 8601 string.
    static func time(_ v: JSONValue?) -> Date? {
        switch v {
        case .number(let n) where n > 1e11: return Date(timeIntervalSince1970: n / 1000)
        case .number(let n) where n > 1e8: return Date(timeIntervalSince1970: n)
        case .string(let s): return LogTime.iso8601(s)
        default: return nil
        }
    }
}
