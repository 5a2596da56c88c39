// libFuzzer harness: GzipStream over a MemoryStream of the input, read to the end or error.
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let gz = GzipStream(MemoryStream(bytes, chunkSize: fuzzChunkSize(bytes)), path: "fuzz.gz",
                        outputChunk: 64 + Int(bytes.first ?? 0))
    var total = 0
    do {
        while let chunk = try gz.read() {
            fuzzCheck(!chunk.isEmpty, "gzip: empty chunk before the end")
            total += chunk.count
            fuzzCheck(gz.compressedOffset <= bytes.count, "gzip: consumed \(gz.compressedOffset) of \(bytes.count)")
        }
        // A clean end stays an end.
        fuzzCheck((try? gz.read()) == nil, "gzip: data after the end")
    } catch {
        // An error is delivered once; afterwards the stream is at its end.
        fuzzCheck((try? gz.read()) == nil, "gzip: data after an error")
    }
    _ = total
    return 0
}
