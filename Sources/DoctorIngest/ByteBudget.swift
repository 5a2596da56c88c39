import DoctorModel
import Foundation

/// The bundle-wide allowance of decompressed bytes (`--max-bytes`), shared by every leaf that
/// came out of a container.
final class ByteBudget: @unchecked Sendable {
    let limit: Int
    private var used = 0
    private let lock = NSLock()

    init(limit: Int) { self.limit = max(0, limit) }

    /// Takes up to `n` bytes; returns how many fit.
    func take(_ n: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        let granted = min(n, limit - used)
        used += granted
        return granted
    }

    var exhausted: Bool {
        lock.lock(); defer { lock.unlock() }
        return used >= limit
    }
}

/// A leaf stream that counts its bytes against the bundle's `ByteBudget`; past it, the
/// stream ends with a `limitExceeded` error naming `--max-bytes`.
struct BudgetedStream: ByteStream {
    var base: any ByteStream
    let budget: ByteBudget
    let path: String
    private var pending: IngestError?

    init(_ base: any ByteStream, budget: ByteBudget, path: String) {
        self.base = base; self.budget = budget; self.path = path
    }

    mutating func read() throws -> ArraySlice<UInt8>? {
        if let e = pending { throw e }
        guard let chunk = try base.read() else { return nil }
        let granted = budget.take(chunk.count)
        if granted == chunk.count { return chunk }
        let e = IngestError.limitExceeded(path: path, limit: "decompressed bytes", value: budget.limit, flag: "--max-bytes")
        pending = e
        if granted > 0 { return chunk.prefix(granted) }
        throw e
    }
}
