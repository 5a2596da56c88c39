import Foundation
import Testing
import TestSupport

/// `modeldoctor causes` and `modeldoctor rules lint` on a pack with mistakes.
@Suite(.serialized) struct CausesCLITests {
    @Test func causesListsTheTaxonomyAsTextAndJSON() throws {
        let text = try CLI.run(["causes", "--lang", "en"])
        #expect(text.code == 0)
        #expect(text.out.hasPrefix("base-url-missing-version (model-list-empty)\n  Base URL lacks the API version path\n"))
        let json = try CLI.run(["causes", "--lang", "zh", "--format", "json"])
        #expect(json.code == 0)
        let causes = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: String]])
        #expect(causes.count == 25)
        #expect(causes.first { $0["key"] == "model-name-case" }?["title"] == "模型名仅大小写不同")
        #expect(Set(causes.compactMap { $0["symptom"] }) == ["model-list-empty", "model-not-found", "either"])
    }

    @Test func lintOfANamedPackChecksItAgainstTheShippedCausesWithPositions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-lint-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        schema_version: 1
        rules:
          - id: acme
            cause: acme-outage
            severity: high
            confidence: 0.8
            title: {en: "T {hostt}", zh: "标题"}
            message: {en: "M", zh: "消息"}
            fix: {en: "F", zh: "修复"}
            supersedes: [upstream-unavailable]
            when: {signal: dockr}
            examples:
              fire: ['x']
              quiet: ['y']
        """.write(to: dir.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["rules", "lint", dir.path])
        #expect(r.code == 1)
        let file = dir.appendingPathComponent("acme.yaml").path
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(r.out)")
        #expect(lines.first?.hasPrefix("\(file):4:12: error: rule `acme`: unknown cause `acme-outage`") == true)
        #expect(lines.contains { $0.hasPrefix("\(file):7:17: error: rule `acme`: title (en) has unknown placeholder `{hostt}` (did you mean `host`?)") })
        #expect(lines.contains { $0.hasPrefix("\(file):11:20: error: unknown signal `dockr` (did you mean `docker`?)") })
        #expect(lines.last == "3 error(s), 0 warning(s)")
    }
}
