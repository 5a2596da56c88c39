import DoctorIngest
import DoctorModel

extension SDKInfo {
    /// The client library from request headers: `X-Stainless-Lang` / `-Package-Version` /
    /// `-Runtime` / `-Runtime-Version` (openai-python and openai-node send these), else the
    /// User-Agent (`OpenAI/Python 1.54.4`, `OpenAI/JS 4.67.0`, a browser, curl …). Called
    /// once per exchange: the User-Agent is searched on bytes, not with Foundation's `range(of:)`.
    public static func from(headers: [Header]) -> SDKInfo? {
        let ua = headers.value("user-agent")
        if let lang = headers.value("x-stainless-lang") {
            let version = headers.value("x-stainless-package-version")
            let runtime = [headers.value("x-stainless-runtime"), headers.value("x-stainless-runtime-version")]
                .compactMap { $0 }.joined(separator: " ")
            let name = lang == "python" ? "openai-python" : (lang == "js" ? "openai-node" : "openai-\(lang)")
            return SDKInfo(name: name, version: version, language: lang, runtime: runtime.isEmpty ? nil : runtime)
        }
        guard let ua else { return nil }
        if let r = ByteSearch.range(of: "OpenAI/Python ", in: ua) {
            return SDKInfo(name: "openai-python", version: String(ua[r.upperBound...].prefix { $0 != " " }), language: "python")
        }
        if let r = ByteSearch.range(of: "OpenAI/JS ", in: ua) {
            return SDKInfo(name: "openai-node", version: String(ua[r.upperBound...].prefix { $0 != " " }), language: "js")
        }
        for browser in ["Firefox/", "Edg/", "Chrome/", "Safari/"] {
            if let r = ByteSearch.range(of: browser, in: ua) {
                let v = String(ua[r.upperBound...].prefix { $0 != " " })
                return SDKInfo(name: "browser", version: nil, language: "js", runtime: String(browser.dropLast()) + " " + v)
            }
        }
        if ua.hasPrefix("curl/") { return SDKInfo(name: "curl", version: String(ua.dropFirst(5))) }
        return SDKInfo(name: String(ua.prefix { $0 != " " }))
    }
}
