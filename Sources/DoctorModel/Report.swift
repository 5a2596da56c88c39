import Foundation

/// The whole result of analysing one bundle, ready to render. Everything in it that came from
/// the bundle is `RedactedText`, except numbers and the inventory's paths and kinds.
public struct Report: Sendable {
    public static let schema = "modeldoctor/report@1"

    public var tool: String = "modeldoctor \(ModelDoctorVersion.current)"
    public var inputs: [InventoryEntry] = []
    public var facts = TicketFacts()
    /// Ranked best first.
    public var findings: [Finding] = []
    /// Rules whose inputs the bundle lacks: not evaluated, never "passed".
    public var notEvaluated: [NotEvaluated] = []
    /// What to ask the customer for next when the bundle cannot decide.
    public var askFor: [RedactedText] = []
    public var rulePacks: [RulePackInfo] = []
    public var redaction = RedactionSummary()
    /// Every call in order, for the HTML report (the other formats leave it out).
    public var timeline = Timeline()
    /// Problems of the run itself, not of one input: refused rule packs (and their warnings),
    /// refused `--catalog` files. An error here means exit status 2.
    public var problems: [Problem] = []
    /// True when `--no-redact` was given: renderers print an UNREDACTED banner.
    public var unredacted = false
    public var lang: Lang = .en

    public init() {}
}

/// Output language of messages and labels.
public enum Lang: String, Sendable, Codable, CaseIterable {
    case en, zh

    /// From `LC_ALL`, `LC_MESSAGES` or `LANG` (`zh_CN.UTF-8` → zh); English otherwise.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Lang {
        for key in ["MODELDOCTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("zh") ? .zh : .en }
        }
        return .en
    }
}

/// A rule that could not be evaluated, and why.
public struct NotEvaluated: Sendable, Hashable {
    public var rule: String
    public var cause: String
    public var reason: String
    public init(rule: String, cause: String, reason: String) { self.rule = rule; self.cause = cause; self.reason = reason }
}

/// A rule pack used for the report: name, version and content hash.
public struct RulePackInfo: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    public var sha256: String
    public var path: String
    public var rules: Int
    public init(name: String, version: String, sha256: String, path: String, rules: Int) {
        self.name = name; self.version = version; self.sha256 = sha256; self.path = path; self.rules = rules
    }
}

/// The facts a support reply needs (causes.md, "ticket facts"), taken from the bundle.
public struct TicketFacts: Sendable, Hashable {
    public var sdks: [String] = []
    public var runtimes: [String] = []
    /// Base URLs as configured (from the app's own lines) or as inferred from request URLs.
    public var baseURLs: [RedactedText] = []
    public var requestURLs: [RedactedText] = []
    public var apiVersionPaths: [String] = []
    public var hosts: [String] = []
    public var models: [String] = []
    public var firstTime: Date?
    public var lastTime: Date?
    /// Status code → number of exchanges.
    public var statusCodes: [Int: Int] = [:]
    public var errors: [RedactedText] = []
    public var requestIDs: [String] = []
    /// Key fingerprints and the calls (`METHOD endpoint`) each one was used for.
    public var keys: [KeyUse] = []
    public var exchanges: Int = 0
    /// Facts the bundle does not give (base URL, model, status), with how to get them.
    public var unknown: [RedactedText] = []

    public init() {}
}

/// Which key fingerprint was used for which calls.
public struct KeyUse: Sendable, Hashable {
    public var fingerprint: String
    public var calls: [String]
    public init(fingerprint: String, calls: [String]) { self.fingerprint = fingerprint; self.calls = calls }
}

public enum ModelDoctorVersion {
    public static let current = "0.1.0"
}
