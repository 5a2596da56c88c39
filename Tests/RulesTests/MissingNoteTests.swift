import Foundation
import Testing
@testable import DoctorModel
@testable import ModelDoctorKit
import TestSupport

/// The notes exchanges carry about facts their source could not give are rendered in the
/// report's language.
@Suite struct MissingNoteTests {
    static let all: [MissingNote] = [
        .urlNotLogged, .urlNotLoggedV3, .urlFromConfiguredBase, .urlRelativeOnly("/chat/completions"), .requestBodyNotLoggedV3,
        .responseBodyNotLoggedV3, .noResponseLogged, .noGatewayAccessLine, .listedModelsCut(3),
        .errorWithoutDebugRecord, .noAuthorizationInHAR, .statusNotInPaste, .urlNotInPaste, .modelNotInPaste,
    ]

    @Test func everyNoteHasItsOwnTextInBothLanguages() {
        #expect(Set(Self.all.map { $0.text(.en) }).count == Self.all.count)
        #expect(Set(Self.all.map { $0.text(.zh) }).count == Self.all.count)
        for n in Self.all { #expect(n.text(.en) != n.text(.zh), "\(n) is not translated") }
        #expect(MissingNote.urlRelativeOnly("/x").text(.zh).contains("/x"))
    }

    @Test func aChineseReportShowsTheNotesInChinese() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("md-notes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "POST https://gw.example.com/v1/responses\nError: 404 Invalid URL (POST /v1/responses)\n"
            .write(to: dir.appendingPathComponent("paste.txt"), atomically: true, encoding: .utf8)
        var opts = AnalysisOptions(inputs: [dir.path], ruleFolders: [Repo.path("rules")])
        opts.lang = .zh
        let missing = AnalysisPipeline.run(opts).report.findings.flatMap { $0.missing.map(\.value) }
        #expect(missing.contains("模型名：粘贴的内容中没有"), "\(missing)")
        #expect(!missing.contains("model: not named in the pasted text"))
    }
}
