/// Content hash of a rule pack, shown in every report so a finding can be traced to the exact
/// rule text that produced it.
enum PackDigest {
    static func hex(_ text: String) -> String { SHA256.hex(SHA256.hash(Array(text.utf8))) }
}
