import DoctorModel

/// Errors of the ingest stage. Each names the file (its path inside the bundle) and, where it
/// applies, the byte offset in the compressed data where reading stopped.
public enum IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case corrupt(path: String, format: String, offset: Int, reason: String)
    case truncated(path: String, format: String, offset: Int)
    case limitExceeded(path: String, limit: String, value: Int, flag: String)

    public var path: String {
        switch self {
        case .unreadable(let p, _), .corrupt(let p, _, _, _), .truncated(let p, _, _), .limitExceeded(let p, _, _, _): return p
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "\(p): cannot read: \(r)"
        case .corrupt(let p, let f, let o, let r): return "\(p)@\(o): corrupt \(f) data at byte \(o): \(r)"
        case .truncated(let p, let f, let o): return "\(p)@\(o): truncated \(f) data: input ends at byte \(o)"
        case .limitExceeded(let p, let l, let v, let flag): return "\(p): \(l) limit of \(v) exceeded (raise it with \(flag))"
        }
    }

    /// The same error as an inventory problem.
    public var problem: Problem {
        switch self {
        case .corrupt(let p, _, let o, _), .truncated(let p, _, let o): return Problem(.error, location: "\(p)@\(o)", message: description)
        default: return Problem(.error, location: path, message: description)
        }
    }
}
