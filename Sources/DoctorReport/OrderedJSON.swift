import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules

/// A JSON value whose objects keep their keys in the order they were written.
///
/// The report's JSON is a contract: its top-level keys come in a documented order and its
/// numbers have a fixed form (`0.90`). `JSONEncoder` promises neither (it may reorder keys,
/// and prints `0.9` or `0.90000000000000002`), so the JSON renderer builds this small tree
/// and writes it itself.
enum OrderedJSON {
    case null
    case bool(Bool)
    case int(Int)
    /// A number already formatted as JSON (e.g. `0.90`).
    case number(String)
    case string(String)
    case array([OrderedJSON])
    /// An array of integers, written as `.array` of `.int` would be: a finding lists every
    /// call it holds on (hundreds of thousands in a dense log), and a node per index cost the
    /// tree 24 bytes each.
    case ints([Int])
    case object([(String, OrderedJSON)])

    /// An optional string, `null` when absent.
    static func string(_ value: String?) -> OrderedJSON { value.map { .string($0) } ?? .null }

    /// An array of strings.
    static func strings(_ values: [String]) -> OrderedJSON { .array(values.map { .string($0) }) }

    /// An object from a dictionary, keys sorted so the output never depends on hashing.
    static func sortedObject(_ values: [String: Int]) -> OrderedJSON {
        .object(values.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
    }

    /// Pretty-printed with two-space indentation, ending with a newline.
    func serialised() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out.append("\n")
        return out
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let n): out.append(String(n))
        case .number(let s): out.append(s)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out.append("[]"); return }
            out.append("[\n")
            for (i, item) in items.enumerated() {
                Self.pad(&out, indent + 1)
                item.write(into: &out, indent: indent + 1)
                out.append(i == items.count - 1 ? "\n" : ",\n")
            }
            Self.pad(&out, indent)
            out.append("]")
        case .ints(let items):
            guard !items.isEmpty else { out.append("[]"); return }
            out.append("[\n")
            for (i, n) in items.enumerated() {
                Self.pad(&out, indent + 1)
                out.append(String(n))
                out.append(i == items.count - 1 ? "\n" : ",\n")
            }
            Self.pad(&out, indent)
            out.append("]")
        case .object(let members):
            guard !members.isEmpty else { out.append("{}"); return }
            out.append("{\n")
            for (i, (key, value)) in members.enumerated() {
                Self.pad(&out, indent + 1)
                Self.writeString(key, into: &out)
                out.append(": ")
                value.write(into: &out, indent: indent + 1)
                out.append(i == members.count - 1 ? "\n" : ",\n")
            }
            Self.pad(&out, indent)
            out.append("}")
        }
    }

    private static func pad(_ out: inout String, _ level: Int) {
        out.append(String(repeating: "  ", count: level))
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped;
    /// U+2028/U+2029 too, so the report can be pasted into a script safely.
    static func writeString(_ s: String, into out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
