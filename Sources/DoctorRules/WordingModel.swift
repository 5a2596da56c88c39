import Foundation

/// The wording prior (`rules/wording-model.json`): which cause real tickets worded like this
/// one had.
///
/// A multinomial logistic regression over the words of a ticket, trained by
/// `scripts/train-wording-model.py` on the labelled real tickets (`Tests/Fixtures/real-tickets`),
/// exported as data: per word its idf and its weight towards each cause (and `none`, the
/// negatives). It knows nothing the rules know — no facts, no structure — and is used only to
/// fill the differential where the rules name fewer than three causes, or to propose causes
/// where a ticket's text gives the rules nothing to decide (`WordingPrior`): never above
/// `low`, never before a rule's diagnosis.
///
/// The tokenizer is the contract with the training script (which a unit test checks against
/// the script's own predictions): ASCII words of three or more characters (`[a-z][a-z0-9_]{2,}`
/// after ASCII-only lower-casing), pairs of adjacent CJK ideographs (U+4E00–U+9FFF), path words
/// (`/v1/[a-z/_]+`, `/api/[a-z0-9/_]+`, as `path:…`) and standalone 4xx/5xx numbers (`status:…`).
public struct WordingModel: Sendable {
    public var version: String
    public var classes: [String]
    var intercepts: [Double]
    /// Per word: its idf and its sparse weights (class index, weight).
    var words: [String: Word]

    struct Word: Sendable {
        var idf: Double
        var classes: [Int32]
        var weights: [Double]
    }

    /// One cause's posterior, with the words of the ticket that weigh most for it.
    public struct Posterior: Sendable, Equatable {
        public var cause: String
        public var probability: Double
        public var words: [String]
    }

    public enum LoadError: Error, CustomStringConvertible {
        case shape(String)
        public var description: String {
            switch self {
            case .shape(let s): return "not a wording model: \(s)"
            }
        }
    }

    /// Reads the JSON the training script writes.
    public init(json data: Data) throws {
        guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw LoadError.shape("top level is not an object") }
        guard (top["format"] as? Int) == 1 else { throw LoadError.shape("unknown `format` (this modeldoctor reads 1)") }
        guard let classes = top["classes"] as? [String], let intercepts = top["intercepts"] as? [NSNumber],
              classes.count == intercepts.count, !classes.isEmpty else { throw LoadError.shape("`classes` and `intercepts` must be lists of one length") }
        guard let words = top["tokens"] as? [String: [Any]] else { throw LoadError.shape("`tokens` must map words to [idf, weights]") }
        var table: [String: Word] = [:]
        table.reserveCapacity(words.count)
        for (w, entry) in words {
            guard entry.count == 2, let idf = entry[0] as? NSNumber, let pairs = entry[1] as? [[NSNumber]] else {
                throw LoadError.shape("word `\(w)`: expected [idf, [[class, weight], …]]")
            }
            var word = Word(idf: idf.doubleValue, classes: [], weights: [])
            for p in pairs {
                guard p.count == 2, p[0].intValue >= 0, p[0].intValue < classes.count else { throw LoadError.shape("word `\(w)`: bad class index") }
                word.classes.append(Int32(p[0].intValue))
                word.weights.append(p[1].doubleValue)
            }
            table[w] = word
        }
        self.version = (top["version"] as? String) ?? "0"
        self.classes = classes
        self.intercepts = intercepts.map(\.doubleValue)
        self.words = table
    }

    /// Every class's posterior for the text, best first (ties by name); each with up to three
    /// of the text's words that weigh most for it.
    public func posteriors(_ text: String) -> [Posterior] {
        let present = Self.tokens(of: text).filter { words[$0] != nil }.sorted()
        var norm = 0.0
        for t in present { let idf = words[t]!.idf; norm += idf * idf }
        norm = norm > 0 ? norm.squareRoot() : 1
        var score = intercepts
        var pull = Array(repeating: [(String, Double)](), count: classes.count)
        for t in present {
            let w = words[t]!
            for (k, weight) in zip(w.classes, w.weights) {
                let v = weight * w.idf / norm
                score[Int(k)] += v
                if v > 0 { pull[Int(k)].append((t, v)) }
            }
        }
        let top = score.max() ?? 0
        let e = score.map { Foundation.exp($0 - top) }
        let z = e.reduce(0, +)
        return classes.indices.map { k in
            let words = pull[k].sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
            return Posterior(cause: classes[k], probability: e[k] / z, words: words)
        }.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.cause < $1.cause }
    }

    /// The text's distinct tokens (see the type's documentation).
    public static func tokens(of text: String) -> Set<String> {
        var out = Set<String>()
        let bytes = Array(text.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        let n = bytes.count
        func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isWordByte(_ b: UInt8) -> Bool { isLower(b) || isDigit(b) || b == 0x5F }
        func string(_ i: Int, _ j: Int) -> String { String(decoding: bytes[i..<j], as: UTF8.self) }
        // Words: a letter, then letters, digits or `_`; three bytes at least.
        var i = 0
        while i < n {
            guard isLower(bytes[i]) else { i += 1; continue }
            var j = i + 1
            while j < n, isWordByte(bytes[j]) { j += 1 }
            if j - i >= 3 { out.insert(string(i, j)) }
            i = j
        }
        // Path words: `/v1/` then `[a-z/_]+`, `/api/` then `[a-z0-9/_]+`; left to right, not
        // overlapping (what a regex's find-all gives).
        i = 0
        while i < n {
            guard bytes[i] == 0x2F else { i += 1; continue }
            var end = i
            if i + 4 <= n, bytes[i + 1] == 0x76, bytes[i + 2] == 0x31, bytes[i + 3] == 0x2F {
                var j = i + 4
                while j < n, isLower(bytes[j]) || bytes[j] == 0x2F || bytes[j] == 0x5F { j += 1 }
                if j > i + 4 { end = j }
            }
            if end == i, i + 5 <= n, bytes[i + 1] == 0x61, bytes[i + 2] == 0x70, bytes[i + 3] == 0x69, bytes[i + 4] == 0x2F {
                var j = i + 5
                while j < n, isLower(bytes[j]) || isDigit(bytes[j]) || bytes[j] == 0x2F || bytes[j] == 0x5F { j += 1 }
                if j > i + 5 { end = j }
            }
            if end > i { out.insert("path:" + string(i, end)); i = end } else { i += 1 }
        }
        // Statuses: three digits, the first 4 or 5, with no ASCII letter, digit or `_` beside them.
        i = 0
        while i + 3 <= n {
            let b = bytes[i]
            if b == 0x34 || b == 0x35, isDigit(bytes[i + 1]), isDigit(bytes[i + 2]),
               i == 0 || !(isWordByte(bytes[i - 1]) || (bytes[i - 1] >= 0x41 && bytes[i - 1] <= 0x5A)),
               i + 3 == n || !isWordByte(bytes[i + 3]) {
                out.insert("status:" + string(i, i + 3))
            }
            i += 1
        }
        // CJK: every pair of adjacent ideographs.
        var previous: Unicode.Scalar?
        for s in text.unicodeScalars {
            if s.value >= 0x4E00 && s.value <= 0x9FFF {
                if let p = previous { out.insert(String(Character(p)) + String(Character(s))) }
                previous = s
            } else {
                previous = nil
            }
        }
        return out
    }
}
