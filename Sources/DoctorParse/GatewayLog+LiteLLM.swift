import DoctorIngest
import DoctorModel
import Foundation

/// LiteLLM proxy records: request bodies, request headers, and the error of a failed call.
extension GatewayLogParser {
    /// LiteLLM's `Exception occured - <error>` (sic, both spellings) in a plain or JSON record:
    /// the failed call's error and call id. True when the message was one.
    mutating func offerLiteLLMException(_ message: some StringProtocol, line: Line, text: String) -> Bool {
        guard let r = GatewayLog.liteLLMExceptionMarker(in: message) else { return false }
        let (e, callID) = GatewayLog.liteLLMError(Substring(message[r...]))
        if let callID { pending.requestID = callID }
        pending.offer(e, rank: 3)
        pending.note(line, text)
        return true
    }

    mutating func liteLLMRecord(_ text: String, line: Line) {
        sawClockOnlyTimes = true
        guard let (level, message) = GatewayLog.liteLLMParts(text) else { return }
        if ByteSearch.hasPrefix(message, "Request received by LiteLLM") {
            expectRequestBody = true
            return
        }
        if pending.model == nil, ByteSearch.hasPrefix(message, "receiving data: {") {
            readPythonDict(message)
            return
        }
        if pending.sdk == nil, ByteSearch.hasPrefix(message, "Request Headers: {") {
            pending.sdk = SDKInfo.from(headers: GatewayLog.pythonDictHeaders(message))
            return
        }
        if offerLiteLLMException(message, line: line, text: text) { return }
        if let r = ByteSearch.range(of: "An error occurred: ", in: message) {
            pending.offer(GatewayLog.liteLLMError(message[r.upperBound...]).0, rank: 2)
            return
        }
        if level == "WARNING" || level == "ERROR" || level == "CRITICAL",
           let type = GatewayLog.liteLLMErrorType(message) {
            pending.offer(APIError(type: type.isEmpty ? nil : type, message: ByteSearch.trimmedBlanks(message)), rank: 2)
            pending.note(line, text)
        }
    }

    /// A line inside a LiteLLM multi-line record that still says something: the last line of
    /// a traceback (`litellm.exceptions.BadRequestError: …`). True when the line was used.
    mutating func liteLLMContinuation(_ text: String, line: Line) -> Bool {
        guard inRecord, let colon = GatewayLog.errorNameColon(text) else { return false }
        let name = text[..<colon]
        guard name.hasSuffix("Error") || name.hasSuffix("Exception"),
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }) else { return false }
        let message = ByteSearch.trimmedBlanks(text[text.utf8.index(colon, offsetBy: 2)...])
        pending.offer(APIError(type: GatewayLog.liteLLMErrorType(Substring(message)).flatMap { $0.isEmpty ? nil : $0 },
                               message: message), rank: 1)
        if pending.errorRank == 1 { pending.tracebackLine = SourceLine(ref: SourceRef(file: "", line: line.number), text: text) }
        return true
    }

    /// The JSON body printed on the line after `Request received by LiteLLM:`.
    mutating func readRequestBody(_ text: String) {
        pending.requestBody = text
        let (model, stream) = HAR.modelAndStream(ofJSON: text)
        if let model { pending.model = model }
        if let stream { pending.stream = stream }
    }

    /// `receiving data: {'model': 'gpt-4o', 'stream': True, …}` (a Python repr).
    mutating func readPythonDict(_ message: Substring) {
        if let m = GatewayLog.pythonValue(message, key: "model") { pending.model = m }
        if pending.stream == nil {
            if message.contains("'stream': True") { pending.stream = true }
            else if message.contains("'stream': False") { pending.stream = false }
        }
    }
}

extension GatewayLog {
    /// Where the error starts after LiteLLM's `Exception occured - ` (its spelling, tried
    /// first) or `Exception occurred - `. One byte search for the common head instead of one
    /// per spelling.
    static func liteLLMExceptionMarker<S: StringProtocol>(in message: S) -> S.Index? {
        var rest = message[...]
        var corrected: S.Index?
        while let r = ByteSearch.range(of: "Exception occ", in: rest) {
            let tail = message[r.upperBound...]
            if tail.utf8.starts(with: "ured - ".utf8) { return message.utf8.index(r.upperBound, offsetBy: 7) }
            if corrected == nil, tail.utf8.starts(with: "urred - ".utf8) { corrected = message.utf8.index(r.upperBound, offsetBy: 8) }
            rest = message[r.upperBound...]
        }
        return corrected
    }

