import DoctorModel

/// Per-rule evaluation time and counts over one bundle (`--stats`), summed locally and handed
/// to the `RunStats` once, so timing costs two clock reads per evaluation and no lock.
struct RuleTimer {
    var nanoseconds: [UInt64]
    var evaluations: [Int]
    var keyTests: [Int]
    /// Time spent deriving facts and filing exchanges in the shape tables.
    var factsNanoseconds: UInt64 = 0
    /// Distinct whole shape keys met (every field some table reads), up to `maxKeys`.
    var wholeKeys: Set<[Int32]> = []
    static let maxKeys = 100_000

    init(rules: Int) {
        nanoseconds = Array(repeating: 0, count: rules)
        evaluations = Array(repeating: 0, count: rules)
        keyTests = Array(repeating: 0, count: rules)
    }

    /// One evaluation of a condition of rule `r` (negative: reached by no rule, not charged).
    mutating func evaluation(_ r: Int, since t0: UInt64) {
        guard r >= 0 else { return }
        nanoseconds[r] &+= RunStats.now() &- t0
        evaluations[r] += 1
    }

    /// One test of rule `r` run for a shape key.
    mutating func keyTest(_ r: Int, since t0: UInt64) {
        guard r >= 0 else { return }
        nanoseconds[r] &+= RunStats.now() &- t0
        keyTests[r] += 1
    }

    mutating func key(_ ids: [Int32]) {
        if wholeKeys.count < Self.maxKeys { wholeKeys.insert(ids) }
    }

    /// Adds what the shape tables timed while filing exchanges.
    mutating func absorb(_ o: RuleTimer) {
        for r in nanoseconds.indices {
            nanoseconds[r] &+= o.nanoseconds[r]
            evaluations[r] += o.evaluations[r]
            keyTests[r] += o.keyTests[r]
        }
        wholeKeys.formUnion(o.wholeKeys)
    }

    func report(to stats: RunStats, rules: [Rule]) {
        for (r, rule) in rules.enumerated() {
            stats.add(rule: rule.id, nanoseconds: nanoseconds[r], evaluations: evaluations[r], keyTests: keyTests[r])
        }
        stats.count("shapes", wholeKeys.count)
    }
}
