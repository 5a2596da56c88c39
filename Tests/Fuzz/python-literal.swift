// libFuzzer harness: the Python-literal reader (repr() of dicts, lists, bytes …), every entry point.
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    _ = PythonLiteral.parse(text)
    _ = PythonLiteral.parse(text, allowTruncated: true)
    _ = PythonLiteral.parse(text.dropFirst(), allowTruncated: true)
    if let (_, rest) = PythonLiteral.parsePrefix(text) {
        fuzzCheck(rest.utf8.count <= text.utf8.count, "python-literal: rest longer than the text")
    }
    _ = PythonLiteral.pairs(text)
    var inString: UInt8 = 0
    _ = PythonLiteral.depthChange(text, inString: &inString)
    return 0
}
