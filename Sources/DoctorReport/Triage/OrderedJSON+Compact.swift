extension OrderedJSON {
    /// On one line with no spaces: one JSON Lines record (no trailing newline).
    func compact() -> String {
        var out = ""
        writeCompact(into: &out)
        return out
    }

    private func writeCompact(into out: inout String) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let n): out.append(String(n))
        case .number(let s): out.append(s)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                item.writeCompact(into: &out)
            }
            out.append("]")
        case .ints(let items):
            out.append("[")
            for (i, n) in items.enumerated() {
                if i > 0 { out.append(",") }
                out.append(String(n))
            }
            out.append("]")
        case .object(let members):
            out.append("{")
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(",") }
                Self.writeString(key, into: &out)
                out.append(":")
                value.writeCompact(into: &out)
            }
            out.append("}")
        }
    }
}
