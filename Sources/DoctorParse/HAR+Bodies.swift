import DoctorIngest
import DoctorModel
import Foundation

extension HAR {
    /// Whether `Exchange.readResponseBody` could set anything from the response body: the
    /// error object, or the model list of a `/models` call. Parsing every body into a
    /// `JSONValue` was a fifth of a HAR analysis; most bodies (completions, HTML, assets) give
    /// nothing, and a look at the bytes tells which.
    ///
    /// Answers true when unsure. False only when the parse would leave the exchange as it is:
    /// the call is not a `/models` list call and the body is not an object (nothing else is
    /// read from it), or is an object whose top-level keys include none that `apiError` and the
    /// list check read (`error`, `message`, `detail`, `success`, an `object` of `"error"` or
    /// `"list"`). Keep in step with `readResponseBody` and `ResponseBody.apiError`.
    static func responseBodyMayMatter(_ x: Exchange) -> Bool {
        guard let body = x.responseBody else { return false }
        if x.isModelListCall { return true }
        let errorKnown = x.error != nil
        return body.utf8.withContiguousStorageIfAvailable { buf in
            bodyMayCarryErrorOrList(UnsafeRawBufferPointer(buf), errorKnown: errorKnown)
        } ?? true
    }

    static func bodyMayCarryErrorOrList(_ raw: UnsafeRawBufferPointer, errorKnown: Bool) -> Bool {
        guard let b = Bytes(raw) else { return false }
        let first = b.skipSpace(0)
        guard first < b.n else { return false }  // blank: not JSON
        let c = b.p[first]
        // Not an object: `apiError` and the list check find nothing. A byte that is not printable
        // ASCII (a BOM, UTF-16) may hide an object from this look: parse.
        if c != 0x7B { return !(0x21...0x7E).contains(c) }
        guard isPlainJSON(raw) else { return true }
        var matters = false
        b.members(first) { key, v in
            guard !matters else { return }
            if memchr(b.p + key.lowerBound, 0x5C, key.count) != nil { matters = true; return }  // escaped key
            if !errorKnown, b.key(key, is: "error") || b.key(key, is: "message") || b.key(key, is: "detail")
                || b.key(key, is: "success") { matters = true; return }
            if b.key(key, is: "object"), let s = b.stringValue(v), s == "list" || (!errorKnown && s == "error") {
                matters = true
            }
        }
        return matters
    }

    /// `model` and `stream` of a JSON request body read from its bytes; nil when unsure (not
    /// plain JSON, a duplicated or escaped top-level key), and the caller parses it.
    static func modelAndStreamFromBytes(_ raw: UnsafeRawBufferPointer) -> (String?, Bool?)? {
        guard isPlainJSON(raw), let b = Bytes(raw) else { return nil }
        let root = b.skipSpace(0)
        guard b.byte(root) == 0x7B else { return nil }
        var model: Int?, stream: Int?, unsure = false
        b.members(root) { key, v in
            if memchr(b.p + key.lowerBound, 0x5C, key.count) != nil { unsure = true; return }
            if b.key(key, is: "model") {
                if model != nil { unsure = true }
                model = v
            } else if b.key(key, is: "stream") {
                if stream != nil { unsure = true }
                stream = v
            }
        }
        guard !unsure else { return nil }
        var m: String?
        if let at = model {
            switch b.byte(at) {
            case 0x22: m = b.stringValue(at)
            case 0x74: m = "true"
            case 0x66: m = "false"
            case 0x2D, 0x30...0x39:
                guard let d = b.numberValue(at) else { return nil }
                m = JSONValue.number(d).string
            default: m = nil
            }
        }
        var s: Bool?
        if let at = stream {
            switch b.byte(at) {
            case 0x74: s = true
            case 0x66: s = false
            default: s = nil
            }
        }
        return (m, s)
    }
}

extension HAR {
    /// The `JSONValue` of a body built straight from its bytes, as `JSONValue.parse` builds it;
    /// nil when unsure (not plain JSON, an object with a repeated key), and the caller parses.
    /// `JSONValue.parse` goes through `JSONDecoder` and tries each case in turn, throwing on
    /// every miss: on a HAR of model lists and error bodies it was the largest single cost.
    static func jsonValue(_ text: String) -> JSONValue?? {
        text.utf8.withContiguousStorageIfAvailable { buf -> JSONValue? in
            let raw = UnsafeRawBufferPointer(buf)
            guard isPlainJSON(raw), let b = Bytes(raw) else { return nil }
            var ok = true
            let v = value(b, b.skipSpace(0), ok: &ok)
            return ok ? v : nil
        }
    }

    private static func value(_ b: Bytes, _ at: Int, ok: inout Bool) -> JSONValue {
        switch b.byte(at) {
        case 0x7B:
            var o: [String: JSONValue] = [:]
            b.members(at) { key, v in
                guard ok else { return }
                let k = b.string(key)
                guard o[k] == nil else { ok = false; return }
                o[k] = value(b, v, ok: &ok)
            }
            return .object(o)
        case 0x5B:
            var a: [JSONValue] = []
            b.elements(at) { e in
                guard ok else { return }
                a.append(value(b, e, ok: &ok))
            }
            return .array(a)
        case 0x22: return .string(b.stringValue(at) ?? "")
        case 0x74: return .bool(true)
        case 0x66: return .bool(false)
        case 0x6E: return .null
        default:
            guard let d = b.numberValue(at) else { ok = false; return .null }
            return .number(d)
        }
    }
}

extension Exchange {
    /// `readResponseBody` (ResponseBody.swift), the body read by `HAR.jsonValue` when it can be
    /// and left unread when `HAR.responseBodyMayMatter` shows it carries nothing a rule reads.
    mutating func readHARResponseBody() {
        guard HAR.responseBodyMayMatter(self), let body = responseBody else { return }
        guard let fast = HAR.jsonValue(body), let json = fast else {
            readResponseBody()
            return
        }
        readResponseBody(json: json)
    }
}
