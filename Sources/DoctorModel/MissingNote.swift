/// A fact the source of an exchange could not give, as the report tells the reader (and what
/// to ask the customer for). Parsers record the case; the findings stage renders it in the
/// report's language.
public enum MissingNote: Hashable, Sendable {
    case urlNotLogged
    case urlNotLoggedV3
    /// No URL was logged; the one the report shows is the configured base URL plus the
    /// endpoint of the SDK call (hint `url-from-configured-base`): an inference to confirm.
    case urlFromConfiguredBase
    /// Only the path relative to `base_url` was logged.
    case urlRelativeOnly(String)
    case requestBodyNotLoggedV3
    case responseBodyNotLoggedV3
    case noResponseLogged
    case noGatewayAccessLine
    /// Node SDK debug dumps cut the `/models` entries to `[Object]` (entry count).
    case listedModelsCut(Int)
    case errorWithoutDebugRecord
    case noAuthorizationInHAR
    case statusNotInPaste
    case urlNotInPaste
    case modelNotInPaste

    public func text(_ lang: Lang) -> String {
        switch (self, lang) {
        case (.urlNotLogged, .en): return "request URL not logged"
        case (.urlNotLogged, .zh): return "日志中没有请求 URL"
        case (.urlNotLoggedV3, .en): return "request URL not logged by openai 3.x"
        case (.urlNotLoggedV3, .zh): return "openai 3.x 不记录请求 URL"
        case (.urlFromConfiguredBase, .en): return "request URL not logged: shown as the configured base URL plus the endpoint; confirm the URL the client really called"
        case (.urlFromConfiguredBase, .zh): return "日志中没有请求 URL：报告按配置的 base URL 加接口路径推定，请确认客户端实际请求的 URL"
        case (.urlRelativeOnly(let p), .en): return "request URL not logged (only the path relative to base_url: \(p))"
        case (.urlRelativeOnly(let p), .zh): return "日志中没有完整的请求 URL（只有相对 base_url 的路径：\(p)）"
        case (.requestBodyNotLoggedV3, .en): return "request body (model, stream) not logged by openai 3.x"
        case (.requestBodyNotLoggedV3, .zh): return "openai 3.x 不记录请求体（model、stream）"
        case (.responseBodyNotLoggedV3, .en): return "response body not logged: openai 3.x exceptions carry the error message only"
        case (.responseBodyNotLoggedV3, .zh): return "日志中没有响应体：openai 3.x 的异常只带错误消息"
        case (.noResponseLogged, .en): return "no response logged"
        case (.noResponseLogged, .zh): return "日志中没有响应"
        case (.noGatewayAccessLine, .en): return "no access line for this request in the gateway log (status unknown)"
        case (.noGatewayAccessLine, .zh): return "网关日志中没有该请求的访问记录（状态码未知）"
        case (.listedModelsCut(let n), .en): return "model ids of the list response are cut to [Object] in the debug log (\(n) entries)"
        case (.listedModelsCut(let n), .zh): return "调试日志把模型列表响应中的模型 ID 截断成了 [Object]（共 \(n) 项）"
        case (.errorWithoutDebugRecord, .en): return "request method and URL: the error was printed without a matching debug record"
        case (.errorWithoutDebugRecord, .zh): return "请求方法和 URL：错误输出时没有对应的调试记录"
        case (.noAuthorizationInHAR, .en): return "no Authorization header in the capture (browser HAR exports leave it out unless exported \"with sensitive data\")"
        case (.noAuthorizationInHAR, .zh): return "抓包中没有 Authorization 头（浏览器导出 HAR 时不选“包含敏感数据”就会省略）"
        case (.statusNotInPaste, .en): return "HTTP status: not in the pasted text"
        case (.statusNotInPaste, .zh): return "HTTP 状态码：粘贴的内容中没有"
        case (.urlNotInPaste, .en): return "request URL: not in the pasted text"
        case (.urlNotInPaste, .zh): return "请求 URL：粘贴的内容中没有"
        case (.modelNotInPaste, .en): return "model: not named in the pasted text"
        case (.modelNotInPaste, .zh): return "模型名：粘贴的内容中没有"
        }
    }
}
