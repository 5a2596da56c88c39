import DoctorIngest
import DoctorModel

/// The single ordered list of parsers. Sniffing asks each and takes the highest score; ties
/// go to the earlier entry, so the order here is a priority.
public enum ParserRegistry {
    // Immutable, and metatypes carry no state: safe to share. (`LogParser: SendableMetatype`
    // would say so without `unsafe`, but needs Swift 6.2; the package supports 6.0.)
    nonisolated(unsafe) public static let all: [any LogParser.Type] = [
        HARParser.self,
        PythonSDKLogParser.self,
        NodeSDKLogParser.self,
        NodePinoLogParser.self,
        GatewayLogParser.self,
        ErrorTextParser.self,
    ]

    /// The best parser for a file's start, or nil when none recognises it.
    public static func detect(_ input: SniffInput) -> (any LogParser.Type, Sniff)? {
        var best: (any LogParser.Type, Sniff)?
        for parser in all {
            guard let s = parser.sniff(input), s.score > 0 else { continue }
            if best == nil || s.score > best!.1.score { best = (parser, s) }
        }
        return best
    }
}
