// libFuzzer harness: RuleLoader on YAML text (Yams compose + the strict node reader).
@testable import FuzzLib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    var result = RuleLoader.Result()
    RuleLoader().load(text: text, file: "fuzz.yaml", into: &result)
    _ = result.rules
    _ = result.definitions
    return 0
}
