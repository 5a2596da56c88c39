import CZlibShim
import DoctorIngest
import DoctorModel
import DoctorParse
import Foundation

/// Writes a gzip stream to a file through zlib's deflate, in bounded chunks, so a redacted
/// copy of a `.log.gz` is gzip again (same name, same kind of file for whoever reads it next).
final class GzipWriter {
    private var stream = z_stream()
    private let handle: FileHandle
    private var out = [UInt8](repeating: 0, count: 64 * 1024)
    private var open = true

    init(handle: FileHandle) throws {
        self.handle = handle
        guard md_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            throw RedactionError.cannotWrite(path: "gzip", reason: "zlib deflate could not start")
        }
    }

    deinit { if open { deflateEnd(&stream) } }

    /// Compresses and writes `bytes`.
    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while stream.avail_in > 0 { try pump(Z_NO_FLUSH) }
        }
    }

    /// Flushes the rest and writes the gzip trailer.
    func finish() throws {
        guard open else { return }
        stream.next_in = nil
        stream.avail_in = 0
        while try pump(Z_FINISH) != Z_STREAM_END {}
        deflateEnd(&stream)
        open = false
    }

    @discardableResult
    private func pump(_ flush: Int32) throws -> Int32 {
        let capacity = out.count
        let (status, produced): (Int32, Int) = out.withUnsafeMutableBufferPointer { buf in
            stream.next_out = buf.baseAddress
            stream.avail_out = uInt(capacity)
            let s = deflate(&stream, flush)
            return (s, capacity - Int(stream.avail_out))
        }
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw RedactionError.cannotWrite(path: "gzip", reason: "zlib deflate failed (\(status))")
        }
        if produced > 0 { handle.write(Data(out[0..<produced])) }
        return status
    }
}
