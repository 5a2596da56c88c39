import DoctorIngest
import DoctorModel
import Foundation

/// Lines read from their bytes (`LogParser.consume(bytes:)`). Most lines of a dense log are
/// traceback source lines, frames that every failed call repeats and the transport's debug
/// lines, and `consume(_:)` reads them by a prefix test alone: here they become no `String`.
/// Each test is the byte form of the one `consume(_:)` makes, on bytes that are the text's
/// own (ASCII wherever more than the first byte is read: invalid UTF-8 would be repaired in
/// the text); a line any of them cannot settle is declined before anything is changed, and
/// `consume(_:)` reads it.
extension PythonSDKLogParser {
    public mutating func consume(bytes line: LineBytes) -> Bool {
        guard optionsBuffer == nil else { return false }
        let u = line.bytes
        if let f = u.first, f == 0x20 || f == 0x09 {
            // No logging prefix starts so (`PyLogPrefix.head`).
            if Self.blank(u) { return blank() }
            guard pendingException == nil, inTraceback else { return false }
            return frame(bytes: line)
        }
        let headBytes = UnsafeBufferPointer(rebasing: u.prefix(200))
        guard ByteSearch.isASCII(headBytes) else { return false }
        let head = PyLogPrefix.head(headBytes)
        if unindented(line, head) { return true }
        // `consume(_:)` takes the head read here rather than read it again.
        headRead = (line.number, head)
        return false
    }

    /// A line that starts with no blank, its logging head read (nil: none).
    private mutating func unindented(_ line: LineBytes, _ head: PyLogHead?) -> Bool {
        let u = line.bytes
        if let head { return record(line, head) }
        if u.isEmpty { return blank() }
        if Self.starts(u, "Traceback (most recent call last)") {
            out.lines += 1
            flushException()
            inTraceback = true
            return true
        }
        if Self.starts(u, "During handling of the above exception") || Self.starts(u, "The above exception was the direct cause") {
            out.lines += 1
            flushException()
            return true
        }
        return false
    }

    /// A blank line: the collected exception takes it (as text), else nothing.
    private mutating func blank() -> Bool {
        guard pendingException == nil else { return false }
        out.lines += 1
        return true
    }

    /// The message prefixes `handle` dispatches on: a record with none of them, from the SDK's
    /// or the transport's logger, is only noted. (A case added to `handle` goes here too.)
    private static let dispatched: [StaticString] = [
        "Request options: ", "Building HTTP request: ", "Sending HTTP Request: ", "HTTP Response: ", "HTTP Request: ",
        "request_id: ", "Retrying request", "Retrying due to", "Retrying as header", "Encountered ",
        "Raising connection error", "Raising timeout error", "Could not read JSON from response data",
        "connect_tcp.started ", "connect_tcp.failed ", "start_tls.failed ", "connect_unix_socket.failed ",
        "receive_response_headers.complete return_value=",
    ]

    /// A log record whose message `handle` only notes (the SDK's and transport's other debug
    /// lines), or a `request_id: None` that only widens the call's range.
    private mutating func record(_ line: LineBytes, _ head: PyLogHead) -> Bool {
        let u = line.bytes
        let msg = UnsafeBufferPointer(rebasing: u[min(head.messageOffset, u.count)...])
        let logger = head.logger ?? ""
        let fromSDK = Self.startsWith(logger, "openai")
        var requestID = false
        if Self.starts(msg, "request_id: ") {
            // The call's range widens and no id is set: no text is kept (its evidence lines
            // are taken already) and no exception is collected that could change them first.
            guard pendingException == nil, Self.noID(UnsafeBufferPointer(rebasing: msg[12...])) else { return false }
            if let c = cur, Self.keepsText(c.ex, number: line.number, important: false) { return false }
            requestID = true
        } else {
            guard fromSDK || Self.startsWith(logger, "httpx") || Self.startsWith(logger, "httpcore") else { return false }
            for p in Self.dispatched where Self.starts(msg, p) { return false }
            if Self.ends(msg, "retries left") || Self.ends(msg, "retry left") { return false }
        }
        // What `consume(_:)` and `handle` do to such a line, in their order.
        out.lines += 1
        flushException()
        inTraceback = false
        if head.time != nil && !head.hasOffset { facts.timesWithoutOffset = true }
        linePool.prefixEnd = (line.number, head.messageOffset)
        if fromSDK { facts.sawSDK = true }
        if Self.startsWith(logger, "httpx2") || Self.startsWith(logger, "httpcore2") { facts.sawV3 = true }
        if requestID, cur != nil { Self.widen(&cur!.ex, path: path, line: line.number, last: line.number) }
        return true
    }

    /// An indented traceback line (`frame`): a source line is passed over; a frame is read
    /// when it is ASCII, the runtime is known, it names no proxy transport, and any SDK call
    /// it names is the one the frame before named.
    private mutating func frame(bytes line: LineBytes) -> Bool {
        let u = line.bytes
        guard Self.starts(u, "  File \"") else {
            out.lines += 1
            return true
        }
        guard facts.runtime != nil, ByteSearch.isASCII(u), !Self.contains(u, "http_proxy.py") else { return false }
        let oldRequestFrame = Self.contains(u, "_base_client.py\", line ")
            && (Self.ends(u, ", in _request") || Self.ends(u, ", in _retry_request"))
        var call: String?
        if let r = Self.after(u, "/openai/resources/") {
            guard let memo = frameCall else { return false }
            let same = memo.tail.utf8.withContiguousStorageIfAvailable { t in
                t.count == r.count && (t.count == 0 || memcmp(t.baseAddress!, r.baseAddress!, t.count) == 0)
            }
            guard same == true else { return false }
            call = memo.call
        }
        out.lines += 1
        if oldRequestFrame { facts.sawOldRequestFrame = true }
        if let call {
            lastCall = call
            carried.lastCallSet = true
        }
        return true
    }

    // MARK: Bytes

    /// Only spaces and tabs (or nothing), as `ByteSearch.isBlank`.
    private static func blank(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        u.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// `request_id: ` followed by `None` or nothing, between spaces and tabs.
    private static func noID(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var a = 0, b = u.count
        while a < b && (u[a] == 0x20 || u[a] == 0x09) { a += 1 }
        while b > a && (u[b - 1] == 0x20 || u[b - 1] == 0x09) { b -= 1 }
        return b == a || (b - a == 4 && starts(UnsafeBufferPointer(rebasing: u[a..<b]), "None"))
    }

    private static func starts(_ u: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        return u.count >= n && (n == 0 || memcmp(u.baseAddress!, p.utf8Start, n) == 0)
    }

    private static func ends(_ u: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        return u.count >= n && (n == 0 || memcmp(u.baseAddress! + (u.count - n), p.utf8Start, n) == 0)
    }

    private static func contains(_ u: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> Bool {
        ByteSearch.find(UnsafeRawBufferPointer(u), ByteSearch.bytes(p)) != nil
    }

    /// The bytes after the first `p`, or nil.
    private static func after(_ u: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let o = ByteSearch.find(UnsafeRawBufferPointer(u), ByteSearch.bytes(p)) else { return nil }
        return UnsafeBufferPointer(rebasing: u[(o + p.utf8CodeUnitCount)...])
    }
}
