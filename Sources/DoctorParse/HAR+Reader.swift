import DoctorIngest
import DoctorModel
import Foundation

extension HAR {
    /// Where the parts of a plain HAR document are: the offset of each `log.entries` element.
    struct Layout {
        var creatorName: String?
        var entries: [Int] = []
    }

    /// The layout of a document `isPlainJSON` accepted, or nil when it is not the plain
    /// `{"log": {…, "entries": […]}}` shape (the decoder then reads it, as before).
    ///
    /// Mirrors how `Document`/`Log`/`Creator` decode: the first of duplicate keys wins, a
    /// `creator` with a field of the wrong type has no name.
    /// `spans` (from `scanEntries`) lets the walk over `log.entries` step over each entry
    /// without reading it again; an element with no span there is stepped over byte by byte.
    static func layout(_ b: Bytes, spans: [EntrySpan] = []) -> Layout? {
        let root = b.skipSpace(0)
        guard b.byte(root) == 0x7B else { return nil }
        var log: Int?
        b.members(root) { key, v in
            if log == nil, b.key(key, is: "log") { log = v }
        }
        guard let log, b.byte(log) == 0x7B else { return nil }
        var creator: Int?, entries: Int?
        b.members(log) { key, v in
            if creator == nil, b.key(key, is: "creator") { creator = v }
            else if entries == nil, b.key(key, is: "entries") { entries = v }
        }
        guard let entries, b.byte(entries) == 0x5B else { return nil }
        var layout = Layout()
        if let creator { layout.creatorName = creatorName(b, creator) }
        var k = b.skipSpace(entries + 1), s = 0
        if b.byte(k) == 0x5D { return layout }
        while k < b.n {
            layout.entries.append(k)
            while s < spans.count, spans[s].start < k { s += 1 }
            let end = s < spans.count && spans[s].start == k ? spans[s].end ?? b.valueEnd(k) : b.valueEnd(k)
            k = b.skipSpace(end)
            guard b.byte(k) == 0x2C else { break }
            k = b.skipSpace(k + 1)
        }
        return layout
    }

    /// `creator.name` as the synthesized `Creator` decoding gives it.
    private static func creatorName(_ b: Bytes, _ at: Int) -> String? {
        guard b.byte(at) == 0x7B else { return nil }
        var name: String?
        var seen = 0, typeMismatch = false
        b.members(at) { key, v in
            let bit = b.key(key, is: "name") ? 1 : b.key(key, is: "version") ? 2 : b.key(key, is: "comment") ? 4 : 0
            guard bit != 0, seen & bit == 0 else { return }
            seen |= bit
            switch b.byte(v) {
            case 0x22: if bit == 1 { name = b.stringValue(v) }
            case 0x6E: break  // null
            default: typeMismatch = true
            }
        }
        return typeMismatch ? nil : name
    }

    /// One entry read from bytes, its two body texts left undecoded until needed.
    struct RawEntry {
        var entry = Entry()
        /// `request.postData.text`, inside the quotes.
        var postText: Range<Int>?
        /// `response.content.text`, inside the quotes.
        var contentText: Range<Int>?

        /// Decodes the body texts into `entry`.
        mutating func loadTexts(_ b: Bytes) {
            if let s = postText { entry.request?.postData?.text = b.string(s) }
            if let s = contentText { entry.response?.content?.text = b.string(s) }
        }
    }

    /// The entry at `at` exactly as `JSONDecoder` decodes `HAR.Entry` (see HAR+Model.swift),
    /// bodies aside: a value of the wrong type leaves its field nil, the first of duplicate keys
    /// wins, an element that is not an object gives an empty entry.
    static func readEntry(_ b: Bytes, _ at: Int) -> RawEntry {
        var r = RawEntry()
        guard b.byte(at) == 0x7B else { return r }
        var seen = FirstKeys()
        // `request` and `response` are most of an entry: their readers give where they end,
        // so the walk does not step over them again.
        b.membersReading(at) { key, v -> Int? in
            if b.key(key, is: "request") {
                if seen.first(1) { let (x, end) = request(b, v, text: &r.postText); r.entry.request = x; return end }
            } else if b.key(key, is: "response") {
                if seen.first(2) { let (x, end) = response(b, v, text: &r.contentText); r.entry.response = x; return end }
            } else if b.key(key, is: "startedDateTime") {
                if seen.first(4) { r.entry.startedDateTime = b.stringValue(v) }
            } else if b.key(key, is: "time") {
                if seen.first(8) { r.entry.time = number(b, v) }
            } else if b.key(key, is: "serverIPAddress") {
                if seen.first(16) { r.entry.serverIPAddress = b.stringValue(v) }
            } else if b.key(key, is: "_resourceType") {
                if seen.first(32) { r.entry.resourceType = b.stringValue(v) }
            } else if b.key(key, is: "_error") {
                if seen.first(64) { r.entry.error = b.stringValue(v) }
            }
            return nil
        }
        return r
    }

