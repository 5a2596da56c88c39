import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

// What the renderers read from a report beyond its stored fields: health, the facts as
// labelled rows and sorted counts. Kept here so every format shows the same thing.

extension Report {
    /// True when no finding is above `low`: the bundle shows no problem worth a reply.
    public var isHealthy: Bool { findings.allSatisfy { $0.severity <= .low } }

    /// The most severe finding's severity, nil without findings (for `--fail-on`).
    public var highestSeverity: Severity? { findings.map(\.severity).max() }

    /// The findings as people read them: one per cause, the best-ranked, with the others of
    /// the same cause as its further occurrences, in rank order of the first.
    ///
    /// Several rules (and the family triage) can name the same cause for the same calls; three
    /// findings that all say "wrong base URL" read as three problems. The JSON report keeps
    /// every finding: automation counts them.
    var findingsByCause: [CauseGroup] {
        var groups: [CauseGroup] = []
        var index: [String: Int] = [:]
        for f in findings {
            // `outside-taxonomy` is no cause but "none of ours": each such finding names its
            // own kind of error (rate limit, context length), so each stays on its own.
            let key = f.cause == "outside-taxonomy" ? "\(f.cause)\u{0}\(f.rule)" : f.cause
            if let i = index[key] { groups[i].others.append(f); continue }
            index[key] = groups.count
            groups.append(CauseGroup(top: f))
        }
        return groups
    }
}

/// The best-ranked finding of one cause and the other findings of that cause, in rank order.
struct CauseGroup {
    var top: Finding
    var others: [Finding] = []
}

/// One row of the ticket facts: a label and its values, in the order renderers show them.
struct FactRow: Equatable {
    var label: String
    var values: [String]
}

extension TicketFacts {
    /// The facts as labelled rows, empty ones left out; `unknown` comes last.
    ///
    /// Shared by the people-facing renderers so text, Markdown and HTML list the same facts
    /// in the same order. Status codes are sorted by code.
    func rows(_ l: Labels) -> [FactRow] {
        var rows: [FactRow] = [
            FactRow(label: l.sdks, values: sdks),
            FactRow(label: l.runtimes, values: runtimes),
            FactRow(label: l.baseURLs, values: baseURLs.map(\.value)),
            FactRow(label: l.requestURLs, values: requestURLs.map(\.value)),
            FactRow(label: l.apiVersionPaths, values: apiVersionPaths.map(l.note)),
            FactRow(label: l.hosts, values: hosts),
            FactRow(label: l.models, values: models),
            FactRow(label: l.firstTime, values: firstTime.map { [ReportFormat.iso8601($0)] } ?? []),
            FactRow(label: l.lastTime, values: lastTime.map { [ReportFormat.iso8601($0)] } ?? []),
            FactRow(label: l.statusCodes, values: statusCodes.isEmpty ? []
                    : [sortedStatusCodes.map { "\($0.code) ×\($0.count)" }.joined(separator: ", ")]),
            FactRow(label: l.exchanges, values: exchanges > 0 ? [String(exchanges)] : []),
            FactRow(label: l.errors, values: errors.map(\.value)),
            FactRow(label: l.requestIDs, values: requestIDs),
            FactRow(label: l.keys, values: keys.map { "\($0.fingerprint): \($0.calls.joined(separator: ", "))" }),
            FactRow(label: l.unknown, values: unknown.map { l.note($0.value) }),
        ]
        rows.removeAll { $0.values.isEmpty }
        return rows
    }

    /// Status codes with their counts, lowest code first.
    var sortedStatusCodes: [(code: Int, count: Int)] {
        statusCodes.sorted { $0.key < $1.key }.map { (code: $0.key, count: $0.value) }
    }
}

extension RedactionSummary {
    /// Counts by kind, sorted by kind name.
    var sortedByKind: [(key: String, value: Int)] { byKind.sorted { $0.key < $1.key } }
    /// Counts by file, sorted by path.
    var sortedByFile: [(key: String, value: Int)] { byFile.sorted { $0.key < $1.key } }
}
