import CSV
import DoctorModel
import Foundation

/// The triage as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break
/// quoted, quotes doubled), for a spreadsheet.
///
/// The quoting is yaslab/CSV.swift's `CSVWriter`; of the two CSV packages at hand it is the
/// one that writes (SwiftCSV 0.10.0 only parses, and its internal serializer does not quote
/// line breaks). Two tables follow each other, separated by an empty line: the rows (header
/// `ticket,cause,…`), then the roll-up as `section,key,detail,count`. A cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet does not
/// run bundle text as a formula (OWASP's advice on CSV injection).
public struct TriageCSVRenderer: TriageRenderer {
    public init() {}

    public func render(_ report: TriageReport) -> String {
        var out = table([TriageColumns.headers] + report.rows.map { TriageColumns.cells($0, empty: "") })
        out += "\r\n"
        out += table([["section", "key", "detail", "count"]]
                     + TriageColumns.rollupLines(report.rollup).map { [$0.section, $0.key, $0.detail, String($0.count)] })
        return out
    }

    /// One table, each record ending with CRLF.
    func table(_ records: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        // Writing to memory cannot fail short of running out of memory; should the writer
        // still throw, the table is cut there rather than the program stopped.
        // The writer opens the stream and closes it when it goes away; read before that.
        var data = Data()
        if let writer = try? CSVWriter(stream: stream, newline: .crlf) {
            for record in records { try? writer.write(row: record.map(Self.defused)) }
            data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.isEmpty ? text : text + "\r\n"
    }

    /// `'` before a cell a spreadsheet would read as a formula.
    static func defused(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }
}
