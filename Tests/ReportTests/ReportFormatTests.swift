import Foundation
import Testing
@testable import DoctorFindings
@testable import DoctorIngest
@testable import DoctorModel
@testable import DoctorParse
@testable import DoctorRedact
@testable import DoctorReport
@testable import DoctorRules
@testable import ModelDoctorKit

@Suite struct ReportFormatTests {
    @Test func oneLineFoldsWhitespaceAndCutsWithEllipsis() {
        #expect(ReportFormat.oneLine("  a\r\n  b\tc\u{0}d  ", limit: 50) == "a b c d")
        #expect(ReportFormat.oneLine("abcdef", limit: 6) == "abcdef")
        #expect(ReportFormat.oneLine("abcdefg", limit: 6) == "abcde…")
        #expect(ReportFormat.oneLine("ab cdefg", limit: 4) == "ab…")
        #expect(ReportFormat.oneLine("模型不存在啊", limit: 4) == "模型不…")
    }

    @Test func decimalsAreFixedToTwoPlaces() {
        #expect(ReportFormat.decimal2(0.9) == "0.90")
        #expect(ReportFormat.decimal2(0.349) == "0.35")
        #expect(ReportFormat.decimal2(2.7) == "2.70")
        #expect(ReportFormat.decimal2(-0.5) == "-0.50")
        #expect(ReportFormat.decimal2(0.004) == "0.00")
        #expect(ReportFormat.decimal2(.infinity) == "0.00")
        #expect(ReportFormat.decimal2(1e300).hasSuffix(".00"))      // no trap beyond Int's range
        #expect(ReportFormat.decimal2(-0.004) == "0.00")
        #expect(ReportFormat.confidence(-1) == "0.00")
    }

    @Test func timesAreISO8601UTCWithMillisecondsOnlyWhenPresent() {
        #expect(ReportFormat.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(ReportFormat.iso8601(Date(timeIntervalSince1970: 1_795_922_261.25)) == "2026-11-29T03:17:41.250Z")
        #expect(ReportFormat.iso8601(Date(timeIntervalSince1970: 0.9996)) == "1970-01-01T00:00:01Z")
        #expect(ReportFormat.iso8601(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test func displayPathKeepsBundlePathsAndHidesMachinePaths() {
        #expect(ReportFormat.displayPath("bundle.zip!logs/app.log") == "bundle.zip!logs/app.log")
        #expect(ReportFormat.displayPath("rules/gateway.yaml") == "rules/gateway.yaml")
        #expect(ReportFormat.displayPath("/usr/share/modeldoctor/rules/gateway.yaml") == "rules/gateway.yaml")
        #expect(ReportFormat.displayPath("/home/me/packs/mine.yaml") == "mine.yaml")
        #expect(ReportFormat.displayPath("C:\\tools\\rules\\x.yaml") == "rules/x.yaml")
    }

    @Test func wrapBreaksAtSpacesAndCountsWideCharacters() {
        #expect(TextWrap.lines("aaa bbb ccc", width: 7) == ["aaa bbb", "ccc"])
        // A word wider than the line is cut (it used to overflow the terminal).
        #expect(TextWrap.lines("a verylongword b", width: 5) == ["a", "veryl", "ongwo", "rd b"])
        #expect(TextWrap.lines("one\n\ntwo", width: 10) == ["one", "", "two"])
        #expect(ReportFormat.displayWidth("工单 ab") == 7)
        #expect(TextWrap.lines("模型 不存在 了", width: 7) == ["模型 不", "存在 了"])
    }

    @Test func printableKeepsLineBreaksAndDropsControls() {
        #expect(ReportFormat.printable("a\r\nb\rc\u{1B}[0m\u{7F}") == "a\nb\nc [0m ")
    }

    @Test func healthAndHighestSeverity() throws {
        let report = try SampleReport.make()
        #expect(!report.isHealthy)
        #expect(report.highestSeverity == .high)
        #expect(Report().isHealthy)
        #expect(Report().highestSeverity == nil)
    }
}
