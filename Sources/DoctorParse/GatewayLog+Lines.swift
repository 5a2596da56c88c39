import DoctorIngest
import DoctorModel
import Foundation

/// Recognisers for the line shapes of gateway logs. Each starts with a byte-level literal
/// test and does String work only on lines that pass it.
enum GatewayLog {
    /// Removes ANSI escape sequences (`ESC[92m`, `ESC[0m`, `ESC[1;31m`).
    static func stripANSI(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            if c == 0x1B {
                guard let n = it.next() else { break }
                if n == 0x5B {  // CSI: parameters, then a final byte 0x40…0x7E
                    while let p = it.next(), !(0x40...0x7E).contains(p) {}
                }
                continue
            }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `HH:MM:SS - LiteLLM Proxy:ERROR: file.py:207 - message` (also `LiteLLM Router`, `LiteLLM`).
    static func isLiteLLMRecord(_ line: String) -> Bool {
        let b = line.utf8
        guard b.count > 20 else { return false }
        // The clock first: it turns away a traceback or body line after eight bytes at most.
        var i = b.startIndex
        for k in 0..<8 {
            let c = b[i]
            if k == 2 || k == 5 { if c != 0x3A { return false } } else if !(0x30...0x39).contains(c) { return false }
            i = b.index(after: i)
        }
        return ByteSearch.contains(line, " - LiteLLM")
    }

    /// The parts of a LiteLLM record: level and message. Read from the line's head
    /// (`HH:MM:SS - <logger>:<LEVEL>: file.py:123 - message`): lines run to 27 KB and the
    /// message may itself hold `:ERROR:`. On bytes, with no allocation: every record of a
    /// DEBUG log passes here.
    static func liteLLMParts(_ line: String) -> (level: Substring, message: Substring)? {
        let u = line.utf8
        let found: (level: Range<Int>, message: Int)?? = u.withContiguousStorageIfAvailable { b in
            let n = b.count
            guard n > 11 else { return nil }
            var c1 = 11  // after "HH:MM:SS - ": the logger name ends at the first ':' within 48 bytes
            let end1 = min(n, 11 + 48)
            while c1 < end1, b[c1] != 0x3A { c1 += 1 }
            guard c1 < end1 else { return nil }
            let ls = c1 + 1
            var c2 = ls
            let end2 = min(n, ls + 9)
            while c2 < end2, b[c2] != 0x3A { c2 += 1 }
            guard c2 < end2, isLiteLLMLevel(UnsafeBufferPointer(rebasing: b[ls..<c2])) else { return nil }
            let after = c2 + 1
            let dash = ByteSearch.find(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[after...])), ByteSearch.bytes(" - "))
            return (ls..<c2, dash.map { after + $0 + 3 } ?? after)
        }
        guard let found else { return slowLiteLLMParts(line) }  // a bridged string
        guard let (lv, m) = found else { return nil }
        let s = u.startIndex
        return (line[u.index(s, offsetBy: lv.lowerBound)..<u.index(s, offsetBy: lv.upperBound)], line[u.index(s, offsetBy: m)...])
    }

    /// ERROR, WARNING, INFO, DEBUG or CRITICAL, byte for byte.
    private static func isLiteLLMLevel(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func eq(_ w: StaticString) -> Bool {
            w.utf8CodeUnitCount == b.count && memcmp(w.utf8Start, b.baseAddress!, b.count) == 0
        }
        guard b.count >= 4 else { return false }
        return eq("DEBUG") || eq("INFO") || eq("ERROR") || eq("WARNING") || eq("CRITICAL")
    }

    static let liteLLMLevels: Set<Substring> = ["ERROR", "WARNING", "INFO", "DEBUG", "CRITICAL"]

    /// `liteLLMParts` for a string without contiguous UTF-8 storage (never a line read from a file).
    private static func slowLiteLLMParts(_ line: String) -> (level: Substring, message: Substring)? {
        let u = line.utf8
        guard u.count > 11 else { return nil }
        let start = u.index(u.startIndex, offsetBy: 11)
        guard let c1 = u[start...].prefix(48).firstIndex(of: 0x3A) else { return nil }
        let levelStart = u.index(after: c1)
        guard let c2 = u[levelStart...].prefix(9).firstIndex(of: 0x3A) else { return nil }
        let level = line[levelStart..<c2]
        guard liteLLMLevels.contains(level) else { return nil }
        let after = line[u.index(after: c2)...]
        let message = ByteSearch.range(of: " - ", in: after).map { after[$0.upperBound...] } ?? after
        return (level, message)
    }

    /// uvicorn access: `INFO:     127.0.0.1:57754 - "POST /v1/chat/completions HTTP/1.1" 500 Internal Server Error`.
    static func uvicornAccess(_ line: String) -> (method: String, target: String, status: Int, reason: String?)? {
        guard ByteSearch.contains(line, " - \""), ByteSearch.contains(line, " HTTP/") else { return nil }
        guard let q1 = line.firstIndex(of: "\"") else { return nil }
        let afterQ = line[line.index(after: q1)...]
        guard let q2 = afterQ.firstIndex(of: "\"") else { return nil }
        let request = afterQ[..<q2].split(separator: " ")
        guard request.count >= 2 else { return nil }
        let tail = ByteSearch.trimmedBlanks(afterQ[afterQ.index(after: q2)...])
        let statusText = tail.prefix { $0.isNumber }
        guard statusText.count == 3, let status = Int(statusText) else { return nil }
        let reason = ByteSearch.trimmedBlanks(tail.dropFirst(3))
        return (String(request[0]), String(request[1]), status, reason.isEmpty ? nil : reason)
    }

    struct GinAccess {
        var requestID: String?
        var status: Int
        var durationMs: Double?
        var method: String
        var target: String
        var clock: String
    }

    /// `[GIN] 2024/07/03 - 20:55:02 | <request id> | 503 |  1.9ms |  203.0.113.7 |  POST /v1/chat/completions`
    /// (One API / New API), or Gin's default without the id and with the path in quotes.
    static func ginAccess(_ line: String) -> GinAccess? {
        let fields = line.components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count >= 5 else { return nil }
        var k = 1
        var id: String?
        if !(fields[1].count == 3 && fields[1].allSatisfy(\.isNumber)) { id = fields[1]; k = 2 }
        guard fields.count >= k + 4, let status = Int(fields[k]) else { return nil }
        let mp = fields[k + 3].split(separator: " ", omittingEmptySubsequences: true)
        guard mp.count >= 2 else { return nil }
        let target = mp[1...].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let clock = String(fields[0].dropFirst(6))
        return GinAccess(requestID: id, status: status, durationMs: goDuration(fields[k + 1]),
                         method: String(mp[0]), target: target, clock: clock)
    }

    /// Milliseconds of a Go duration string (`1.914501ms`, `4.233µs`, `1.2s`, `1m2.5s`).
    static func goDuration(_ s: String) -> Double? {
        var total = 0.0, number = "", unit = ""
        var any = false
        func flush() -> Bool {
            guard let v = Double(number) else { return false }
            switch unit {
            case "h": total += v * 3_600_000
            case "m": total += v * 60_000
            case "s": total += v * 1000
            case "ms": total += v
            case "µs", "us", "μs": total += v / 1000
            case "ns": total += v / 1_000_000
            default: return false
            }
            any = true; number = ""; unit = ""
            return true
        }
        for ch in s {
            if ch.isNumber || ch == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(ch)
            } else {
                unit.append(ch)
            }
        }
        guard flush(), any else { return nil }
        return total
    }

    struct GinRecord {
        var level: String
        var requestID: String?
        var message: String
    }

    static let ginLevels = ["[ERR]", "[ERROR]", "[WARN]", "[INFO]", "[SYS]", "[DEBUG]", "[FATAL]"]

    /// `[ERR] 2024/07/03 - 20:55:02 | <request id> | message`, the 2025 form
    /// `[ERROR] … | <id> | file.go:20 [func] message`, and New API's `… | <id> | user 5 | message`.
    static func ginRecord(_ line: String) -> GinRecord? {
        guard let close = line.firstIndex(of: "]"),
              let level = ginLevels.first(where: { line.hasPrefix($0) }), line[...close] == level[...] else { return nil }
        var fields = line.components(separatedBy: " | ")
        guard fields.count >= 2 else { return nil }
        fields.removeFirst()  // level and time
        var id: String?
        if let f = fields.first?.trimmingCharacters(in: .whitespaces), fields.count >= 2, isGinRequestID(f) || f == "SYSTEM" {
            id = f == "SYSTEM" ? nil : f
            fields.removeFirst()
        }
        if fields.count >= 2, fields[0].hasPrefix("user "), fields[0].dropFirst(5).allSatisfy(\.isNumber) { fields.removeFirst() }
        var message = fields.joined(separator: " | ").trimmingCharacters(in: .whitespaces)
        // 2025 format: `relay/controller/text.go:45 [RelayTextHelper] message`.
        if let sp = message.firstIndex(of: " "), message[..<sp].contains(".go:"),
           let fnEnd = message[sp...].firstIndex(of: "]") {
            message = message[message.index(after: fnEnd)...].trimmingCharacters(in: .whitespaces)
        }
        return GinRecord(level: String(level.dropFirst().dropLast()), requestID: id, message: message)
    }

    /// One API / New API request ids: `yyyyMMddHHmmss` + digits, optionally + letters.
    static func isGinRequestID(_ s: String) -> Bool {
        s.utf8.count >= 20 && s.utf8.count <= 48 && s.utf8.prefix(14).allSatisfy { (0x30...0x39).contains($0) }
            && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    struct NginxAccess {
        var method: String
        var target: String
        var status: Int
        var time: Date?
        var userAgent: String?
    }

    /// nginx/Apache `combined` (and `main` with extra fields appended):
    /// `203.0.113.7 - - [02/May/2025:08:15:30 +0000] "GET /models HTTP/1.1" 200 1542 "-" "OpenAI/Python 1.76.0"`.
    static func nginxAccess(_ line: String) -> NginxAccess? {
        guard ByteSearch.contains(line, " ["), ByteSearch.contains(line, "] \""),
              let open = ByteSearch.range(of: " [", in: line), let close = ByteSearch.range(of: "] \"", in: line[open.upperBound...])
        else { return nil }
        let stamp = String(line[open.upperBound..<close.lowerBound])
        let afterReq = line[close.upperBound...]
        guard let reqEnd = afterReq.firstIndex(of: "\"") else { return nil }
        let request = afterReq[..<reqEnd].split(separator: " ")
        guard request.count >= 2 else { return nil }
        let tail = afterReq[afterReq.index(after: reqEnd)...]
        let nums = tail.split(separator: " ", maxSplits: 2)
        guard let first = nums.first, first.count == 3, let status = Int(first) else { return nil }
        // Quoted fields after status and size: referer, user agent.
        let quoted = tail.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        let ua = quoted.count >= 2 ? quoted[1] : nil
        return NginxAccess(method: String(request[0]), target: String(request[1]), status: status,
                           time: LogTime.nginx(stamp), userAgent: ua == "-" ? nil : ua)
    }

    /// The access fields of a JSON log line (method, path, status by their common names), or
    /// nil when the line is not an access record.
    static func jsonAccess(_ o: [String: JSONValue]) -> (method: String?, target: String?, status: Int?)? {
        func str(_ keys: [String]) -> String? {
            for k in keys { if let v = o[k]?.string, !v.isEmpty, v != "-" { return v } }
            return nil
        }
        var method = str(["method", "request_method", "http_method", "verb", "httpMethod"])
        var target = str(["path", "uri", "request_uri", "url", "request_path", "route", "endpoint"])
        if (method == nil || target == nil), let r = str(["request"]) {
            let parts = r.split(separator: " ")
            if parts.count >= 2 { method = method ?? String(parts[0]); target = target ?? String(parts[1]) }
        }
        var status: Int?
        for k in ["status", "status_code", "statusCode", "response_status", "http_status", "code"] {
            if let s = o[k]?.string, let n = Int(s), (100...599).contains(n) { status = n; break }
        }
        guard target != nil || (method != nil && status != nil) else { return nil }
        return (method?.uppercased(), target, status)
    }

    /// LiteLLM's start-up banner and other lines known to carry nothing. Read on the bytes of
    /// the line's head (after leading blanks): every line no other shape claimed passes here.
    static func isBannerOrNoise(_ line: String) -> Bool {
        let u = line.utf8
        let r: Bool? = u.withContiguousStorageIfAvailable { b in
            // Only the first 160 characters count (as before: a banner word far along a run of
            // blanks is not a banner); blanks are one byte each.
            var i = 0
            while i < b.count, i < 160, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            guard i < b.count, i < 160 else { return false }
            let c = b[i]
            if c == 0x23 { return isHashBanner(line) }  // '#'
            if c == 0xE2 {  // U+2500…U+259F (box drawing, block elements) are E2 94 80 … E2 96 9F
                guard i + 2 < b.count else { return false }
                let v = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F)
                return (0x2500...0x259F).contains(v)
            }
            let head = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[i...]))
            for s: StaticString in ["Thank you for using LiteLLM", "Give Feedback / Get Help", "LiteLLM: Proxy initialized",
                                    "Requester IP Address:", "Debug this by setting"]
            where head.count >= s.utf8CodeUnitCount && i + s.utf8CodeUnitCount <= 160 && memcmp(head.baseAddress!, s.utf8Start, s.utf8CodeUnitCount) == 0 {
                return true
            }
            return false
        }
        return r ?? slowBannerOrNoise(line)
    }

    /// A `#####` banner row: short, and `#` at both ends.
    private static func isHashBanner(_ line: String) -> Bool {
        line.utf8.count < 400 && line.trimmingCharacters(in: .whitespaces).hasSuffix("#")
    }

    private static func slowBannerOrNoise(_ line: String) -> Bool {
        let t = line.prefix(160).drop { $0 == " " || $0 == "\t" }
        if t.hasPrefix("#") { return isHashBanner(line) }
        if t.unicodeScalars.first.map({ (0x2500...0x259F).contains($0.value) }) == true { return true }  // box drawing
        for s in ["Thank you for using LiteLLM", "Give Feedback / Get Help", "LiteLLM: Proxy initialized",
                  "Requester IP Address:", "Debug this by setting"] where t.hasPrefix(s) { return true }
        return false
    }
}
