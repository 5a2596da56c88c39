// libFuzzer harness: TarReader over a MemoryStream of the input, every member read in order.
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let tar = TarReader(MemoryStream(bytes, chunkSize: fuzzChunkSize(bytes)), path: "fuzz.tar")
    var content = 0
    var members = 0
    do {
        while let m = try tar.next() {
            members += 1
            fuzzCheck(m.offset >= 0 && m.offset + 512 <= bytes.count, "tar: member header at \(m.offset) of \(bytes.count)")
            fuzzCheck(m.size >= 0, "tar: member size \(m.size)")
            // Read every other member, skip the rest (both paths must hold).
            if members % 2 == 1 {
                var s = TarMemberStream(reader: tar)
                while let piece = try s.read() { content += piece.count }
            }
            fuzzCheck(tar.offset <= bytes.count, "tar: offset \(tar.offset) past \(bytes.count)")
        }
    } catch {}
    fuzzCheck(content <= bytes.count, "tar: \(content) content bytes from \(bytes.count)")
    return 0
}
