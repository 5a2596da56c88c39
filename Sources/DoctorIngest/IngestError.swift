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

    /// The description without the leading `path:` (the problem's location already names it).
    public var detail: String {
        switch self {
        case .unreadable(_, let r): return "cannot read: \(r)"
        case .corrupt(_, let f, let o, let r): return "corrupt \(f) data at byte \(o): \(r)"
        case .truncated(_, let f, let o): return "truncated \(f) data: input ends at byte \(o)"
        case .limitExceeded(_, let l, let v, let flag): return "\(l) limit of \(v) exceeded (raise it with \(flag))"
        }
    }

    /// What the user can do about it, for the one-line error on stderr.
    public var nextStep: String {
        switch self {
        case .unreadable(_, let r) where r.contains("no such file"): return "check the path"
        case .unreadable(_, let r) where r.contains("not supported"): return "decompress it and pass the result"
        case .unreadable: return "check that it exists and that you may read it"
        case .corrupt, .truncated: return "ask for the file again; what was read before this point is kept"
        case .limitExceeded(_, _, _, let flag): return "raise the limit with \(flag) if the input is trusted"
        }
    }

    /// The next step for an inventory problem, from the wording `detail` gives each case.
    public static func nextStep(for p: Problem) -> String {
        let m = p.message
        if m.hasPrefix("cannot read: no such file") { return "check the path" }
        if m.contains("not supported: decompress") { return "decompress it and pass the result" }
        if m.hasPrefix("cannot read") || m.hasPrefix("read error") { return "check that it exists and that you may read it" }
        if m.hasPrefix("corrupt") || m.hasPrefix("truncated") { return "ask for the file again; what was read before this point is kept" }
        if m.contains("raise it with") { return "raise the limit if the input is trusted" }
        return "see this file in the report's inventory"
    }

    /// The same error naming another path (a command-line input as typed).
    func at(_ path: String) -> IngestError {
        if case .unreadable(_, let r) = self { return .unreadable(path: path, reason: r) }
        return self
    }

    /// The same error as an inventory problem.
    public var problem: Problem {
        switch self {
        case .corrupt(let p, _, let o, _), .truncated(let p, _, let o): return Problem(.error, location: "\(p)@\(o)", message: detail)
        default: return Problem(.error, location: path, message: detail)
        }
    }
}
