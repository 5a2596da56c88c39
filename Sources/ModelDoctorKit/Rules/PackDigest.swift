import Foundation

/// Content hash of a rule pack, shown in every report so a finding can be traced to the exact
/// rule text that produced it.
enum PackDigest {
    // MERGE-TODO: switch to SHA256 from Redact/ once merged.
    static func hex(_ text: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }
}
