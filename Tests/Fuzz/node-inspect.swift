// libFuzzer harness: the Node util.inspect() reader.
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    if let v = NodeInspect.parse(text) { _ = NodeInspect.containsPlaceholder(v) }
    for v in NodeInspect.parseValues(text) { _ = NodeInspect.isPlaceholder(v) }
    return 0
}
