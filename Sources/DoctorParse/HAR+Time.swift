import DoctorIngest
import DoctorModel
import Foundation

/// Timestamp readers for HAR and access logs, written by hand.
///
/// `ISO8601DateFormatter` rejects mitmproxy's six fraction digits on some platforms and
/// `DateFormatter` is slow and locale-bound; the shapes here are fixed, so a few integer
/// reads and the civil-date formula are enough. Every result is UTC with the source's own
/// offset applied.
enum LogTime {
    /// `2025-05-02T08:15:30.123456+08:00`, `…Z`, `…+0800`, or without zone (taken as UTC).
    static func iso8601(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count >= 19,
              let year = int(b, 0, 4), b[4] == 0x2D, let month = int(b, 5, 2), b[7] == 0x2D,
              let day = int(b, 8, 2), b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74,
              let hour = int(b, 11, 2), b[13] == 0x3A, let minute = int(b, 14, 2), b[16] == 0x3A,
              let second = int(b, 17, 2) else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
            i += 1
            var scale = 0.1
            while i < b.count, (0x30...0x39).contains(b[i]) {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < b.count {
            switch b[i] {
            case 0x5A, 0x7A: offset = 0
            case 0x2B, 0x2D:
                guard let o = zoneOffset(b, i) else { return nil }
                offset = o
            default: return nil
            }
        }
        return make(year, month, day, hour, minute, second, fraction, offset)
    }

    /// nginx `$time_local`: `02/May/2025:08:15:30 +0000`.
    static func nginx(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count >= 20, let day = int(b, 0, 2), b[2] == 0x2F, b[6] == 0x2F,
              let month = monthNumber(b[3], b[4], b[5]), let year = int(b, 7, 4), b[11] == 0x3A,
              let hour = int(b, 12, 2), let minute = int(b, 15, 2), let second = int(b, 18, 2) else { return nil }
        var offset = 0
        if b.count >= 26, b[20] == 0x20, let o = zoneOffset(b, 21) { offset = o }
        return make(year, month, day, hour, minute, second, 0, offset)
    }

    /// Seconds east of UTC from `+08:00` / `-0530` starting at `at`.
    private static func zoneOffset(_ b: [UInt8], _ at: Int) -> Int? {
        let sign = b[at] == 0x2D ? -1 : 1
        guard let h = int(b, at + 1, 2) else { return nil }
        var m = 0
        if at + 3 < b.count {
            let mStart = b[at + 3] == 0x3A ? at + 4 : at + 3
            m = int(b, mStart, 2) ?? 0
        }
        return sign * (h * 3600 + m * 60)
    }

    private static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int,
                             _ fraction: Double, _ offset: Int) -> Date? {
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s <= 60 else { return nil }
        let days = daysFromCivil(y, mo, d)
        let secs = Double(days * 86400 + h * 3600 + mi * 60 + s - offset) + fraction
        return Date(timeIntervalSince1970: secs)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    private static func int(_ b: [UInt8], _ at: Int, _ len: Int) -> Int? {
        guard at >= 0, at + len <= b.count else { return nil }
        var v = 0
        for k in at..<(at + len) {
            guard (0x30...0x39).contains(b[k]) else { return nil }
            v = v * 10 + Int(b[k] - 0x30)
        }
        return v
    }

    private static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let key = String(decoding: [a | 0x20, b | 0x20, c | 0x20], as: UTF8.self)
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        return months.firstIndex(of: key).map { $0 + 1 }
    }
}
