import DoctorIngest
import DoctorModel
import Foundation

/// One call being assembled from the log, with the state of its current attempt.
struct PyInFlight {
    enum Phase { case built, sent, responded }

    var ex = Exchange()
    var phase = Phase.built
    /// Which status lines this attempt already had (a second one of a kind is a new call).
    var sawHTTPXStatus = false
    var sawSDKStatus = false
    /// `Retrying request to …` was logged: the next attempt belongs to this exchange.
    var retryPending = false
    /// Where httpcore opened its TCP connection for this attempt.
    var connect: (host: String, port: Int)?
    var connectLine: Line?
    /// `url` of `Request options` (relative to the base URL).
    var optionsPath: String?
    /// The attempt was logged by openai 3.x (no URL, no body).
    var isV3 = false
    var sendTime: Date?
    var sendFractional = false
}

/// A multi-line `Request options` repr being collected until its brackets balance.
struct PyOptionsBuffer {
    var text: String
    var depth: Int
    var quote: UInt8
    var head: PyLogHead?
    var line: Line
    var lastLine: Int
    var lines = 1

    static let maxLines = 2000
    static let maxBytes = 4 << 20
}

/// An exception line (`openai.NotFoundError: Error code: 404 - …`) and the lines its
/// message continues on (an HTML body can span many), applied when the next record starts.
struct PyPendingException {
    /// Dotted class name as printed (`openai.NotFoundError`, `httpx.ConnectError`).
    var name: String
    var message: String
    var line: Line
    var lastLine: Int
    var extraLines = 0

    static let maxLines = 400
    static let maxBytes = 64 << 10

    /// Reads `module.Class: message` at column 0; outside a traceback only the exceptions of
    /// openai, httpx, httpcore and ssl are taken (a bare pasted error line).
    init?(line text: String, inTraceback: Bool) {
        var nameEnd = 0
        var lastDot = -1
        var text = text
        let (ok, restStart, restIsColonOnly) = text.withUTF8 { u -> (Bool, Int, Bool) in
            guard let f = u.first, PyLogPrefix.isUpper(f) || PyLogPrefix.isLower(f) || f == UInt8(ascii: "_") else { return (false, 0, false) }
            var i = 0
            while i < u.count, i < 120 {
                let b = u[i]
                guard PyLogPrefix.isUpper(b) || PyLogPrefix.isLower(b) || PyLogPrefix.isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") else { break }
                if b == UInt8(ascii: ".") { lastDot = i }
                i += 1
            }
            nameEnd = i
            if i == u.count { return (true, i, false) }
            guard u[i] == UInt8(ascii: ":"), i + 1 == u.count || u[i + 1] == 0x20 else { return (false, 0, false) }
            guard lastDot + 1 < i, PyLogPrefix.isUpper(u[lastDot + 1]) else { return (false, 0, false) }
            return (true, min(i + 2, u.count), i + 1 == u.count)
        }
        guard ok else { return nil }
        let u8 = text.utf8
        let name = String(decoding: u8.prefix(nameEnd), as: UTF8.self)
        let cls = lastDot >= 0 ? String(name[name.index(name.startIndex, offsetBy: lastDot + 1)...]) : name
        guard let c = cls.first, c.isUppercase else { return nil }
        let hasRest = restStart > nameEnd && !restIsColonOnly
        let known = ["openai.", "httpx.", "httpx2.", "httpcore.", "httpcore2.", "ssl.", "requests.", "urllib3."]
        if !inTraceback {
            guard known.contains(where: { name.hasPrefix($0) }), cls.hasSuffix("Error") || cls.hasSuffix("Timeout") || cls.hasSuffix("Exception") else { return nil }
        } else {
            guard cls.hasSuffix("Error") || cls.hasSuffix("Exception") || cls.hasSuffix("Timeout") || cls.hasSuffix("Interrupt")
                    || cls.hasSuffix("Exit") || cls.hasSuffix("Warning") || name.contains(".") || hasRest else { return nil }
        }
        self.name = name
        self.message = hasRest ? String(decoding: u8.dropFirst(restStart), as: UTF8.self) : ""
        self.line = Line(number: 0, text: "")
        self.lastLine = 0
    }

    /// The class name without its module.
    var className: String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return name }
        let rest = name[name.utf8.index(after: dot)...]
        return rest.isEmpty ? String(name.split(separator: ".").last ?? "") : String(rest)
    }

    mutating func append(_ line: Line) {
        guard extraLines < Self.maxLines, message.utf8.count < Self.maxBytes else { return }
        message += "\n" + line.text
        extraLines += 1
        lastLine = line.number
    }
}

