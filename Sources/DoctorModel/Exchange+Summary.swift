import Foundation

extension Exchange {
    /// One line: `GET http://host/v1/models -> 404 Not Found`.
    public var summary: String {
        var s = [method, url ?? pathOnly].compactMap { $0 }.joined(separator: " ")
        if let status { s += " -> \(status)" + (statusText.map { " \($0)" } ?? "") }
        if let failure { s += " -> \(failure.kind.rawValue): \(failure.message)" }
        if let m = error?.message { s += " (\(m.prefix(160)))" }
        return s.isEmpty ? "(partial exchange)" : s
    }
}
