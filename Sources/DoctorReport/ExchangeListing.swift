import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

/// Renders the paired exchanges for `modeldoctor exchanges`: the view rule authors use to see
/// what the rules will see. Every bundle-derived string goes through the redactor.
public enum ExchangeListing {
    /// The formats the listing has: only these, so `exchanges --format markdown` is refused
    /// rather than silently printed as text.
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    /// The listing in `format`.
    public static func render(_ bundle: TicketBundle, as format: Format, redactor: Redactor) -> String {
        switch format {
        case .text: return text(bundle, redactor: redactor)
        case .json: return json(bundle, redactor: redactor)
        }
    }

    public static func text(_ bundle: TicketBundle, redactor: Redactor) -> String {
        var out = ""
        for e in bundle.exchanges {
            out += "#\(e.index) \(redactor.redact(e.summary).value)\n"
            let srcs = e.sources.map(\.description).joined(separator: ", ")
            out += "    sources: \(srcs)\n"
            var facts: [String] = []
            if let m = e.model { facts.append("model=\(m)") }
            if let s = e.stream { facts.append("stream=\(s)") }
            if let t = e.time { facts.append("time=\(iso(t))") }
            if let id = e.requestID { facts.append("request_id=\(id)") }
            if e.retries > 0 { facts.append("retries=\(e.retries)") }
            if let d = e.durationMs { facts.append("duration_ms=\(Int(d))") }
            if let sdk = e.sdk { facts.append("sdk=\(sdk.description)") }
            if let c = e.credential { facts.append("key=\(redactor.fingerprint(c))") }
            if let ct = e.contentType { facts.append("content_type=\(ct)") }
            if !facts.isEmpty { out += "    " + redactor.redact(facts.joined(separator: " ")).value + "\n" }
            if let err = e.error {
                let parts = [err.type.map { "type=\($0)" }, err.code.map { "code=\($0)" }, err.message.map { "message=\($0.prefix(300))" }].compactMap { $0 }
                out += "    error: " + redactor.redact(parts.joined(separator: " ")).value + "\n"
            }
            if let l = e.listedModels { out += "    listed models (\(l.count)): " + redactor.redact(l.prefix(20).joined(separator: ", ")).value + "\n" }
            if let s = e.listShape { out += "    list shape: \(s)\n" }
            if let f = e.failure { out += "    failure: \(f.kind.rawValue): " + redactor.redact(f.message).value + "\n" }
            for m in e.missing { out += "    missing: " + redactor.redact(m.text(.en)).value + "\n" }
        }
        out += "\n\(bundle.exchanges.count) exchange(s)\n\nInputs:\n"
        for i in bundle.inventory {
            let comp = i.compression.isEmpty ? "" : " [" + i.compression.joined(separator: "+") + "]"
            out += "  \(i.path)\(comp): \(i.kind.rawValue)\(i.format.map { " (\($0))" } ?? ""), \(i.bytes) bytes, \(i.lines) lines, \(i.exchanges) exchanges, \(i.skippedLines) lines not understood\n"
            for s in i.skipped { out += "      skipped: \(s)\n" }
            for p in i.problems { out += "      " + redactor.redact(p.description).value + "\n" }
            for n in i.notes { out += "      note: " + redactor.redact(n).value + "\n" }
        }
        if !bundle.signals.isEmpty {
            out += "\nSignals:\n"
            for s in bundle.signals.prefix(50) {
                out += "  \(s.name)\(s.value.map { "=" + redactor.redact($0).value } ?? "") (\(s.line.ref.description))\n"
            }
        }
        return out
    }

    public static func json(_ bundle: TicketBundle, redactor: Redactor) -> String {
        func r(_ s: String?) -> JSONValue { s.map { .string(redactor.redact($0).value) } ?? .null }
        func n(_ i: Int?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
        let xs: [JSONValue] = bundle.exchanges.map { e in
            var o: [String: JSONValue] = [
                "index": .number(Double(e.index)), "method": r(e.method), "url": r(e.url ?? e.pathOnly),
                "status": n(e.status), "model": r(e.model), "request_id": r(e.requestID), "retries": .number(Double(e.retries)),
                "sources": .array(e.sources.map { .string($0.description) }),
                "source_kinds": .array(e.sourceKinds.sorted().map { .string($0.rawValue) }),
                "time": e.time.map { .string(iso($0)) } ?? .null,
                "endpoint": e.endpoint.map { .string($0.rawValue) } ?? .null,
                "missing": .array(e.missing.map { r($0.text(.en)) }),
            ]
            if let s = e.stream { o["stream"] = .bool(s) }
            if let err = e.error { o["error"] = .object(["type": r(err.type), "code": r(err.code), "message": r(err.message), "param": r(err.param)]) }
            if let l = e.listedModels { o["listed_models"] = .array(l.map { r($0) }) }
            if let s = e.listShape { o["list_shape"] = .string(s) }
            if let f = e.failure { o["failure"] = .object(["kind": .string(f.kind.rawValue), "message": r(f.message)]) }
            if let c = e.credential { o["key"] = .string(redactor.fingerprint(c)) }
            if let sdk = e.sdk { o["sdk"] = .string(sdk.description) }
            if let ct = e.contentType { o["content_type"] = r(ct) }
            if let d = e.durationMs { o["duration_ms"] = .number(d) }
            return .object(o)
        }
        let inputs: [JSONValue] = bundle.inventory.map { i in
            .object(["path": .string(i.path), "kind": .string(i.kind.rawValue), "format": i.format.map { .string($0) } ?? .null,
                     "bytes": .number(Double(i.bytes)), "lines": .number(Double(i.lines)), "exchanges": .number(Double(i.exchanges)),
                     "skipped_lines": .number(Double(i.skippedLines)), "compression": .array(i.compression.map { .string($0) }),
                     "problems": .array(i.problems.map { r($0.description) })])
        }
        let doc: JSONValue = .object(["schema": .string("modeldoctor/exchanges@1"), "exchanges": .array(xs), "inputs": .array(inputs)])
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? String(decoding: enc.encode(doc), as: UTF8.self)) ?? "{}") + "\n"
    }

    static func iso(_ d: Date) -> String { ReportFormat.iso8601(d) }
}
