/// What a batch of tickets adds up to: tickets per cause, the model names most often not
/// found, the commonest error texts, base-URL mistakes by host and tickets per day.
///
/// It is computed from rows only (`TriageRollup(rows:)` in the facade), so a run and a merge
/// of shard outputs give the same roll-up. Every list is in a total order (count descending,
/// then key), never in dictionary order.
public struct TriageRollup: Sendable, Hashable {
    /// Number of tickets; `byCause` counts add up to it.
    public var tickets = 0
    /// Tickets whose bundle had an input error (corrupt archive, limit, nothing to read).
    public var withProblems = 0
    public var byCause: [CauseCount] = []
    public var notFound: [NotFoundCount] = []
    public var errors: [TextCount] = []
    public var baseURLMistakes: [HostCauseCount] = []
    /// Tickets per UTC day of their first call, oldest first.
    public var perDay: [DayCount] = []
    /// Tickets that carry no time.
    public var undated = 0

    public init() {}

    public struct CauseCount: Sendable, Hashable {
        public var cause: String
        public var count: Int
        public init(cause: String, count: Int) { self.cause = cause; self.count = count }
    }

    /// A model name not found, in how many tickets, and the names findings suggested for it.
    public struct NotFoundCount: Sendable, Hashable {
        public var model: RedactedText
        public var suggestions: [RedactedText]
        public var count: Int
        public init(model: RedactedText, suggestions: [RedactedText], count: Int) {
            self.model = model; self.suggestions = suggestions; self.count = count
        }
    }

    /// An error text and the number of tickets showing it.
    public struct TextCount: Sendable, Hashable {
        public var text: RedactedText
        public var count: Int
        public init(text: RedactedText, count: Int) { self.text = text; self.count = count }
    }

    /// A base-URL cause on one host, and the number of tickets.
    public struct HostCauseCount: Sendable, Hashable {
        /// nil when the tickets did not show the host.
        public var host: RedactedText?
        public var cause: String
        public var count: Int
        public init(host: RedactedText?, cause: String, count: Int) { self.host = host; self.cause = cause; self.count = count }
    }

    public struct DayCount: Sendable, Hashable {
        public var day: String
        public var count: Int
        public init(day: String, count: Int) { self.day = day; self.count = count }
    }
}

/// Rows and their roll-up: what every triage renderer receives.
public struct TriageReport: Sendable, Hashable {
    public static let schema = "modeldoctor/triage@1"

    public var tool: String = "modeldoctor \(ModelDoctorVersion.current)"
    /// One per ticket, sorted by ticket label.
    public var rows: [TriageRow]
    public var rollup: TriageRollup
    /// True when `--no-redact` was given: renderers print an UNREDACTED banner.
    public var unredacted = false

    public init(rows: [TriageRow], rollup: TriageRollup, unredacted: Bool = false) {
        self.rows = rows; self.rollup = rollup; self.unredacted = unredacted
    }
}
