// libFuzzer harness: ZipReader (ZIPFoundation) on the input held in memory; every member's
// content streamed through the prefetch thread and stopped, as Ingestor does.
import Foundation
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let zip = try? ZipReader(data: Data(bytes), path: "fuzz.zip") else { return 0 }
    _ = ZipReader.declaredEntryCount(Data(bytes))
    for member in zip.members.prefix(64) where member.kind == .file {
        var s = zip.stream(member, displayPath: "fuzz.zip!" + member.name, maxRatio: 1000)
        var out = 0
        do {
            while let chunk = try s.read() {
                out += chunk.count
                if out > 64 << 20 { break }
            }
        } catch {}
        s.stop()
    }
    return 0
}
