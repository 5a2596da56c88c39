import DoctorIngest
import DoctorModel
import DoctorParse
import Foundation

/// Errors of the redaction stage. A leak never carries the secret itself, only its kind and
/// where it sits, so the error message is safe to print.
public enum RedactionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The output gate found a secret shape or a learnt secret in rendered output; nothing
    /// was written (fail closed). `position` is the UTF-8 byte offset in that output.
    case leak(kind: String, position: Int)
    /// `redact -o OUT` would write into a folder that exists and is not empty (use `--force`).
    case outputNotEmpty(path: String)
    /// A redacted copy could not be written.
    case cannotWrite(path: String, reason: String)

    /// A Foundation file error in one line: its POSIX message when it has one.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription.replacingOccurrences(of: "\n", with: " ")
    }

    public var description: String {
        switch self {
        case .leak(let kind, let position):
            return "output gate: a secret (\(kind)) is still in the output at byte \(position); nothing was written"
        case .outputNotEmpty(let path):
            return "\(path): output folder exists and is not empty (use --force to write into it)"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
