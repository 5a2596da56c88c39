import DoctorIngest
import DoctorModel
import Foundation

/// A request line whose status stands on the next line (`GET https://…/v1/models` then
/// `404 Not Found`), and an HTML page pasted under a request's status: both are one call.
extension ErrorTextReader {
    /// Lines after a bare request line that may still hold its status.
    static let statusLookahead = 2

    /// The request on line `i` with its status on the next non-blank line, and that line's
    /// index; nil when line `i` is not a bare request or the next line is more than a status.
    func statusOnNextLine(_ i: Int, covered: Set<Int>) -> (StatusLine, Int)? {
        guard let r = bareRequest(lines[i].text) else { return nil }
        guard let j = nextNonBlank(after: i, within: Self.statusLookahead), !covered.contains(j),
              let g = ErrorTextPatterns.match(pat.statusOnly, lines[j].text), let s = g[1].flatMap({ Int($0) }) else { return nil }
        let line = StatusLine(method: r.method, target: r.target, status: s, statusText: g[2], contentType: g[3]?.lowercased())
        return (line, j)
    }

    /// The first non-blank line within `n` lines after `i`.
    func nextNonBlank(after i: Int, within n: Int) -> Int? {
        var j = i + 1
        while j < lines.count, j - i <= n {
            if !lines[j].text.trimmingCharacters(in: .whitespaces).isEmpty { return j }
            j += 1
        }
        return nil
    }

    /// Lines that make up an HTML page starting right after line `k` (blank lines may
    /// stand between): to `</html>` when it closes within `maxHTMLLines`, else the run of
    /// lines that start with a tag.
    func htmlPage(after k: Int, covered: Set<Int>) -> ClosedRange<Int>? {
        guard let j = nextNonBlank(after: k, within: 2), !covered.contains(j) else { return nil }
        let first = lines[j].text.trimmingCharacters(in: .whitespaces).lowercased()
        guard first.hasPrefix("<"),
              ["<html", "<!doctype html", "<head", "<title", "<body"].contains(where: { first.contains($0) }) else { return nil }
        var end = j
        for m in j..<min(lines.count, j + Self.maxHTMLLines) {
            if covered.contains(m) { break }
            if lines[m].contains("</html>") || lines[m].contains("</HTML>") { return j...m }
        }
        while end + 1 < lines.count, !covered.contains(end + 1),
              lines[end + 1].text.trimmingCharacters(in: .whitespaces).hasPrefix("<") { end += 1 }
        return j...end
    }

    /// How far an HTML page is looked for its closing tag.
    static let maxHTMLLines = 300

    /// Gives each call whose status stood on the line under its request the HTML page pasted
    /// under that as its body.
    func attachHTMLPages(_ statusLines: inout [Int: Unit], _ covered: inout Set<Int>) {
        for k in statusLines.keys.sorted() {
            // Only a call whose status stood on its own line: a page under a one-line
            // `POST … 502 Bad Gateway` stays the separate evidence it was.
            guard var u = statusLines[k], u.idx.count > 1, u.e.responseBody == nil, let page = htmlPage(after: u.idx.max() ?? k, covered: covered) else { continue }
            u.e.responseBody = lines[page].map(\.text).joined(separator: "\n")
            if u.e.contentType == nil {
                u.e.contentType = "text/html"
                u.e.hints.insert(.contentTypeGuessed)
            }
            u.idx += Array(page)
            covered.formUnion(page)
            statusLines[k] = u
        }
    }
}
