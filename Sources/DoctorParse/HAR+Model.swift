import DoctorIngest
import DoctorModel
import Foundation

/// The narrow slice of HAR 1.2 the analyser reads.
///
/// A well-formed document is read straight from its bytes by `HAR.readEntry` (HAR+Reader.swift),
/// which fills these structs exactly as the decoders below would; `JSONDecoder` reads the
/// documents it does not take (a damaged file, trailing commas, a bad escape …).
///
/// Only the fields an exchange needs are declared, so the decoder skips everything else
/// (timings, cookies, cache, vendor `_` fields) without building values for them: decoding a
/// generic tree costs many times the file size in memory (see the perf baselines). Every field
/// is optional and decoded leniently: a missing or oddly typed field (a string `status`, a
/// `null` header value) leaves that field nil instead of failing the entry or the file.
package enum HAR {
    struct Document: Decodable {
        var log: Log?
    }

    struct Log: Decodable {
        var version: String?
        var creator: Creator?
        var entries: [Entry]?

        enum CodingKeys: String, CodingKey { case version, creator, entries }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            version = c.lenient(String.self, .version)
            creator = c.lenient(Creator.self, .creator)
            // A malformed entry must not cost the others: decode them one by one.
            if var list = try? c.nestedUnkeyedContainer(forKey: .entries) {
                var out: [Entry] = []
                while !list.isAtEnd {
                    if let e = try? list.decode(Entry.self) { out.append(e) }
                    else { _ = try? list.decode(Skip.self); out.append(Entry()) }
                }
                entries = out
            }
        }
    }

    struct Creator: Decodable {
        var name: String?
        var version: String?
        var comment: String?
    }

    struct Entry: Decodable {
        var startedDateTime: String?
        var time: Double?
        var request: Request?
        var response: Response?
        var serverIPAddress: String?
        var resourceType: String?
        /// Transport error text some producers store on the entry itself.
        var error: String?

        init() {}

        enum CodingKeys: String, CodingKey {
            case startedDateTime, time, request, response, serverIPAddress
            case resourceType = "_resourceType", error = "_error"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            startedDateTime = c.lenient(String.self, .startedDateTime)
            time = c.number(.time)
            request = c.lenient(Request.self, .request)
            response = c.lenient(Response.self, .response)
            serverIPAddress = c.lenient(String.self, .serverIPAddress)
            resourceType = c.lenient(String.self, .resourceType)
            error = c.lenient(String.self, .error)
        }
    }

    struct NameValue: Decodable {
        var name: String?
        var value: String?
        init() {}
        enum CodingKeys: String, CodingKey { case name, value }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = c.lenient(String.self, .name)
            value = c.lenient(String.self, .value)
        }
    }

    struct Request: Decodable {
        var method: String?
        var url: String?
        var headers: [NameValue]?
        var postData: PostData?

        init() {}
        enum CodingKeys: String, CodingKey { case method, url, headers, postData }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            method = c.lenient(String.self, .method)
            url = c.lenient(String.self, .url)
            headers = c.lenient([NameValue].self, .headers)
            postData = c.lenient(PostData.self, .postData)
        }
    }

    /// `request.postData` and `response.content` have the same three fields we read.
    struct Body: Decodable {
        var mimeType: String?
        var text: String?
        var encoding: String?
        init() {}
        enum CodingKeys: String, CodingKey { case mimeType, text, encoding }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mimeType = c.lenient(String.self, .mimeType)
            text = c.lenient(String.self, .text)
            encoding = c.lenient(String.self, .encoding)
        }
    }
    typealias PostData = Body
    typealias Content = Body

    struct Response: Decodable {
        var status: Int?
        var statusText: String?
        var headers: [NameValue]?
        var content: Content?
        /// Playwright / Chromium: why a request got no response (`net::ERR_CONNECTION_REFUSED`).
        var failureText: String?
        /// mitmproxy / Chrome: transport error text when `status` is 0.
        var error: String?

        init() {}
        enum CodingKeys: String, CodingKey {
            case status, statusText, headers, content
            case failureText = "_failureText", error = "_error"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = c.number(.status).flatMap(HAR.statusCode)
            statusText = c.lenient(String.self, .statusText)
            headers = c.lenient([NameValue].self, .headers)
            content = c.lenient(Content.self, .content)
            failureText = c.lenient(String.self, .failureText)
            error = c.lenient(String.self, .error)
        }
    }

    /// Consumes one value of any shape (used to step over an entry that is not an object).
    struct Skip: Decodable { init(from decoder: any Decoder) throws {} }
}

extension KeyedDecodingContainer {
    /// The value when present and of the right type; nil otherwise (never throws).
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// A number given as a JSON number or as a numeric string.
    func number(_ key: Key) -> Double? {
        if let d = lenient(Double.self, key) { return d }
        return lenient(String.self, key).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}

extension HAR {
    /// A HAR `status` as an integer, as before (`404`, `0` for a request that got no answer,
    /// a fraction truncated); `nil` for a value no integer holds (huge, infinite), which would
    /// otherwise trap when converted.
    static func statusCode(_ v: Double) -> Int? {
        guard v.isFinite, abs(v) < 1e15 else { return nil }
        return Int(v)
    }
}
