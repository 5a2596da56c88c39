/// What a parser noticed around a call beyond its HTTP fields. Rules see these as the `hints`
/// field, by their `description` (`{field: hints, contains: json-decode-error}`).
public enum Hint: Hashable, Sendable, CustomStringConvertible {
    // How the call was read.
    case accessLine, requestStatusLine, loggedRequestRecord, pastedModelList, statedInProse, tracebackConnect
    case modelFromErrorMessage, modelFromTicketText, contentTypeGuessed, responseBodyCut, errorBodyUnparsable
    /// The SDK logged no URL; the call's URL is the bundle's one configured base URL plus the
    /// endpoint of the SDK call (openai 3.x logs the method and status only).
    case urlFromConfiguredBase
    /// A `/models` list the debug dump cut to `[Object]`, with its entry count.
    case listedModelsCut(Int)
    case listedModelsFromAppLog
    // What went wrong.
    case jsonDecodeError, unexpectedContentType, strInsteadOfModel
    /// The exception class the SDK or the app raised.
    case exception(String)
    case appError(String), appErrorAfterHTML(String)
    case retriedAfterStatus(Int), retriedAfter(Failure.Kind), retriesExhausted
    // Where the call went.
    case httpProxyTransport
    /// The proxy `host:port` the SDK connected through.
    case proxyConnect(String)
    case serverIP(String)
    /// The gateway's channel note (`channel #7, status code: 404`).
    case gatewayChannel(String)
    /// The SDK method the traceback shows (`models.list`).
    case sdkCall(String)

    public var description: String {
        switch self {
        case .accessLine: return "access-line"
        case .requestStatusLine: return "request-status-line"
        case .loggedRequestRecord: return "logged-request-record"
        case .pastedModelList: return "pasted-model-list"
        case .statedInProse: return "stated-in-prose"
        case .tracebackConnect: return "traceback-connect"
        case .modelFromErrorMessage: return "model-from-error-message"
        case .modelFromTicketText: return "model-from-ticket-text"
        case .contentTypeGuessed: return "content-type-guessed"
        case .responseBodyCut: return "response-body-cut"
        case .errorBodyUnparsable: return "error-body-unparsable"
        case .urlFromConfiguredBase: return "url-from-configured-base"
        case .listedModelsCut(let n): return "listed-models-cut:\(n)"
        case .listedModelsFromAppLog: return "listed-models-from-app-log"
        case .jsonDecodeError: return "json-decode-error"
        case .unexpectedContentType: return "unexpected-content-type"
        case .strInsteadOfModel: return "str-instead-of-model"
        case .exception(let c): return "exception:\(c)"
        case .appError(let c): return "app-error:\(c)"
        case .appErrorAfterHTML(let c): return "app-error-after-html:\(c)"
        case .retriedAfterStatus(let s): return "retried-after-status:\(s)"
        case .retriedAfter(let k): return "retried-after:\(k.rawValue)"
        case .retriesExhausted: return "retries-exhausted"
        case .httpProxyTransport: return "http-proxy-transport"
        case .proxyConnect(let p): return "proxy-connect:\(p)"
        case .serverIP(let ip): return "server-ip:\(ip)"
        case .gatewayChannel(let c): return "gateway-channel:\(c)"
        case .sdkCall(let c): return "sdk-call:\(c)"
        }
    }
}
