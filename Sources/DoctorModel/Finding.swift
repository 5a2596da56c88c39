/// How bad a finding is, lowest first.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One line of evidence for or against a finding, already redacted.
public struct Evidence: Sendable, Hashable {
    /// `file:line`, or `bundle` for a bundle-level fact.
    public var source: String
    public var excerpt: RedactedText
    public init(source: String, excerpt: RedactedText) { self.source = source; self.excerpt = excerpt }
}

/// A diagnosis: one rule's conclusion about one subject (a model name, a base URL …).
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var cause: String
    public var symptom: String
    public var severity: Severity
    public var confidence: Double
    public var score: Double
    /// What the finding is about (the model name, the host), part of its identity.
    public var subject: String?
    public var title: RedactedText
    public var message: RedactedText
    public var fix: RedactedText
    public var occurrences: Int
    public var evidence: [Evidence]
    public var evidenceAgainst: [Evidence]
    /// Facts that would confirm or refute this, and what to ask the customer for.
    public var missing: [RedactedText]
    /// Findings of other rules this one explains (their causes).
    public var supersedes: [String]
    /// Exchange indexes this finding is about.
    public var exchanges: [Int]

    public init(rule: String, cause: String, symptom: String, severity: Severity, confidence: Double,
                score: Double = 0, subject: String? = nil, title: RedactedText, message: RedactedText,
                fix: RedactedText, occurrences: Int = 1, evidence: [Evidence] = [],
                evidenceAgainst: [Evidence] = [], missing: [RedactedText] = [], supersedes: [String] = [],
                exchanges: [Int] = []) {
        self.rule = rule; self.cause = cause; self.symptom = symptom; self.severity = severity
        self.confidence = confidence; self.score = score; self.subject = subject; self.title = title
        self.message = message; self.fix = fix; self.occurrences = occurrences; self.evidence = evidence
        self.evidenceAgainst = evidenceAgainst; self.missing = missing; self.supersedes = supersedes
        self.exchanges = exchanges
    }
}
