import Crypto
import DoctorModel
import DoctorParse
import Foundation

/// Content hash of a rule pack, shown in every report so a finding can be traced to the exact
/// rule text that produced it.
public enum PackDigest {
    public static func hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
