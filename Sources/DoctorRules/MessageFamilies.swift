import DoctorModel
import Foundation

/// Error-message families, read from `families:` in a rule file (`rules/families.yaml`).
///
/// A family groups the wordings gateways, SDKs and clients use for one kind of failure
/// ("route miss": `Invalid URL (POST /x)`, `Unknown request URL`, `404 page not found`…) and
/// maps it to **several** causes, each with a weight and the structural facts that favour it
/// (the path's version segment, the endpoint, the status). Families outside the taxonomy
/// (context length, rate limits, content filters…) are named so a report never calls such a
/// failure "no problem" and never mistakes it for a model or base-URL problem. A gateway
/// operator adds a wording or a language here, in YAML, without rebuilding.
public struct MessageFamilies: Sendable {
    public var families: [Family] = []
    /// Per cause key, its rivals (`rivals:` of `rules/causes.yaml`): the differential the
    /// findings stage shows beside a diagnosis that stands alone.
    public var rivals: [String: [Rival]] = [:]
    /// Context cues (`cues:`): what the customer says around the failure, typed ("all models
    /// fail", "other models work", "it worked before") so candidates weigh it, not raw prose.
    public var cues: [Cue] = []
    /// The wording prior (`rules/wording-model.tsv`), when a rule folder has one.
    public var wording: WordingModel?
    /// The described causes by key (`rules/causes.yaml`), for findings that name a cause no
    /// rule wrote (the wording prior's).
    public var taxonomy: [String: CauseDefinition] = [:]
    public init() {}

    /// One context cue: a name and the wordings (any language) that state it.
    public struct Cue: Sendable {
        public var name: String
        public var patterns: [Pattern]
        public var position: RulePosition
    }

    /// The names of the cues the given prose lines state.
    public func cues(in lines: [String]) -> Set<String> {
        var out = Set<String>()
        for c in cues where c.patterns.contains(where: { p in lines.contains { p.occurs(in: $0) } }) { out.insert(c.name) }
        return out
    }

    /// The cues a ticket states, the same for every call: read from the pasted text (a Chinese
    /// sentence with an error word is no prose signal, yet states its cue) and the customer's
    /// prose lines of the other inputs. One reading for the fact `ticket.cues` and the
    /// families' candidates.
    public func ticketCues(pasted: [SourceLine], signals: [Signal]) -> Set<String> {
        cues(in: pasted.map(\.text) + signals.filter { $0.name == .ticketText }.compactMap(\.value))
    }

    /// A cause often mistaken for another, and what tells the two apart.
    public struct Rival: Sendable {
        public var cause: String
        public var tell: LocalizedText
        public var position: RulePosition
    }

    /// One family: its patterns and the causes it may stand for.
    public struct Family: Sendable {
        public var name: String
        /// True for failures outside the cause taxonomy (reported at `info`).
        public var outside: Bool
        public var title: LocalizedText
        /// What to ask the customer to tell the candidate causes apart.
        public var tell: LocalizedText?
        public var patterns: [Pattern]
        public var candidates: [Candidate]
        /// Set for a family that is never chosen by wording (see `Fallback`).
        public var fallback: Fallback?
        public var position: RulePosition
    }

    /// The two fallbacks: what to propose when no family's wording decides.
    public enum Fallback: String, Sendable {
        /// A call failed with a wording no family knows: its status and path alone propose
        /// the usual causes (the family has no patterns).
        case failure
        /// Nothing failed in the paste, but the customer states the symptom in words
        /// (the family's patterns): the symptom's usual causes, ranked by the paste's facts.
        case symptom
    }

    /// A compiled wording. `NSRegularExpression` is immutable once made and safe to share.
    public struct Pattern: @unchecked Sendable, Hashable {
        public var source: String
        public var regex: NSRegularExpression

        public static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source && a.regex.options == b.regex.options }
        public func hash(into h: inout Hasher) { h.combine(source) }

        /// True when the pattern occurs in `text`.
        public func occurs(in text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    /// A cause a family may stand for, with its prior weight and the facts that must hold.
    public struct Candidate: Sendable {
        public var cause: String
        public var weight: Double
        public var when: [Predicate]
    }

    /// Structural facts of the failing call (from its URL, or the URL or request line quoted in
    /// the same paste), which decide between a family's candidates.
    public enum Predicate: Sendable, Hashable {
        case versionMissing(Bool)
        case versionDuplicated(Bool)
        case includesEndpoint(Bool)
        /// A doubled slash, whitespace or a broken scheme in the URL.
        case malformed(Bool)
        case endpointIn([String])
        case statusIn([Int])
        /// The failing call's method (`POST` on a `/models` path is a chat call sent to a base
        /// URL that ends in the list endpoint).
        case methodIn([String])
        /// Compiled case-blind when the pack is read, not on every evaluation.
        case textMatches(Pattern)
        /// Whether a URL or path naming an API endpoint is known for the failure at all (a
        /// fallback candidate applies only when the path cannot tell).
        case pathKnown(Bool)
        /// The host of the failing call, or of the base URL the paste says is configured,
        /// matches (case-blind): a provider's own conventions (`\.openai\.azure\.com$`).
        case hostMatches(Pattern)
        /// The customer's words state this context cue (a name from `cues:`).
        case cue(String)
        /// The customer's words do not state this cue.
        case noCue(String)

        public static let names = ["version_missing", "version_duplicated", "includes_endpoint", "malformed", "endpoint_in", "status_in", "method_in", "text_matches", "host_matches", "path_known", "cue", "no_cue"]
    }

    /// The text a failing call's family is chosen by: its error fields, its failure message
    /// and the start of its body. One definition for the findings stage and `error.family`.
    public static func failureText(error: APIError?, failure: Failure?, responseBody: String?) -> String {
        [error?.message, error?.type, error?.code, failure?.message, responseBody.map { String($0.prefix(2000)) }]
            .compactMap { $0 }.joined(separator: " ")
    }

    /// The first family (in file order) one of whose patterns occurs in `text`. Fallback
    /// families are never chosen by wording.
    public func match(_ text: String) -> Family? {
        guard !text.isEmpty else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        return families.first { f in f.fallback == nil && f.patterns.contains { $0.regex.firstMatch(in: text, range: range) != nil } }
    }

    /// The family of the given fallback kind, if a pack defines one (the first in file order).
    public func fallback(_ kind: Fallback) -> Family? {
        families.first { $0.fallback == kind }
    }
}
