import Foundation

/// Counts the bytes read from the input files of one walk, for a progress display.
///
/// The ingest layer adds each chunk as `FileStream` reads it from disk (compressed bytes for a
/// `.gz`, so the count ends at the total of the file sizes); `total` is the sum of the
/// regular files' sizes, known before reading starts, nil when an input has no size
/// (stdin, a pipe). `onRead` is called after every chunk, possibly on a background thread
/// (gzip is inflated ahead of the parser), so it must be cheap and thread-safe; throttling is
/// the caller's business. The library prints nothing itself.
public final class ReadProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: Int64 = 0
    private var totalBytes: Int64?
    private let onRead: @Sendable (_ read: Int64, _ total: Int64?) -> Void

    public init(onRead: @escaping @Sendable (_ read: Int64, _ total: Int64?) -> Void) {
        self.onRead = onRead
    }

    /// Bytes read so far.
    public var read: Int64 { lock.withLock { bytes } }
    /// The total to read, nil when unknown.
    public var total: Int64? { lock.withLock { totalBytes } }

    /// Sets the total before reading starts.
    func setTotal(_ total: Int64?) { lock.withLock { totalBytes = total } }

    /// Adds one chunk and reports the new count.
    public func add(_ n: Int) {
        let (r, t) = lock.withLock { () -> (Int64, Int64?) in
            bytes += Int64(n)
            return (bytes, totalBytes)
        }
        onRead(r, t)
    }

    /// The summed size of the regular files `inputs` name (folders walked), nil when one of
    /// them is stdin or not a regular file or folder.
    static func totalSize(of inputs: [String]) -> Int64? {
        var sum: Int64 = 0
        let fm = FileManager.default
        for input in inputs {
            guard input != "-", let attrs = try? fm.attributesOfItem(atPath: input) else { return nil }
            switch attrs[.type] as? FileAttributeType {
            case .typeRegular?: sum += (attrs[.size] as? NSNumber)?.int64Value ?? 0
            case .typeDirectory?:
                let walker = fm.enumerator(at: URL(fileURLWithPath: input), includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
                while let url = walker?.nextObject() as? URL {
                    let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
                    if values?.isRegularFile == true { sum += Int64(values?.fileSize ?? 0) }
                }
            default: return nil
            }
        }
        return sum
    }
}
