// libFuzzer harness: ErrorTextParser over arbitrary bytes, fed as the pipeline feeds it (see fuzzParse).
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzParse(ErrorTextParser.self, fuzzBytes(data, size))
    return 0
}
