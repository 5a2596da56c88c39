/// Something that went wrong while reading or parsing one input, kept in the inventory.
///
/// A problem never aborts the analysis of the rest of the bundle.
public struct Problem: Hashable, Sendable, Codable {
    public enum Level: String, Sendable, Codable { case warning, error }

    public var level: Level
    /// `file`, `file:line` or `file@byte-offset`.
    public var location: String
    public var message: String

    public init(_ level: Level = .error, location: String, message: String) {
        self.level = level
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(level.rawValue): \(message)" }
}
