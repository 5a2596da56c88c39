import DoctorModel
import DoctorRedact
import Foundation

/// Rebuilds one triage from the JSON Lines outputs of several runs (`--shard I/N` on several
/// machines): the ticket records are read back into rows, sorted like a run sorts them, and
/// the roll-up is computed from them by the same `TriageRollup(rows:)` a run uses, so the
/// merge of N shards equals one run over the whole backlog. Roll-up records are skipped.
public enum TriageMerge {
    public struct Result: Sendable {
        public var report: TriageReport
        /// The redactor the merged text went through again; gate the output with it.
        public var gate: Redactor
    }

    /// Reads and merges JSON Lines files.
    /// - Throws: `TriageMergeError` naming the file and the 1-based line of a record that is
    ///   not a triage record, or a file that cannot be read.
    public static func merge(files: [String], redaction: Redactor.Options = Redactor.Options()) throws -> Result {
        // The files may have been edited or come from a run with --no-redact: their text is
        // input like any bundle and goes through the redactor again (redacting redacted text
        // changes nothing).
        let redactor = Redactor(options: redaction)
        var rows: [TriageRow] = []
        var unredacted = false
        for file in files {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw TriageMergeError(file: file, line: 0, message: "cannot read: \(error.localizedDescription)")
            }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                let fail = { (m: String) in TriageMergeError(file: file, line: n + 1, message: m) }
                guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                    throw fail("not a JSON object")
                }
                guard object["schema"] as? String == TriageReport.schema else {
                    throw fail("not a \(TriageReport.schema) record (write it with `triage --format jsonl`)")
                }
                if object["unredacted"] as? Bool == true { unredacted = true }
                guard object["type"] as? String == "ticket" else { continue }
                rows.append(try row(object, redactor: redactor, fail: fail))
            }
        }
        let sorted = TriageRow.sorted(rows)
        let report = TriageReport(rows: sorted, rollup: TriageRollup(rows: sorted), unredacted: unredacted && redaction.disabled)
        return Result(report: report, gate: redactor)
    }

    private static func row(_ o: [String: Any], redactor: Redactor, fail: (String) -> TriageMergeError) throws -> TriageRow {
        func text(_ key: String) -> RedactedText? { (o[key] as? String).map { redactor.redact($0) } }
        func texts(_ key: String) -> [RedactedText] { ((o[key] as? [Any]) ?? []).compactMap { ($0 as? String).map { redactor.redact($0) } } }
        func strings(_ key: String) -> [String] { ((o[key] as? [Any]) ?? []).compactMap { $0 as? String } }
        guard let ticket = o["ticket"] as? String, let cause = o["cause"] as? String else {
            throw fail("a ticket record needs `ticket` and `cause`")
        }
        var row = TriageRow(ticket: ticket, cause: cause)
        row.confidence = (o["confidence"] as? NSNumber)?.doubleValue
        row.candidates = strings("candidates")
        row.causes = strings("causes")
        row.symptom = o["symptom"] as? String
        row.sdk = text("sdk")
        row.models = texts("models")
        row.host = text("host")
        row.errorFamily = text("error_family")
        row.day = o["day"] as? String
        row.notFound = ((o["not_found"] as? [Any]) ?? []).compactMap { item in
            guard let m = item as? [String: Any], let model = m["model"] as? String else { return nil }
            return NotFoundModel(model: redactor.redact(model), suggestion: (m["suggestion"] as? String).map { redactor.redact($0) })
        }
        row.errors = texts("errors")
        row.problem = text("problem")
        row.findings = (o["findings"] as? NSNumber)?.intValue ?? 0
        return row
    }
}

/// A JSON Lines file `triage merge` cannot use, with where.
public struct TriageMergeError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 for the whole file.
    public var line: Int
    public var message: String

    public var description: String { line > 0 ? "\(file):\(line): error: \(message)" : "\(file): error: \(message)" }
}