/// What the whole file told about the SDK, for the format, `sdk` and the notes.
struct PyFileFacts {
    var sawSDK = false
    var sawV3 = false
    /// `_base_client.py … in _request` frames: the 1.x request loop (before 2.0's rewrite).
    var sawOldRequestFrame = false
    /// `Encountered an HTTP status error` (≈2.48 and later).
    var sawNewStatusWording = false
    var version: String?
    var runtime: String?
    var credential: String?
    var timesWithoutOffset = false

    /// Cheap per-line look used by the sniffer.
    mutating func observeForFormat(_ line: String) {
        if ByteSearch.contains(line, "Building HTTP request: method=") || ByteSearch.contains(line, "httpx2")
            || ByteSearch.contains(line, "httpcore2") { sawV3 = true }
        if ByteSearch.contains(line, "_base_client.py\", line "), line.hasSuffix(", in _request") { sawOldRequestFrame = true }
        if ByteSearch.contains(line, "Encountered an HTTP status error") { sawNewStatusWording = true }
        if version == nil, !ByteSearch.contains(line, "Request options: "), let v = PyAppFacts.sdkVersion(in: line) { version = v }
    }

    /// `openai-python-N.x` when the version is printed or the log's shape tells the major
    /// version; nil otherwise.
    ///
    /// Whether httpx prints `Headers({…})` or `Headers([(…)])` depends only on whether a header
    /// name repeats in the response, not on the SDK version (both shapes occur with 1.54.4 and
    /// 2.8.1), so it is not used here.
    var format: String? {
        if let v = version, let major = v.split(separator: ".").first { return "openai-python-\(major).x" }
        if sawV3 { return "openai-python-3.x" }
        if sawOldRequestFrame { return "openai-python-1.x" }
        if sawNewStatusWording { return "openai-python-2.x" }
        return nil
    }

    /// File-level notes: what this log cannot say.
    func notes(exchanges: [Exchange]) -> [String] {
        var notes: [String] = []
        if sawV3 {
            if exchanges.contains(where: { $0.url == nil }) {
                notes.append("openai 3.x logs no request URL, headers or body; URLs appear only where the httpx2 logger was enabled")
            } else {
                notes.append("openai 3.x logs no request headers or body; URLs come from the httpx2 logger")
            }
        } else if sawSDK {
            notes.append("openai-python logs no response bodies; error bodies come from the exception text only")
        }
        if timesWithoutOffset { notes.append("log times carry no UTC offset; read as UTC") }
        return notes
    }
}

/// Shares the storage of strings a log repeats on every call (header names and most header
/// values, URLs, request bodies): a dense log holds thousands of exchanges that would each
/// keep their own copies. Bounded, and only for short strings.
struct PyStringPool {
    private var pool: Set<String> = []
    static let maxEntries = 16_384
    static let maxBytes = 2048

    mutating func intern(_ s: String) -> String {
        guard s.utf8.count <= Self.maxBytes else { return s }
        if let shared = pool.firstIndex(of: s).map({ pool[$0] }) { return shared }
        // Emptied when full (values that never repeat, such as request ids, filled it for
        // good before, and the values every later call repeats were no longer shared).
        if pool.count >= Self.maxEntries { pool.removeAll(keepingCapacity: true) }
        pool.insert(s)
        return s
    }

    mutating func intern(_ s: String?) -> String? { s.map { intern($0) } }

    mutating func intern(_ headers: [Header]) -> [Header] {
        let list = HeaderList(headers: headers.map { Header(intern($0.name), intern($0.value)) })
        // The list itself is shared too: every call of one kind logs the same headers, and an
        // array per call was a large part of what a dense log kept.
        if let shared = lists.firstIndex(of: list).map({ lists[$0].headers }) { return shared }
        if lists.count >= Self.maxEntries { lists.removeAll(keepingCapacity: true) }
        lists.insert(list)
        return list.headers
    }

    private var lists: Set<HeaderList> = []

    /// Headers compared and hashed by the bytes of their names and values.
    struct HeaderList: Hashable {
        var headers: [Header]
        static func == (a: HeaderList, b: HeaderList) -> Bool {
            a.headers.count == b.headers.count
                && zip(a.headers, b.headers).allSatisfy { sameBytes($0.name, $1.name) && sameBytes($0.value, $1.value) }
        }
        func hash(into h: inout Hasher) {
            h.combine(headers.count)
            for x in headers {
                h.combine(ByteSearch.digest(x.name))
                h.combine(ByteSearch.digest(x.value))
            }
        }
    }
}

