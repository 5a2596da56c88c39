// libFuzzer harness: BundleReader.read(memory:) — sniff, parse, merge, enrich. The input is
// cut at 0x1E (record separator) into up to four files, so merging across files is reached.
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let parts = bytes.split(separator: 0x1E, maxSplits: 3, omittingEmptySubsequences: false)
    let names = ["capture.har", "sdk-debug.log", "gateway.log", "paste.txt"]
    let files = parts.enumerated().map { (name: names[$0.offset], bytes: Array($0.element)) }
    var limits = IngestLimits()
    limits.maxLineBytes = 4096
    let bundle = BundleReader(limits: limits).read(memory: files)
    fuzzCheck(bundle.inventory.count == files.count, "bundle: \(bundle.inventory.count) inventory entries for \(files.count) files")
    return 0
}
