import DoctorModel
import DoctorParse
import Foundation

internal import Yams

/// Reads typed values out of a Yams node tree, collecting errors with positions.
struct NodeReader {
    let file: String
    var errors: [RuleError] = []

    init(file: String) { self.file = file }

    func pos(_ node: Node) -> RulePosition {
        RulePosition(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    mutating func error(_ node: Node, _ message: String) { errors.append(RuleError(pos(node), message)) }
    mutating func warning(_ node: Node, _ message: String) { errors.append(RuleError(pos(node), message, level: .warning)) }

    /// The entries of a mapping by key; unknown keys are errors at the key's position.
    mutating func fields(_ map: Node.Mapping, at node: Node, allowed: Set<String>) -> [String: Node] {
        var out: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string else { error(k, "keys must be strings"); continue }
            if !allowed.contains(key) {
                let hint = allowed.min { Edit.distance($0, key) < Edit.distance($1, key) }.map { " (did you mean `\($0)`?)" } ?? ""
                error(k, "unknown key `\(key)`\(hint); allowed: \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            if out[key] != nil { error(k, "duplicate key `\(key)`") }
            out[key] = v
        }
        return out
    }

    mutating func string(_ node: Node) -> String? {
        guard let s = node.scalar?.string else { error(node, "expected a text value"); return nil }
        return s
    }

    mutating func int(_ node: Node) -> Int? {
        guard let s = node.scalar?.string, let i = Int(s) else { error(node, "expected a whole number"); return nil }
        return i
    }

    mutating func double(_ node: Node) -> Double? {
        guard let s = node.scalar?.string, let d = Double(s) else { error(node, "expected a number"); return nil }
        return d
    }

    mutating func bool(_ node: Node) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: error(node, "expected true or false"); return nil
        }
    }

    /// A scalar or a list of scalars.
    mutating func strings(_ node: Node) -> [String] {
        if let seq = node.sequence { return seq.compactMap { string($0) } }
        if node.scalar != nil, let s = string(node) { return [s] }
        error(node, "expected a text value or a list of them")
        return []
    }

    /// `{en: …, zh: …}` or a plain string (English only; lint asks for the translation).
    mutating func localized(_ node: Node) -> LocalizedText? {
        if node.scalar != nil { return string(node).map { LocalizedText(en: $0) } }
        guard let m = node.mapping else { error(node, "expected text or {en: …, zh: …}"); return nil }
        let f = fields(m, at: node, allowed: ["en", "zh"])
        guard let en = f["en"].flatMap({ string($0) }) else { error(node, "missing `en` text"); return nil }
        return LocalizedText(en: en, zh: f["zh"].flatMap { string($0) })
    }
}

/// Levenshtein distance, for "did you mean" hints and the catalog's nearest-name helper.
enum Edit {
    /// - Complexity: O(a·b) time, O(b) memory.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count), cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
