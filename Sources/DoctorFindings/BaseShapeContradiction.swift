import DoctorModel
import DoctorRules

/// The base URLs a bundle shows — configured (stated in the ticket or an app's log) or
/// the base of a request URL — against the pointers that name a base-URL shape mistake.
///
/// A pointer (a message family's candidate, a rival, the wording's proposal) proposes a
/// cause from a status or from words; when every base URL the bundle shows has the shape
/// that cause says is missing, the facts answer it. Of the collected real tickets whose base
/// URLs all carry a version path, 6 of 311 had a missing version as their cause (against 51
/// of 137 with a base URL lacking one), and of those whose base URLs hold no endpoint path,
/// 7 of 391 had an endpoint in the base URL. Diagnoses (medium and above) are left alone:
/// a rule that established one read more than the shape.
struct BaseShapeContradiction {
    /// The shape of each distinct base URL shown (a configured one joined with an endpoint,
    /// as a client joins it).
    let shapes: [PathShape]

    /// - Parameter versionless: providers that answer at their host's root: a base URL there
    ///   lacks no version.
    init(_ bundle: TicketBundle, versionless: [AliasTables.Provider] = []) {
        var seen = Set<String>()
        var shapes: [PathShape] = []
        for s in bundle.signals where s.name == .configuredBaseURL {
            guard let v = s.value, v.hasPrefix("http"), seen.insert(v).inserted else { continue }
            // Joined before its query (`…/chat/completions?api-version=…` is a full endpoint URL).
            let q = v.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? v.endIndex
            let shape = PathShape(url: v[..<q] + "/chat/completions" + v[q...])
            if shape.endpoint != .other { shapes.append(shape) }
        }
        // A log's calls repeat a few URLs: its first calls show them (each distinct one read once,
        // the calls read in place, not copied).
        let xs = bundle.exchanges
        for i in xs.indices.prefix(4096) where seen.count < 64 {
            guard let u = xs[i].url, u.hasPrefix("http"), seen.insert(u).inserted else { continue }
            let shape = PathShape(url: u)
            if shape.endpoint != .other { shapes.append(shape) }
        }
        self.shapes = shapes.map { $0.answered(by: versionless) }
    }

    /// The causes every shown base URL answers.
    var contradicted: Set<String> {
        guard !shapes.isEmpty else { return [] }
        var out = Set<String>()
        if shapes.allSatisfy({ $0.versionMissing == false }) { out.insert("base-url-missing-version") }
        if shapes.allSatisfy({ $0.includesEndpoint == false }) { out.insert("base-url-includes-endpoint") }
        return out
    }
}
