/// A named fact seen in a file outside any single exchange.
public struct Signal: Sendable, Hashable {
    public var name: SignalName
    /// The value when there is one (the base URL, the proxy address).
    public var value: String?
    public var line: SourceLine
    public init(name: SignalName, value: String? = nil, line: SourceLine) {
        self.name = name; self.value = value; self.line = line
    }
}
