import Foundation

/// The wording prior (`rules/wording-model.tsv`): which cause real tickets worded like this
/// one had.
///
/// A multinomial logistic regression over the words of a ticket, trained by
/// `scripts/train-wording-model.py` on the labelled real tickets (`Tests/Fixtures/real-tickets`),
/// exported as data: per word its idf and its weight towards each cause (and `none`, the
/// negatives). It knows nothing the rules know — no facts, no structure — and is used only to
/// order the pointers below the rules' diagnoses (by `blend`), fill the differential, or
/// propose causes where a ticket's text gives the rules nothing to decide (`WordingPrior`):
/// never above `low`, never before a rule's diagnosis.
///
/// The tokenizer is the contract with the training script (which a unit test checks against
/// the script's own predictions): ASCII words of three or more characters (`[a-z][a-z0-9_]{2,}`
/// after ASCII-only lower-casing), pairs of adjacent CJK ideographs (U+4E00–U+9FFF), path words
/// (`/v1/[a-z/_]+`, `/api/[a-z0-9/_]+`, as `path:…`) and standalone 4xx/5xx numbers (`status:…`).
public struct WordingModel: Sendable {
    public var version: String
    public var classes: [String]
    /// How much a cause's posterior weighs against a pointer's own confidence when the
    /// findings below the diagnoses are ordered (`WordingPrior`): a pointer's order key is its
    /// confidence plus `blend` × the posterior of its cause. Chosen by the training script on
    /// leave-one-batch-out posteriors; 0 when the file does not say (the rules' order stays).
    public var blend: Double
    var intercepts: [Double]
    /// Per word, its index into `idf` and `start` (its weights are `start[i]..<start[i + 1]` of
    /// `weightClass` and `weight`): flat arrays, not an object per word.
    var index: [String: Int32]
    var idf: [Double]
    var start: [Int32]
    var weightClass: [UInt8]
    var weight: [Double]

