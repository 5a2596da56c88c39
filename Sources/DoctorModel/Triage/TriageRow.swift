/// One ticket of a batch triage, as the table, the JSON lines and the roll-up see it.
///
/// Everything in it that came from a bundle is `RedactedText`; the other strings are the
/// program's own words (cause keys, symptoms, the ticket label it made from the folder name,
/// a UTC day). A row carries what the roll-up needs, so shard outputs written as JSON lines
/// can be merged into the same roll-up as one run (see `TriageRollup`).
public struct TriageRow: Sendable, Hashable {
    /// The ticket's label: `<folder given>/<entry>` for a ticket found in a folder, the file
    /// or folder name for a ticket given by itself. Never an absolute path.
    public var ticket: String
    /// The top finding's cause key; `none` without a finding above `low`, `unreadable` when
    /// nothing of the ticket could be read.
    public var cause: String
    /// The top finding's confidence, nil when `cause` is not a finding's.
    public var confidence: Double?
    /// The next causes after the top one, best first (at most two).
    public var candidates: [String]
    /// Every distinct cause of the ticket's findings above `low`, best first (the roll-up
    /// counts base-URL mistakes from these).
    public var causes: [String]
    /// The top finding's symptom (`model-list-empty`, `model-not-found`), nil without one.
    public var symptom: String?
    /// The first SDK seen with its version, e.g. `openai-python 1.30.1`.
    public var sdk: RedactedText?
    /// Model names the client asked for, in order of first use.
    public var models: [RedactedText]
    /// The host (and port) of the first call.
    public var host: RedactedText?
    /// The first error's code or type, a failure kind, or a status class (`4xx`).
    public var errorFamily: RedactedText?
    /// `YYYY-MM-DD` (UTC) of the first call with a time, nil when the ticket carries none.
    public var day: String?
    /// Model names that were not found, with the name a finding says they should have been.
    public var notFound: [NotFoundModel]
    /// The ticket's distinct error texts, one line each, request ids masked.
    public var errors: [RedactedText]
    /// The first input error (corrupt archive, limit reached, empty ticket), nil when all read.
    public var problem: RedactedText?
    /// How many findings the ticket has, of any severity.
    public var findings: Int

    public init(ticket: String, cause: String, confidence: Double? = nil, candidates: [String] = [],
                causes: [String] = [], symptom: String? = nil, sdk: RedactedText? = nil,
                models: [RedactedText] = [], host: RedactedText? = nil, errorFamily: RedactedText? = nil,
                day: String? = nil, notFound: [NotFoundModel] = [], errors: [RedactedText] = [],
                problem: RedactedText? = nil, findings: Int = 0) {
        self.ticket = ticket; self.cause = cause; self.confidence = confidence; self.candidates = candidates
        self.causes = causes; self.symptom = symptom; self.sdk = sdk; self.models = models; self.host = host
        self.errorFamily = errorFamily; self.day = day; self.notFound = notFound; self.errors = errors
        self.problem = problem; self.findings = findings
    }

    /// The cause of a ticket with no finding above `low`.
    public static let noCause = "none"
    /// The cause of a ticket nothing could be read from.
    public static let unreadableCause = "unreadable"
}

/// A model name that was not found, and what it should have been when a finding says so.
public struct NotFoundModel: Sendable, Hashable {
    public var model: RedactedText
    /// The name to use instead (a finding's suggestion), nil when no finding names one.
    public var suggestion: RedactedText?
    public init(model: RedactedText, suggestion: RedactedText? = nil) { self.model = model; self.suggestion = suggestion }
}
