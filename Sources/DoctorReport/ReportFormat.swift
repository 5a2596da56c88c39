import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

/// Small formatting rules every renderer shares, so the formats agree on numbers and text.
package enum ReportFormat {
    /// `0.90`: confidence and score always with two decimals, `0.00` when not finite.
    static func decimal2(_ value: Double) -> String {
        guard value.isFinite else { return "0.00" }
        // Beyond Int's range the integer path below would trap; such scores only need to sort.
        guard abs(value) < 1e15 else { return String(format: "%.2f", value) }
        let hundredths = (value * 100).rounded()
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = Int(abs(hundredths))
        let frac = magnitude % 100
        return "\(sign)\(magnitude / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// A confidence for print: clamped to 0…1, two decimals.
    static func confidence(_ value: Double) -> String {
        decimal2(value.isFinite ? min(max(value, 0), 1) : 0)
    }

    /// `2024-05-01T12:00:03Z`, with milliseconds only when the time has them; always UTC.
    static func iso8601(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (millis / 1000).rounded(.down)
        let rest = Int(millis - seconds * 1000)
        // gmtime_r, not Calendar or ISO8601DateFormatter: this runs once per exchange in
        // listings, and the formatter objects cost more than everything else there.
        var t = time_t(seconds)
        var c = tm()
        gmtime_r(&t, &c)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let base = "\(pad(c.tm_year + 1900, 4))-\(pad(c.tm_mon + 1, 2))-\(pad(c.tm_mday, 2))T\(pad(c.tm_hour, 2)):\(pad(c.tm_min, 2)):\(pad(c.tm_sec, 2))"
        return rest == 0 ? base + "Z" : base + "." + pad(Int32(rest), 3) + "Z"
    }

    /// A path fit to print: a path inside the bundle stays as it is; an absolute path (a rule
    /// pack outside the repository) keeps only its tail from `rules/`, else its file name,
    /// so reports never show where things sit on the machine that made them.
    package static func displayPath(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/") || path.hasPrefix("~") || path.hasPrefix("\\")
            || (path.count > 2 && path.dropFirst().hasPrefix(":\\"))
        guard isAbsolute else { return path }
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if let i = parts.lastIndex(of: "rules"), i < parts.count - 1 {
            return parts[i...].joined(separator: "/")
        }
        return parts.last.map(String.init) ?? ""
    }

    /// One line of at most `limit` characters: control characters and line breaks become
    /// spaces, runs of spaces shrink to one, and a cut text ends with `…`.
    ///
    /// - Complexity: O(`limit`); it stops reading once the line is known to be too long.
    static func oneLine(_ text: String, limit: Int) -> String {
        var out: [Character] = []
        var pendingSpace = false
        for ch in text {
            if ch.isWhitespace || ch.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(ch)
            if out.count > limit {
                var kept = out.prefix(max(0, limit - 1))
                while kept.last == " " { kept.removeLast() }
                return String(kept) + "…"
            }
        }
        return String(out)
    }

    /// `text` with control characters (escape sequences included) turned into spaces, line
    /// breaks kept as `\n`, so bundle text cannot move the cursor or recolour a terminal.
    static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            if scalar == "\n" { if !previousCR { out.append(scalar) }; continue }
            if scalar == "\r" { out.append("\n"); continue }
            out.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(out)
    }

    /// Columns a string takes in a terminal: East Asian wide characters count two.
    static func displayWidth(_ text: String) -> Int { TextWrap.displayWidth(text) }
}