/// Byte-for-byte string equality (`==` on `String` is canonical equivalence).
func sameBytes(_ a: String, _ b: String) -> Bool {
    var x = a, y = b
    return x.withUTF8 { p in
        y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
    }
}

/// The evidence lines of the calls, each kept as its own logging prefix plus a message part
/// shared with every earlier line that said the same thing (`SourceLine(ref:head:sharedTail:)`).
/// A dense log repeats a few messages thousands of times with only the timestamps changed;
/// keeping each line whole made memory grow with the log's size at about its own rate.
///
/// Messages are matched byte for byte (not by `String` equality, which would merge canonically
/// equivalent but different texts), so every line's `text` is exactly the line as read.
struct PyLinePool {
    /// Line number and UTF-8 offset of the message of the last line with a logging prefix.
    var prefixEnd: (line: Int, offset: Int) = (-1, 0)
    private var pool: Set<Bytes> = []
    static let maxEntries = 4096
    // Every line a call keeps (up to `SourceLine.maxBytes`): a repeated `Request options` line
    // of 2–4 kB was kept whole per call, about 12 MB at 512 MB of log.
    static let maxBytes = SourceLine.maxBytes
    /// Cut message parts of lines over `SourceLine.maxBytes`, by the message and the length
    /// of the prefix before it (see `cut`).
    private var cutTails: [CutKey: String] = [:]
    static let maxCutTails = 256

    struct CutKey: Hashable {
        var tail: Bytes
        var headBytes: Int
    }

    /// A string compared and hashed by its UTF-8 bytes.
    struct Bytes: Hashable {
        var s: String
        static func == (a: Bytes, b: Bytes) -> Bool { sameBytes(a.s, b.s) }
        func hash(into h: inout Hasher) { h.combine(ByteSearch.digest(s)) }
    }

    /// `line` as evidence at `ref`: split after the timestamp of its logging prefix (when it
    /// is the line whose prefix was read last; after the whole prefix when that starts with
    /// no timestamp) or whole, the part after the split shared.
    mutating func line(_ ref: SourceRef, _ line: Line) -> SourceLine {
        let text = line.text
        let u = text.utf8
        let offset = prefixEnd.line == line.number ? prefixEnd.offset : 0
        if u.count > SourceLine.maxBytes, let kept = cut(ref, text, offset) { return kept }
        // The rest of a prefix (logger, line number, level) is the same on every line of one
        // message, and a dense log stamps a call's lines within the same second: split after
        // the timestamp, each line's own part is one string per second for all its lines
        // (after the whole prefix it was one per second, logger and level: a few per call).
        let split = Self.stampEnd(u, prefix: offset)
        let tailBytes = u.count - split
        // Short tails are stored inline in the string itself: nothing to share.
        guard tailBytes > 15, tailBytes <= Self.maxBytes, u.count <= SourceLine.maxBytes,
              let i = u.index(u.startIndex, offsetBy: split, limitedBy: u.endIndex),
              i.samePosition(in: text.unicodeScalars) != nil else {
            return SourceLine(ref: ref, text: recent(text))
        }
        let tail = Bytes(s: split == 0 ? text : String(text[i...]))
        let shared: String
        if let j = pool.firstIndex(of: tail) {
            shared = pool[j].s
        } else {
            // Emptied when full, as `PyStringPool`: a log's unique lines (each call's response
            // headers with its request id) filled it for good, and the lines every later call
            // repeats were then kept once per call.
            if pool.count >= Self.maxEntries { pool.removeAll(keepingCapacity: true) }
            pool.insert(tail)
            shared = tail.s
        }
        return SourceLine(ref: ref, head: split == 0 ? "" : recent(String(text[..<i])), sharedTail: shared)
    }

