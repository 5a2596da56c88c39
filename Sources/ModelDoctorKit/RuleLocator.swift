import DoctorFindings
import DoctorIngest
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorReport
import DoctorRules
import Foundation

/// Finds the shipped rule packs at run time, so editing a YAML file needs no rebuild.
///
/// Looked for, in order: `$MODELDOCTOR_HOME/rules`; `rules/` next to the executable (the
/// README's install step copies it there) or in `../share/modeldoctor/rules`; the package root
/// found by walking up from the executable (`swift run`, `.build/debug/modeldoctor`); the
/// current folder and its parents; the source tree the binary was built from.
public enum RuleLocator {
    public static func shippedRulesFolder(executable: String = CommandLine.arguments.first ?? "",
                                          env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        func isRules(_ p: String) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &d) && d.boolValue
                && ((try? fm.contentsOfDirectory(atPath: p))?.contains { $0.hasSuffix(".yaml") } ?? false)
        }
        if let home = env["MODELDOCTOR_HOME"], isRules(home + "/rules") { return home + "/rules" }
        var candidates: [String] = []
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        candidates.append(dir.appendingPathComponent("rules").path)
        candidates.append(dir.appendingPathComponent("../share/modeldoctor/rules").standardized.path)
        for _ in 0..<6 {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                candidates.append(dir.appendingPathComponent("rules").path)
            }
            dir = dir.deletingLastPathComponent()
        }
        var cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        for _ in 0..<6 {
            if fm.fileExists(atPath: cwd.appendingPathComponent("Package.swift").path) {
                candidates.append(cwd.appendingPathComponent("rules").path)
            }
            cwd = cwd.deletingLastPathComponent()
        }
        // Last resort: the package this binary was built from (a build in another scratch
        // folder, or a copied binary on the machine that built it).
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("rules").path)
        return candidates.first(where: isRules)
    }

    /// Shipped folder first, then `MODELDOCTOR_RULES` (colon-separated), then `--rules` folders:
    /// later packs replace rules with the same id.
    public static func folders(extra: [String], noShipped: Bool = false,
                               env: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var out: [String] = []
        if !noShipped, let s = shippedRulesFolder(env: env) { out.append(s) }
        if let e = env["MODELDOCTOR_RULES"], !e.isEmpty { out += e.split(separator: ":").map(String.init) }
        return out + extra
    }
}
