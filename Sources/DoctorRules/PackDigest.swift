import Crypto
import DoctorModel
import DoctorParse
import Foundation

/// Content hash of a rule pack, shown in every report so a finding can be traced to the exact
/// rule text that produced it.
public enum PackDigest {
    public static func hex(_ text: String) -> String {
        hex(Data(text.utf8))
    }

    public static func hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
