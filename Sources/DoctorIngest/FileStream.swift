import DoctorModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or pipe read with `read(2)` in large chunks (1 MiB by default).
///
/// Standard input and test pipes are read through `init(fileDescriptor:path:)`; a stream made
/// from a path owns its descriptor and closes it when released.
public final class FileStream: ByteStream {
    /// Display path used in errors (`stdin` for standard input).
    public let path: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    private let chunk: Int
    private var ended = false
    /// Told of every chunk read, for a progress display.
    private let progress: ReadProgress?

    /// Opens a file for reading.
    /// - Throws: `IngestError.unreadable` naming `displayPath` when it cannot be opened.
    public init(path: String, displayPath: String, chunkSize: Int = 1 << 20, progress: ReadProgress? = nil) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestError.unreadable(path: displayPath, reason: String(cString: strerror(errno)))
        }
        self.fd = fd
        self.path = displayPath
        self.ownsDescriptor = true
        self.chunk = max(1, chunkSize)
        self.progress = progress
    }

    /// Reads an already open descriptor (stdin, a pipe); it is not closed by this stream.
    public init(fileDescriptor: Int32, path: String, chunkSize: Int = 1 << 20) {
        self.fd = fileDescriptor
        self.path = path
        self.ownsDescriptor = false
        self.chunk = max(1, chunkSize)
        self.progress = nil
    }

    /// Standard input, shown as `stdin`.
    public static func standardInput() -> FileStream {
        FileStream(fileDescriptor: 0, path: "stdin")
    }

    deinit {
        if ownsDescriptor && fd >= 0 { close(fd) }
    }

    public func read() throws -> ArraySlice<UInt8>? {
        if ended { return nil }
        var failure: Int32 = 0
        // Fill the chunk as far as the source gives without blocking on a short pipe read:
        // one successful read(2) is enough, a pipe delivers whatever is there.
        let buffer = [UInt8](unsafeUninitializedCapacity: chunk) { buf, count in
            count = 0
            while true {
                let n = systemRead(fd, buf.baseAddress!, buf.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                } else {
                    count = n
                }
                return
            }
        }
        if failure != 0 {
            ended = true
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(failure)))
        }
        if buffer.isEmpty {
            ended = true
            return nil
        }
        progress?.add(buffer.count)
        return buffer[...]
    }
}

/// `read(2)`, named apart from `ByteStream.read()` so the method can call it.
@inline(__always)
private func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buf, n)
    #else
    return Darwin.read(fd, buf, n)
    #endif
}
