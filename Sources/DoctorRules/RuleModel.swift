import DoctorModel
import DoctorParse
import Foundation

/// A position in a rule file, 1-based.
public struct RulePosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

/// Text in English and Chinese, with `{placeholders}` filled from the matching exchange.
public struct LocalizedText: Sendable, Hashable {
    public var en: String
    public var zh: String?
    public init(en: String, zh: String? = nil) { self.en = en; self.zh = zh }
    public func text(_ lang: Lang) -> String { lang == .zh ? (zh ?? en) : en }
}

/// A condition over the facts of one exchange (and, through quantifiers, of the bundle).
///
/// The grammar is nested `all` / `any` / `not` with field tests at the leaves, plus the bundle
/// quantifiers `exists` / `none` / `count` and named `ref`s. Nested trees were chosen over
/// Sigma-style `condition:` strings because rules mix per-exchange tests with bundle
/// quantifiers, and a YAML tree keeps a position for every node so lint can point at it.
public indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case test(FieldTest)
    /// True when at least one exchange of the bundle satisfies the inner condition.
    case exists(Condition)
    /// True when no exchange of the bundle satisfies the inner condition.
    case none(Condition)
    /// Number of exchanges satisfying the inner condition, compared.
    case count(Condition, Comparison, Double)
    /// A named condition from a pack's `definitions`.
    case ref(String, RulePosition)
    /// A bundle signal (`proxy-env`, `docker`, `ticket-text` …), optionally with a value test;
    /// the position of the `signal:` node.
    case signal(String, FieldTest?, RulePosition)
}

public enum Comparison: String, Sendable, CaseIterable {
    case gt, gte, lt, lte, eq
    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .gt: return a > b
        case .gte: return a >= b
        case .lt: return a < b
        case .lte: return a <= b
        case .eq: return a == b
        }
    }
}

/// One test of one field: `{field: status, in: [404, 405]}`.
public struct FieldTest: Sendable {
    public enum Op: String, Sendable, CaseIterable {
        case equals, notEquals = "not_equals", `in`, contains, containsAny = "contains_any", startsWith = "starts_with",
             endsWith = "ends_with", matches, exists, gt, gte, lt, lte, empty
    }
    public var field: String
    public var op: Op
    /// Operand(s) as strings (numbers compared numerically when both sides are numbers).
    public var values: [String]
    public var boolValue: Bool
    public var ignoreCase: Bool
    public var regex: NSRegularExpression?
    public var position: RulePosition
}

/// An example embedded in a rule: input text (any kind the tool reads) that must make the rule
/// fire, or must leave it quiet.
public struct RuleExample: Sendable {
    public var name: String?
    /// The file content, or nil when `file` names a path under the repository.
    public var text: String?
    /// A path relative to the rule file's folder or the repository root (`samples/...`).
    public var file: String?
    /// File name the text is given as (helps nothing but the inventory), default `example.log`.
    public var filename: String
    public var catalog: [String]
    public var position: RulePosition
    /// Several files making one bundle (`files: {ticket.txt: …, app.log: …}`).
    public var files: [(String, String)] = []

    public init(name: String? = nil, text: String?, file: String?, filename: String, catalog: [String], position: RulePosition) {
        self.name = name; self.text = text; self.file = file; self.filename = filename; self.catalog = catalog; self.position = position
    }
}

/// One diagnosis rule, compiled: regexes built and refs resolved at load time.
public struct Rule: Sendable {
    public var id: String
    public var cause: String
    public var symptom: String
    public var severity: Severity
    public var confidence: Double
    /// `exchange`: `when` is evaluated per exchange; `bundle`: once, with quantifiers only.
    public var scope: Scope
    public var title: LocalizedText
    public var message: LocalizedText
    public var fix: LocalizedText
    /// What to ask the customer for when this rule cannot be decided.
    public var ask: LocalizedText?
    /// Field whose value groups occurrences into one finding (e.g. `request.model`).
    public var subject: String?
    public var when: Condition
    /// Exchanges matching this count as evidence against the finding and lower its confidence.
    public var against: Condition?
    /// Causes this rule explains when both fire (their findings rank below this one).
    public var supersedes: [String]
    /// Fields that must be known on at least one exchange for the rule to be evaluated at all.
    public var requires: [String]
    public var examplesFire: [RuleExample]
    public var examplesQuiet: [RuleExample]
    public var position: RulePosition
    public var pack: String
    /// Where the rule's parts are in its file, for lint.
    public var marks = RuleMarks()

    public enum Scope: String, Sendable { case exchange, bundle }
}

/// Where the parts of a rule sit in its file, so lint can point at the exact value.
public struct RuleMarks: Sendable {
    public var cause: RulePosition?
    public var subject: RulePosition?
    /// Each text by part and language: `title.en`, `message.zh`, `ask.en` …
    public var texts: [String: RulePosition] = [:]
    /// Parallel to `Rule.supersedes`.
    public var supersedes: [RulePosition] = []
    /// Parallel to `Rule.requires`.
    public var requires: [RulePosition] = []
    public init() {}
}

/// A loaded rule pack file.
public struct RulePack: Sendable {
    public var name: String
    public var version: String
    public var path: String
    public var sha256: String
    public var rules: [Rule]
    public var definitions: [String: Condition]
    /// Cause keys this file adds to the taxonomy (`causes:`, plain keys or full entries).
    public var causes: [String]
    /// The full entries among them (`rules/causes.yaml`): symptom, title and description.
    public var causeDefinitions: [CauseDefinition] = []
}

/// One cause of the taxonomy as data (`rules/causes.yaml`): the contract between rules,
/// reports and the labelled corpus.
public struct CauseDefinition: Sendable {
    public var key: String
    /// `model-list-empty`, `model-not-found` or `either`.
    public var symptom: String
    public var title: LocalizedText
    public var description: LocalizedText
    public var pack: String
    public var position: RulePosition
    /// The causes most often mistaken for this one, each with the fact that tells them apart.
    public var rivals: [MessageFamilies.Rival] = []
    public init(key: String, symptom: String, title: LocalizedText, description: LocalizedText, pack: String, position: RulePosition) {
        self.key = key; self.symptom = symptom; self.title = title; self.description = description
        self.pack = pack; self.position = position
    }
}

/// The symptoms a rule or a cause may name (causes.md). The cause keys themselves are data:
/// `rules/causes.yaml`, loaded like a pack (`RuleLoader.Result.taxonomy`).
public enum CauseTaxonomy {
    public static let symptoms = ["model-list-empty", "model-not-found", "either", "none"]
}