    /// One cause's posterior, with the words of the ticket that weigh most for it.
    public struct Posterior: Sendable, Equatable {
        public var cause: String
        public var probability: Double
        public var words: [String]
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): not a wording model: \(reason)" }
    }

    /// Reads the file the training script writes (format 2, tab-separated UTF-8):
    ///
    ///     # comment lines
    ///     format      2
    ///     version     2026-12-06
    ///     about       one line of prose
    ///     blend       6                     (optional; see `blend`)
    ///     classes     auth-invalid-key  …  none
    ///     intercepts  -0.41  …  1.2
    ///     word        idf  class:weight  class:weight …     (one line per word)
    ///
    /// Read on bytes: the 1.4 MB model read through `JSONSerialization` cost about 0.2 s and
    /// 57 MB of Foundation objects on every run; this reads it in milliseconds into flat arrays.
    public init(data: Data) throws {
        var version = "0", classes: [String] = [], intercepts: [Double] = [], sawFormat = false, blend = 0.0
        var index: [String: Int32] = [:], idf: [Double] = [], start: [Int32] = [0]
        var weightClass: [UInt8] = [], weight: [Double] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var pos = 0, line = 0
            func fail(_ why: String) -> LoadError { LoadError(line: line, reason: why) }
            // A number in b[i..<j]: strtod over a NUL-terminated copy (numbers are short).
            func number(_ i: Int, _ j: Int) throws -> Double {
                guard j > i, j - i < 40 else { throw fail("expected a number") }
                let v: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { tmp in
                    for k in i..<j { tmp[k - i] = CChar(bitPattern: b[k]) }
                    tmp[j - i] = 0
                    var end: UnsafeMutablePointer<CChar>?
                    let v = strtod(tmp.baseAddress!, &end)
                    return end.map { $0 - tmp.baseAddress! } == j - i ? v : nil
                }
                guard let v else { throw fail("`\(String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self))` is not a number") }
                return v
            }
            while pos < n {
                line += 1
                var eol = pos
                while eol < n, b[eol] != 0x0A { eol += 1 }
                var e = eol
                if e > pos, b[e - 1] == 0x0D { e -= 1 }
                defer { pos = eol + 1 }
                if e == pos || b[pos] == 0x23 { continue }
                // Fields separated by tabs.
                var fields: [(Int, Int)] = []
                var f = pos
                for k in pos...e where k == e || b[k] == 0x09 {
                    fields.append((f, k)); f = k + 1
                }
                let head = String(decoding: UnsafeBufferPointer(rebasing: b[fields[0].0..<fields[0].1]), as: UTF8.self)
                func text(_ x: (Int, Int)) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[x.0..<x.1]), as: UTF8.self) }
                if !sawFormat {
                    guard head == "format", fields.count == 2 else { throw fail("the first line must be `format<TAB>2`") }
                    guard text(fields[1]) == "2" else { throw fail("unknown format `\(text(fields[1]))` (this modeldoctor reads 2)") }
                    sawFormat = true
                    continue
                }
                if classes.isEmpty || intercepts.isEmpty {
                    switch head {
                    case "version": version = fields.count > 1 ? text(fields[1]) : "0"
                    case "about": break
                    case "blend":
                        guard fields.count == 2 else { throw fail("`blend` takes one number") }
                        blend = try number(fields[1].0, fields[1].1)
                        guard blend >= 0, blend <= 100 else { throw fail("`blend` must be between 0 and 100") }
                    case "classes":
                        classes = fields.dropFirst().map(text)
                        guard !classes.isEmpty, classes.count <= 255 else { throw fail("`classes` must list 1 to 255 causes") }
                    case "intercepts":
                        guard !classes.isEmpty else { throw fail("`intercepts` before `classes`") }
                        intercepts = try fields.dropFirst().map { try number($0.0, $0.1) }
                        guard intercepts.count == classes.count else { throw fail("\(intercepts.count) intercepts for \(classes.count) classes") }
                    default: throw fail("`\(head)` before `classes` and `intercepts`")
                    }
                    continue
                }
                guard fields.count >= 2 else { throw fail("word `\(head)`: expected idf and class:weight pairs") }
                guard index[head] == nil else { throw fail("word `\(head)` twice") }
                index[head] = Int32(idf.count)
                idf.append(try number(fields[1].0, fields[1].1))
                for x in fields.dropFirst(2) {
                    var colon = x.0
                    while colon < x.1, b[colon] != 0x3A { colon += 1 }
                    var k = 0
                    for d in x.0..<colon {
                        guard b[d] >= 0x30, b[d] <= 0x39, k < 1000 else { throw fail("word `\(head)`: `\(text(x))` is not class:weight"); }
                        k = k * 10 + Int(b[d] - 0x30)
                    }
                    guard colon > x.0, colon < x.1, k < classes.count else { throw fail("word `\(head)`: `\(text(x))` is not class:weight with a known class") }
                    weightClass.append(UInt8(k))
                    weight.append(try number(colon + 1, x.1))
                }
                start.append(Int32(weight.count))
            }
            guard sawFormat else { throw fail("empty file") }
            guard !classes.isEmpty, !intercepts.isEmpty else { throw fail("no `classes` and `intercepts`") }
        }
        self.version = version
        self.blend = blend
        self.classes = classes
        self.intercepts = intercepts
        self.index = index
        self.idf = idf
        self.start = start
        self.weightClass = weightClass
        self.weight = weight
    }

    /// Every class's posterior for the text, best first (ties by name); each with up to three
    /// of the text's words that weigh most for it.
    public func posteriors(_ text: String) -> [Posterior] {
        let present = Self.tokens(of: text).compactMap { t in index[t].map { (t, Int($0)) } }.sorted { $0.0 < $1.0 }
        var norm = 0.0
        for (_, i) in present { norm += idf[i] * idf[i] }
        norm = norm > 0 ? norm.squareRoot() : 1
        var score = intercepts
        var pull = Array(repeating: [(String, Double)](), count: classes.count)
        for (t, i) in present {
            for j in Int(start[i])..<Int(start[i + 1]) {
                let k = Int(weightClass[j])
                let v = weight[j] * idf[i] / norm
                score[k] += v
                if v > 0 { pull[k].append((t, v)) }
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