    /// `KeyedDecodingContainer.number`: a JSON number, or a string holding one.
    private static func number(_ b: Bytes, _ at: Int) -> Double? {
        if let d = b.numberValue(at) { return d }
        return b.stringValue(at).flatMap { Double(ByteSearch.trimmedBlanks($0)) }
    }

    /// The request at `at` and the offset past it (nil when it is not an object: stepped over).
    private static func request(_ b: Bytes, _ at: Int, text: inout Range<Int>?) -> (Request?, Int?) {
        guard b.byte(at) == 0x7B else { return (nil, nil) }
        var r = Request()
        var seen = FirstKeys()
        let end = b.membersReading(at) { key, v -> Int? in
            if b.key(key, is: "method") {
                if seen.first(1) { let (s, end) = b.stringValueAndEnd(v); r.method = s; return end }
            } else if b.key(key, is: "url") {
                if seen.first(2) { let (s, end) = b.stringValueAndEnd(v); r.url = s; return end }
            } else if b.key(key, is: "headers") {
                if seen.first(4) { let (h, end) = nameValues(b, v); r.headers = h; return end }
            } else if b.key(key, is: "postData") {
                if seen.first(8) { let (x, end) = body(b, v, text: &text); r.postData = x; return end }
            }
            return nil
        }
        return (r, end)
    }

    private static func response(_ b: Bytes, _ at: Int, text: inout Range<Int>?) -> (Response?, Int?) {
        guard b.byte(at) == 0x7B else { return (nil, nil) }
        var r = Response()
        var seen = FirstKeys()
        let end = b.membersReading(at) { key, v -> Int? in
            if b.key(key, is: "status") {
                if seen.first(1) { r.status = number(b, v).flatMap(HAR.statusCode) }
            } else if b.key(key, is: "statusText") {
                if seen.first(2) { r.statusText = b.stringValue(v) }
            } else if b.key(key, is: "headers") {
                if seen.first(4) { let (h, end) = nameValues(b, v); r.headers = h; return end }
            } else if b.key(key, is: "content") {
                if seen.first(8) { let (x, end) = body(b, v, text: &text); r.content = x; return end }
            } else if b.key(key, is: "_failureText") {
                if seen.first(16) { r.failureText = b.stringValue(v) }
            } else if b.key(key, is: "_error") {
                if seen.first(32) { r.error = b.stringValue(v) }
            }
            return nil
        }
        return (r, end)
    }

    /// `postData` / `content`; the text stays a span (nil when it is not a string).
    private static func body(_ b: Bytes, _ at: Int, text: inout Range<Int>?) -> (Body?, Int?) {
        guard b.byte(at) == 0x7B else { return (nil, nil) }
        var r = Body()
        var seen = FirstKeys()
        let end = b.members(at) { key, v in
            if b.key(key, is: "mimeType") {
                if seen.first(1) { r.mimeType = b.stringValue(v) }
            } else if b.key(key, is: "text") {
                if seen.first(2) { text = b.stringSpan(v) }
            } else if b.key(key, is: "encoding") {
                if seen.first(4) { r.encoding = b.stringValue(v) }
            }
        }
        return (r, end)
    }

    /// A header list: nil unless every element is an object (an array decode fails whole);
    /// and the offset past the array (nil when it is not one: stepped over).
    private static func nameValues(_ b: Bytes, _ at: Int) -> ([NameValue]?, Int?) {
        guard b.byte(at) == 0x5B else { return (nil, nil) }
        var list: [NameValue] = []
        var ok = true
        let end = b.elements(at) { e in
            guard ok else { return }
            guard b.byte(e) == 0x7B else { ok = false; return }
            var nv = NameValue()
            var seen = 0
            // Each name and value string is scanned once: its reader gives where it ends.
            b.membersReading(e) { key, v -> Int? in
                if seen & 1 == 0, b.key(key, is: "name") {
                    seen |= 1
                    let (s, end) = b.stringValueAndEnd(v)
                    nv.name = s
                    return end
                } else if seen & 2 == 0, b.key(key, is: "value") {
                    seen |= 2
                    let (s, end) = b.stringValueAndEnd(v)
                    nv.value = s
                    return end
                }
                return nil
            }
            list.append(nv)
        }
        return (ok ? list : nil, end)
    }
}

/// Which keys of one JSON object were read: the first occurrence of a duplicated key wins, as
/// with the decoder the byte reader stands in for. Each key the reader knows has one bit.
struct FirstKeys {
    private var bits = 0
    /// True the first time `bit` is asked for, false after.
    @inline(__always) mutating func first(_ bit: Int) -> Bool {
        guard bits & bit == 0 else { return false }
        bits |= bit
        return true
    }
}
