/// A named fact seen in a file outside any single exchange.
public struct Signal: Sendable, Hashable {
    /// Lowercase dashed name, e.g. `proxy-env`, `docker`, `configured-base-url`, `ticket-text`.
    public var name: String
    /// The value when there is one (the base URL, the proxy address).
    public var value: String?
    public var line: SourceLine
    public init(name: String, value: String? = nil, line: SourceLine) {
        self.name = name; self.value = value; self.line = line
    }
}
