import DoctorModel
import DoctorParse

/// A problem in a rule file, with its position (`rules/x.yaml:12:5: error: …`).
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Sendable { case error, warning }
    public var position: RulePosition
    public var message: String
    public var level: Level

    public init(_ position: RulePosition, _ message: String, level: Level = .error) {
        self.position = position; self.message = message; self.level = level
    }

    public var description: String { "\(position): \(level.rawValue): \(message)" }
}
