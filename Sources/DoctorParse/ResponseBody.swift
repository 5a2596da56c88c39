import DoctorIngest
import DoctorModel

/// Reads what the rules need out of a response body, whatever the server's shape: the error
/// object (OpenAI `{"error":{…}}`, FastAPI `{"detail":…}`, vLLM `{"object":"error",…}`, Ollama
/// `{"error":"…"}`, New API/One API variants) and the model ids of a `/models` list.
public enum ResponseBody {
    /// The error object of a body, or nil when the body carries none.
    public static func apiError(from body: JSONValue) -> APIError? {
        if let e = body["error"] {
            // `{"error": true, "message": "you are not allowed to use x model"}` (NextChat's
            // own refusals): the flag says it failed, the message says why.
            if case .bool(true) = e, let m = body["message"]?.string { return APIError(message: m) }
            if let s = e.string { return APIError(message: s) }
            if e.object != nil {
                // Some gateways wrap the upstream's JSON error as a string in `message`.
                var err = APIError(type: e["type"]?.string, code: e["code"]?.string,
                                   message: e["message"]?.string, param: e["param"]?.string)
                if let inner = err.message.flatMap({ JSONValue.parse($0) }), let innerErr = apiError(from: inner),
                   let m = innerErr.message {
                    err.message = m
                    if err.code == nil { err.code = innerErr.code }
                }
                return err
            }
        }
        if body["object"]?.string == "error" || (body["message"] != nil && (body["code"] != nil || body["type"] != nil)) {
            return APIError(type: body["type"]?.string, code: body["code"]?.string,
                            message: body["message"]?.string, param: body["param"]?.string)
        }
        if let d = body["detail"] {
            if let s = d.string { return APIError(message: s) }
            if let arr = d.array, let first = arr.first {
                return APIError(type: first["type"]?.string, message: first["msg"]?.string ?? first.jsonText)
            }
            return APIError(message: d.jsonText)
        }
        if body["success"]?.string == "false", let m = body["message"]?.string { return APIError(message: m) }
        return nil
    }

    /// The error object of a body given as text (JSON); nil when not JSON or no error.
    public static func apiError(fromText text: String) -> APIError? {
        JSONValue.parse(text).flatMap(apiError(from:))
    }

    /// Model ids of an OpenAI-style list (`{"object":"list","data":[{"id":…}]}`); `[]` for an
    /// empty list; nil when the body is not in that shape (see `listShape`).
    public static func listedModels(from body: JSONValue) -> [String]? {
        guard let data = body["data"]?.array else { return nil }
        return data.compactMap { $0["id"]?.string ?? $0.string }
    }

    /// For a 2xx `/models` body that `listedModels` cannot read: its shape, e.g.
    /// `object-with-models` (`{"models":[…]}`), `array`, `object-without-data`; nil when readable.
    public static func listShape(of body: JSONValue) -> String? {
        if listedModels(from: body) != nil { return nil }
        switch body {
        case .array: return "array"
        case .object(let o):
            if o["models"] != nil { return "object-with-models" }
            if o["error"] != nil { return nil }
            return "object-without-data"
        default: return "not-an-object"
        }
    }
}

extension Exchange {
    /// Fills `error`, `listedModels` and `listShape` from `responseBody` when it is JSON.
    public mutating func readResponseBody() {
        guard let body = responseBody, let json = JSONValue.parse(body) else { return }
        readResponseBody(json: json)
    }

    /// The same, from a body already parsed (the HAR reader parses bodies from their bytes).
    public mutating func readResponseBody(json: JSONValue) {
        if error == nil { error = ResponseBody.apiError(from: json) }
        let listCall = isModelListCall  // parses the URL: once
        let isList = listCall || (json["object"]?.string == "list" && json["data"] != nil)
        if isList, (status ?? 200) < 300 {
            listedModels = ResponseBody.listedModels(from: json)
            if listedModels == nil, listCall { listShape = ResponseBody.listShape(of: json) }
        }
    }
}

extension Exchange {
    /// A `GET …/models` list call (not `/models/{id}`, which retrieves one model).
    public var isModelListCall: Bool {
        // One parse of the URL (`endpoint` would parse it again); asked for every HAR exchange.
        guard let parts = urlParts, parts.endpoint == .models else { return false }
        var p = Substring(parts.path)
        while p.hasSuffix("/") && p.count > 1 { p = p.dropLast() }
        return p.hasSuffix("/models")
    }
}