    /// Where `: ` is in the first 200 characters of a line that starts with a letter (the
    /// head of `SomeError: message`), nil otherwise. On bytes for an ASCII head (a traceback's
    /// frames pass here by the thousand), by characters otherwise.
    static func errorNameColon(_ text: String) -> String.Index? {
        let u = text.utf8
        // -2: decide on characters; -1: no; else the colon's byte offset.
        let found: Int? = u.withContiguousStorageIfAvailable { b in
            guard let c = b.first, c < 0x80 else { return -2 }
            guard (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) else { return -1 }
            let n = min(b.count, 201)
            guard ByteSearch.isASCII(UnsafeBufferPointer(rebasing: b[..<n])) else { return -2 }
            // ASCII (no CR inside a line): a character is a byte.
            let head = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[..<min(b.count, 200)]))
            return ByteSearch.find(head, ByteSearch.bytes(": ")) ?? -1
        }
        if let found, found != -2 { return found < 0 ? nil : u.index(u.startIndex, offsetBy: found) }
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic,
              let colon = text.prefix(200).range(of: ": ") else { return nil }
        return colon.lowerBound
    }

    /// Error and call id of the text after `Exception occured - `:
    /// `litellm_call_id=<id> - 400: {'error': '<message>'}` or `litellm.XError: <message>`.
    static func liteLLMError(_ raw: Substring) -> (APIError, callID: String?) {
        var rest = ByteSearch.trimmedBlanks(raw)[...]
        var callID: String?
        if rest.hasPrefix("litellm_call_id="), let sep = rest.range(of: " - ") {
            callID = String(rest[rest.index(rest.startIndex, offsetBy: 16)..<sep.lowerBound])
            rest = rest[sep.upperBound...]
        }
        var code: String?
        if rest.count > 5, rest.prefix(3).allSatisfy(\.isNumber), rest.dropFirst(3).hasPrefix(": ") {
            code = String(rest.prefix(3))
            rest = rest.dropFirst(5)
        }
        var message = String(rest)
        for (open, close) in [("{'error': '", "'}"), ("{'error': \"", "\"}")] where rest.hasPrefix(open) {
            var inner = rest.dropFirst(open.count)
            if let end = inner.range(of: close, options: .backwards) { inner = inner[..<end.lowerBound] }
            message = String(inner)
        }
        let type = liteLLMErrorType(Substring(message))
        return (APIError(type: type.flatMap { $0.isEmpty ? nil : $0 }, code: code, message: message), callID)
    }

    /// The error `type` LiteLLM gives a known message, `""` for a known message whose type
    /// is not fixed, nil for a message that is not a known model/key error.
    static func liteLLMErrorType(_ m: Substring) -> String? {
        let known: [(String, String)] = [
            ("key not allowed to access model", "key_model_access_denied"),
            ("is not available for this API key", "key_model_access_denied"),
            ("team not allowed to access model", "team_model_access_denied"),
            ("user not allowed to access model", "user_model_access_denied"),
            ("User not allowed to access model", "user_model_access_denied"),
            ("org not allowed to access model", "org_model_access_denied"),
            ("Budget has been exceeded", "budget_exceeded"),
            ("Invalid proxy server token passed", ""),
            ("Invalid model name passed in", ""),
            ("LLM Provider NOT provided", ""),
            ("No deployments available", ""),
            ("no healthy deployments", ""),
            ("Model is blocked", ""),
        ]
        return known.first { ByteSearch.range(of: $0.0, in: m) != nil }?.1
    }

    /// The model a gateway error message names (`model=X`, `Tried to access X`,
    /// `The requested model 'X'`, One API / New API wording), for calls whose body was not logged.
    static func modelNamed(in m: String) -> String? {
        if let g = ginModel(in: m) { return g }
        for (open, stops) in [("passed in model=", " "), ("Tried to access ", " ,"), ("The requested model '", "'"),
                              ("model group '", "'"), ("The model `", "`"), ("model \"", "\"")] {
            guard let r = ByteSearch.range(of: open, in: m) else { continue }
            var v = m[r.upperBound...].prefix { !stops.contains($0) }
            if open == "passed in model=", v.hasSuffix(".") { v = v.dropLast() }
            if !v.isEmpty, v != "None" { return String(v) }
        }
        return nil
    }

    /// The value of `'key': '…'` in a Python dict repr.
    static func pythonValue(_ s: Substring, key: String) -> String? {
        guard let r = ByteSearch.range(of: "'\(key)': '", in: s) else { return nil }
        let v = s[r.upperBound...].prefix { $0 != "'" }
        return v.isEmpty ? nil : String(v)
    }

    /// The client-identifying headers of `Request Headers: {'user-agent': '…', …}`.
    static func pythonDictHeaders(_ s: Substring) -> [Header] {
        ["user-agent", "x-stainless-lang", "x-stainless-package-version", "x-stainless-runtime",
         "x-stainless-runtime-version"].compactMap { k in pythonValue(s, key: k).map { Header(k, $0) } }
    }
}
