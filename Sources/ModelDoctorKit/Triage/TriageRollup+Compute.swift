import DoctorModel

extension TriageRollup {
    /// Model names and error texts listed in the roll-up, at most.
    public static let topLimit = 10

    /// The roll-up of a set of rows: the one function both `triage` and `triage merge` use,
    /// so a merge of shard outputs gives the same roll-up as one run.
    ///
    /// Every count is of tickets (a model refused in 40 calls of one ticket counts once).
    /// Lists are sorted by count descending, then by key, so input order does not matter.
    public init(rows: [TriageRow]) {
        self.init()
        tickets = rows.count
        withProblems = rows.filter { $0.problem != nil }.count
        var causes: [String: Int] = [:]
        var models: [RedactedText: (count: Int, suggestions: Set<RedactedText>)] = [:]
        var errors: [RedactedText: Int] = [:]
        var hosts: [HostKey: Int] = [:]
        var days: [String: Int] = [:]
        for row in rows {
            causes[row.cause, default: 0] += 1
            for m in Set(row.notFound.map(\.model)) {
                models[m, default: (0, [])].count += 1
            }
            for n in row.notFound { if let s = n.suggestion { models[n.model]?.suggestions.insert(s) } }
            for e in Set(row.errors) { errors[e, default: 0] += 1 }
            for c in Set(row.causes) where Self.isBaseURLMistake(c) { hosts[HostKey(host: row.host, cause: c), default: 0] += 1 }
            if let d = row.day { days[d, default: 0] += 1 } else { undated += 1 }
        }
        byCause = causes.map { CauseCount(cause: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.cause) < ($0.count, $1.cause) }
        notFound = models.map { NotFoundCount(model: $0.key, suggestions: $0.value.suggestions.sorted(), count: $0.value.count) }
            .sorted { ($1.count, $0.model) < ($0.count, $1.model) }
            .prefix(Self.topLimit).map { $0 }
        self.errors = errors.map { TextCount(text: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.text) < ($0.count, $1.text) }
            .prefix(Self.topLimit).map { $0 }
        baseURLMistakes = hosts.map { HostCauseCount(host: $0.key.host, cause: $0.key.cause, count: $0.value) }
            .sorted { ($1.count, $0.host?.value ?? "", $0.cause) < ($0.count, $1.host?.value ?? "", $1.cause) }
        perDay = days.map { DayCount(day: $0.key, count: $0.value) }.sorted { $0.day < $1.day }
    }

    /// Causes that are a mistake in the base URL the customer entered.
    public static func isBaseURLMistake(_ cause: String) -> Bool {
        cause.hasPrefix("base-url-") || cause == "wrong-base-url"
    }

    private struct HostKey: Hashable {
        var host: RedactedText?
        var cause: String
    }
}
