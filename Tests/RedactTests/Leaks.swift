@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

/// The leak test of the corpus tools: any 12-character stretch of a secret's body (its
/// well-known public prefix left out) in the output.
enum Leaks {
    static let prefixes = ["sk-ant-api03-", "sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-", "AIza", "Bearer "]

    static func body(_ secret: String) -> String {
        for p in prefixes where secret.hasPrefix(p) { return String(secret.dropFirst(p.count)) }
        return secret
    }

    /// The first leaking stretch, or nil.
    static func stretch(of secret: String, in output: String) -> String? {
        let b = Array(body(secret))
        guard b.count >= 12 else { return output.contains(String(b)) ? String(b) : nil }
        for i in 0...(b.count - 12) {
            let w = String(b[i..<(i + 12)])
            if output.contains(w) { return w }
        }
        return nil
    }
}
