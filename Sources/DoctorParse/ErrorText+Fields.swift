import DoctorModel
import Foundation

/// A call pasted as labelled fields rather than as one request line: what a browser's
/// developer tools copy from a request's "General" headers (`Request URL: …`,
/// `Request Method: POST`, `Status Code: 404 Not Found`, each value on its label's line or on
/// the next; Chrome's Chinese UI says 请求网址 / 请求方法 / 状态代码), or an API URL alone on a
/// line with the answer's status right under it (`https://…/chat/completions`, then
/// `Response Code: 404`).
extension ErrorTextReader {
    enum FieldKind { case url, method, status }

    /// `Request URL: https://…`, `Status Code:` or `Status Code` (value on the next line: newer
    /// Chrome copies the labels without colons), `状态代码: 404`.
    static let fieldLine = ErrorTextPatterns.re(
        #"^\s*(?:[-*•]\s*)?(?i:(request\s+url|url|请求网址|请求\s*url|请求地址)|(request\s+method|method|请求方法)|(status\s+code|status|response\s+code|http\s+status(?:\s+code)?|状态代码|状态码|响应码|响应状态码))\s*(?:[:：=]\s*(.*?))?\s*$"#)
    /// A URL alone on its line (backquotes and a list bullet allowed).
    static let urlAlone = ErrorTextPatterns.re(#"^\s*(?:[-*•]\s+)?`?(https?://[^\s`'"<>]+)`?\s*$"#)
    /// A field's status value: `404`, `404 Not Found`, `404 Not Found (from disk cache)`.
    static let statusValue = ErrorTextPatterns.re(#"^\s*([1-5]\d\d)(?:\s+([A-Za-z][A-Za-z \-]{0,40}?))?\s*(?:\(.*\))?\s*$"#)

    /// The field a line labels, and its value: on the same line, or the next non-blank line
    /// (whose index is returned) when the label stands alone.
    func field(at i: Int) -> (kind: FieldKind, value: String, last: Int)? {
        let t = lines[i].text
        // A label alone on its line (no separator) is short.
        guard t.utf8.count <= 400, lines[i].contains(":") || lines[i].contains("：") || lines[i].contains("=") || t.utf8.count <= 24,
              let g = ErrorTextPatterns.match(Self.fieldLine, t) else { return nil }
        let kind: FieldKind = g[1] != nil ? .url : g[2] != nil ? .method : .status
        if let v = g[4], !v.isEmpty { return (kind, v, i) }
        guard let j = nextNonBlank(after: i, within: 1) else { return nil }
        return (kind, lines[j].text.trimmingCharacters(in: .whitespaces), j)
    }

    /// The call a block of labelled fields (or an API URL with a status under it) starting at
    /// line `i` states, with the lines it used (its last line is the status's: a body pasted
    /// under it is that call's answer). Nil unless a status is stated.
    func fieldCall(at i: Int, covered: Set<Int>) -> (StatusLine, [Int])? {
        var used = [i]
        var target: String
        let labelled: Bool
        if let f = field(at: i), f.kind == .url, f.value.hasPrefix("http") {
            target = ErrorTextMentions.trimURL(Substring(f.value.split(separator: " ").first ?? ""))
            if f.last != i { used.append(f.last) }
            labelled = true
        } else if lines[i].contains("://"), let g = ErrorTextPatterns.match(Self.urlAlone, lines[i].text), let u = g[1] {
            target = ErrorTextMentions.trimURL(Substring(u))
            // A bare URL is a call only when it names an endpoint: a base URL alone is a setting.
            guard URLParts(url: target).endpoint != .other else { return nil }
            labelled = false
        } else {
            return nil
        }
        guard !target.isEmpty else { return nil }
        var method: String?
        var j = used.last! + 1
        while j < lines.count, j <= i + 8, !covered.contains(j) {
            let t = lines[j].text
            if t.trimmingCharacters(in: .whitespaces).isEmpty { j += 1; continue }
            if let f = field(at: j) {
                switch f.kind {
                case .url:
                    return nil
                case .method:
                    let m = f.value.uppercased()
                    guard Self.methods.contains(m) else { return nil }
                    method = m
                    used += j == f.last ? [j] : [j, f.last]
                    j = f.last + 1
                    continue
                case .status:
                    guard let g = ErrorTextPatterns.match(Self.statusValue, f.value), let s = g[1].flatMap({ Int($0) }) else { return nil }
                    used += j == f.last ? [j] : [j, f.last]
                    return (StatusLine(method: method, target: target, status: s, statusText: g[2]), used)
                }
            }
            // Under a bare URL, its status alone on the next line (`404 Not Found`, `HTTP/1.1 404`).
            if !labelled || method != nil, let g = ErrorTextPatterns.match(pat.statusOnly, t), let s = g[1].flatMap({ Int($0) }) {
                used.append(j)
                return (StatusLine(method: method, target: target, status: s, statusText: g[2], contentType: g[3]?.lowercased()), used)
            }
            return nil
        }
        return nil
    }
}