    /// The UTF-8 offset just after the timestamp that opens a logging prefix of `prefix`
    /// bytes (`[2026-11-29 03:17:41 - ` of the SDK's layout: at most one byte before it,
    /// then digits, separators and the spaces after them), or `prefix` when the prefix does
    /// not open with one (`DEBUG:openai…`). Every byte before the offset is ASCII.
    static func stampEnd(_ u: String.UTF8View, prefix: Int) -> Int {
        var i = 0, digits = 0
        for b in u.prefix(prefix) {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
            case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: ","),
                 UInt8(ascii: " "), UInt8(ascii: "/"), UInt8(ascii: "T"):
                if digits == 0 && i > 0 { return prefix }
            case UInt8(ascii: "["), UInt8(ascii: "("):
                if i > 0 { return digits >= 6 ? i : prefix }
            default:
                return digits >= 6 ? i : prefix
            }
            i += 1
        }
        return prefix
    }

    /// A line over `SourceLine.maxBytes` (a large `Request options` repr), cut as
    /// `SourceLine(ref:text:)` cuts it, its cut message part shared with every line that
    /// repeats the message after a prefix of the same length (each call kept a cut copy of
    /// its own before). Only where that cut is the prefix plus the cut message: an ASCII
    /// prefix, not ending in CR, before an ASCII byte, so every prefix byte is one Character
    /// and the Characters of the message start where its bytes do. Nil otherwise.
    private mutating func cut(_ ref: SourceRef, _ text: String, _ offset: Int) -> SourceLine? {
        var t = text
        let ok: Bool = t.withUTF8 { u in
            guard offset < u.count, offset < SourceLine.maxBytes, u[offset] < 0x80 else { return false }
            if offset > 0 && u[offset - 1] == 0x0D { return false }
            return ByteSearch.isASCII(UnsafeBufferPointer(rebasing: u[..<offset]))
        }
        guard ok else { return nil }
        let u = text.utf8
        let i = u.index(u.startIndex, offsetBy: offset)
        let key = CutKey(tail: Bytes(s: String(text[i...])), headBytes: offset)
        let cutTail: String
        if let hit = cutTails[key] {
            cutTail = hit
        } else {
            cutTail = String(text[i...].prefix(SourceLine.maxBytes - offset)) + "…"
            if cutTails.count >= Self.maxCutTails { cutTails.removeAll(keepingCapacity: true) }
            cutTails[key] = cutTail
        }
        return SourceLine(ref: ref, head: offset == 0 ? "" : recent(String(text[..<i])), cutTail: cutTail)
    }

    /// Logging prefixes (and short whole lines) met lately, shared by every line that repeats
    /// one byte for byte: openai-python stamps its lines to the second (`datefmt` without
    /// milliseconds), so the calls of one second repeat the same few prefixes, and a kept
    /// line's own prefix was its largest part. Emptied when full, as the clock only moves on.
    private var recentHeads: Set<Bytes> = []
    static let maxRecent = 512
    static let maxRecentBytes = 160

    /// `s`, or the string of the same bytes met lately.
    private mutating func recent(_ s: String) -> String {
        // Up to 15 bytes a string is stored inline: nothing to share.
        let n = s.utf8.count
        guard n > 15, n <= Self.maxRecentBytes else { return s }
        let key = Bytes(s: s)
        if let j = recentHeads.firstIndex(of: key) { return recentHeads[j].s }
        if recentHeads.count >= Self.maxRecent { recentHeads.removeAll(keepingCapacity: true) }
        recentHeads.insert(key)
        return s
    }
}

/// Results of reading a message text, by the text's bytes: a dense log repeats a few calls
/// thousands of times, and reading the same repr gives the same values (the readers are pure;
/// strings interned the first time are the ones the pool would hand out again).
/// Bounded in entries and key length; past the bound texts are read every time.
struct PyMemo<Value> {
    private var table: [PyLinePool.Bytes: Value] = [:]
    static var maxEntries: Int { 4096 }
    static var maxKeyBytes: Int { 64 * 1024 }

    /// The key of `text`, nil when it is too long to keep.
    static func key(_ text: Substring) -> PyLinePool.Bytes? {
        text.utf8.count <= maxKeyBytes ? PyLinePool.Bytes(s: String(text)) : nil
    }

    func find(_ key: PyLinePool.Bytes) -> Value? { table[key] }

    mutating func store(_ key: PyLinePool.Bytes, _ value: Value) {
        if table.count < Self.maxEntries { table[key] = value }
    }
}

/// A `Request options` repr as read: the options (nil when unreadable) and the body as JSON text.
struct ParsedOptions {
    var options: PyMessage.Options?
    var requestBody: String?
    /// What every call carrying these options gets from them, read with them once per repr:
    /// the body's model and stream flag, the key and the SDK the headers name (each call read
    /// them again before, the SDK's strings built anew every time).
    var model: String?
    var stream = false
    var credential: String?
    var sdk: SDKInfo?

    init(options: PyMessage.Options?, requestBody: String?) {
        self.options = options
        self.requestBody = requestBody
        if let body = options?.body {
            model = body["model"]?.string
            if case .bool(let b)? = body["stream"] { stream = b }
        }
        if let h = options?.headers, !h.isEmpty {
            credential = PyAppFacts.credential(fromHeaders: h)
            sdk = SDKInfo.from(headers: h)
        }
    }
}

/// httpcore's raw response head as read, headers interned.
struct WireHead {
    var status: Int
    var reason: String?
    var headers: [Header]
}
