import DoctorModel
import Foundation

/// JSON text to a `JSONValue` from its bytes, for the per-line paths (a gateway log's JSON
/// lines). `JSONValue.parse` goes through `JSONDecoder`, whose `Decodable` walk tries each
/// case of the enum in turn and throws on every miss: about 50 µs for a 450-byte line.
///
/// Only text that `HAR.isPlainJSON` accepts (strict JSON, never more lenient than the
/// decoder) is read here, with the same string and number readers the HAR byte reader uses;
/// an object with a repeated key, and everything else, still goes to `JSONValue.parse`, so
/// the answer is always the decoder's.
enum JSONBytes {
    static func parse(_ text: String) -> JSONValue? {
        var text = text
        let fast: JSONValue?? = text.withUTF8 { u -> JSONValue?? in
            let raw = UnsafeRawBufferPointer(u)
            guard HAR.isPlainJSON(raw), let b = HAR.Bytes(raw) else { return nil }
            guard let v = value(b, b.skipSpace(0)) else { return nil }
            return .some(v)
        }
        if let fast { return fast }
        return JSONValue.parse(text)
    }

    /// The value at `i` of a validated document; nil when an object repeats a key (the
    /// decoder's choice between the two is left to the decoder).
    private static func value(_ b: HAR.Bytes, _ i: Int) -> JSONValue? {
        switch b.byte(i) {
        case 0x22: return b.stringValue(i).map(JSONValue.string)
        case 0x7B:
            var o: [String: JSONValue] = [:]
            var ok = true
            b.members(i) { key, v in
                guard ok else { return }
                guard let x = value(b, v) else { ok = false; return }
                if o.updateValue(x, forKey: b.string(key)) != nil { ok = false }
            }
            return ok ? .object(o) : nil
        case 0x5B:
            var a: [JSONValue] = []
            var ok = true
            b.elements(i) { e in
                guard ok else { return }
                if let x = value(b, e) { a.append(x) } else { ok = false }
            }
            return ok ? .array(a) : nil
        case 0x74: return .bool(true)   // t(rue): validated
        case 0x66: return .bool(false)  // f(alse)
        case 0x6E: return .null         // n(ull)
        default: return b.numberValue(i).map(JSONValue.number)
        }
    }
}
