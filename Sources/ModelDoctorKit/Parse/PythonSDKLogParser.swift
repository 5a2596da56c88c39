/// Placeholder: replaced by the real parser.
public struct PythonSDKLogParser: LogParser {
    public static let kind = InputKind.pythonSDKLog
    public static let readsWholeDocument = false
    public static func sniff(_ input: SniffInput) -> Sniff? { nil }
    private var out = ParseOutput()
    public init(path: String, sniff: Sniff) {}
    public mutating func consume(_ line: Line) { out.lines += 1 }
    public mutating func finish() -> ParseOutput { out }
}
