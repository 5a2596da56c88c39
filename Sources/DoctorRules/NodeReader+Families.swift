import DoctorModel
import Foundation

internal import Yams

extension NodeReader {
    /// Reads `families:`, a list of message families (see `MessageFamilies`).
    mutating func readFamilies(_ node: Node, into out: inout MessageFamilies) {
        guard let seq = node.sequence else { error(node, "`families` is a list of message families"); return }
        for item in seq {
            guard let m = item.mapping else { error(item, "a family is a mapping with `name` and `patterns`"); continue }
            let f = fields(m, at: item, allowed: ["name", "outside", "fallback", "title", "tell", "patterns", "candidates"])
            guard let name = f["name"].flatMap({ string($0) }) else { error(item, "a family needs a `name`"); continue }
            let patterns = f["patterns"].map { compiledPatterns($0) } ?? []
            var fallback: MessageFamilies.Fallback?
            if let fb = f["fallback"] {
                fallback = string(fb).flatMap(MessageFamilies.Fallback.init(rawValue:))
                if fallback == nil { error(fb, "`fallback` is `failure` (a failure no family's wording knows) or `symptom` (the symptom stated in words)") }
            }
            if patterns.isEmpty && fallback != .failure { error(item, "family `\(name)` has no usable pattern") }
            if fallback == .failure && !patterns.isEmpty { error(item, "a `fallback: failure` family is chosen by status and path, not by wording: it takes no `patterns`") }
            var candidates: [MessageFamilies.Candidate] = []
            for c in f["candidates"].map({ sequenceNodes($0) }) ?? [] {
                if let cand = candidate(c) { candidates.append(cand) }
            }
            let outside = f["outside"].flatMap { bool($0) } ?? false
            if !outside && candidates.isEmpty { error(item, "family `\(name)` is inside the taxonomy but names no candidate cause") }
            if outside && fallback != nil { error(item, "a fallback family proposes causes: it cannot be `outside`") }
            out.families.append(.init(name: name, outside: outside,
                                      title: f["title"].flatMap { localized($0) } ?? LocalizedText(en: name),
                                      tell: f["tell"].flatMap { localized($0) }, patterns: patterns,
                                      candidates: candidates, fallback: fallback, position: pos(item)))
        }
    }

    /// Reads `cues:`, a list of context cues (`name` and `patterns`).
    mutating func readCues(_ node: Node, into out: inout MessageFamilies) {
        guard let seq = node.sequence else { error(node, "`cues` is a list of context cues, each with `name` and `patterns`"); return }
        for item in seq {
            guard let m = item.mapping else { error(item, "a cue is a mapping with `name` and `patterns`"); continue }
            let f = fields(m, at: item, allowed: ["name", "patterns"])
            guard let name = f["name"].flatMap({ string($0) }) else { error(item, "a cue needs a `name`"); continue }
            let patterns = f["patterns"].map { compiledPatterns($0) } ?? []
            if patterns.isEmpty { error(item, "cue `\(name)` has no usable pattern") }
            out.cues.append(.init(name: name, patterns: patterns, position: pos(item)))
        }
    }

    /// A list of case-blind regular expressions; bad or risky ones are errors at their position.
    private mutating func compiledPatterns(_ node: Node) -> [MessageFamilies.Pattern] {
        var patterns: [MessageFamilies.Pattern] = []
        for p in sequenceNodes(node) {
            guard let s = string(p) else { continue }
            if let risk = RegexRisk.problem(in: s) { error(p, "pattern may backtrack catastrophically: \(risk)"); continue }
            do {
                patterns.append(.init(source: s, regex: try NSRegularExpression(pattern: s, options: [.caseInsensitive])))
            } catch { self.error(p, "bad regular expression `\(s)`: \(error.localizedDescription)") }
        }
        return patterns
    }

    private mutating func sequenceNodes(_ node: Node) -> [Node] {
        guard let s = node.sequence else { error(node, "expected a list"); return [] }
        return Array(s)
    }

    private mutating func candidate(_ node: Node) -> MessageFamilies.Candidate? {
        guard let m = node.mapping else { error(node, "a candidate is a mapping with `cause` and `weight`"); return nil }
        let f = fields(m, at: node, allowed: ["cause", "weight", "when"])
        guard let cause = f["cause"].flatMap({ string($0) }) else { error(node, "a candidate needs a `cause`"); return nil }
        let weight = f["weight"].flatMap { double($0) } ?? 0.3
        if !(0...1).contains(weight) { error(node, "`weight` is between 0 and 1") }
        var preds: [MessageFamilies.Predicate] = []
        if let w = f["when"] {
            guard let wm = w.mapping else { error(w, "`when` maps predicates (\(MessageFamilies.Predicate.names.joined(separator: ", "))) to values"); return nil }
            let pf = fields(wm, at: w, allowed: Set(MessageFamilies.Predicate.names))
            for key in MessageFamilies.Predicate.names {
                guard let v = pf[key] else { continue }
                switch key {
                case "version_missing": if let b = bool(v) { preds.append(.versionMissing(b)) }
                case "version_duplicated": if let b = bool(v) { preds.append(.versionDuplicated(b)) }
                case "includes_endpoint": if let b = bool(v) { preds.append(.includesEndpoint(b)) }
                case "malformed": if let b = bool(v) { preds.append(.malformed(b)) }
                case "path_known": if let b = bool(v) { preds.append(.pathKnown(b)) }
                case "endpoint_in": preds.append(.endpointIn(strings(v)))
                case "cue": if let c = string(v) { preds.append(.cue(c)) }
                case "no_cue": if let c = string(v) { preds.append(.noCue(c)) }
                case "status_in": preds.append(.statusIn(strings(v).compactMap { Int($0) }))
                case "method_in": preds.append(.methodIn(strings(v).map { $0.uppercased() }))
                case "text_matches", "host_matches":
                    if let s = string(v) {
                        if let re = try? NSRegularExpression(pattern: s, options: [.caseInsensitive]) {
                            let pattern = MessageFamilies.Pattern(source: s, regex: re)
                            preds.append(key == "text_matches" ? .textMatches(pattern) : .hostMatches(pattern))
                        } else { error(v, "bad regular expression `\(s)`") }
                    }
                default: break
                }
            }
        }
        return .init(cause: cause, weight: weight, when: preds)
    }
}
