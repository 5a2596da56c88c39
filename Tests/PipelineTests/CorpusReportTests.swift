import Foundation
import Testing
import DoctorModel
import DoctorParse
@testable import DoctorReport
import DoctorRules
import ModelDoctorKit
import TestSupport

/// The people-facing reports over the whole corpus: every sample bundle and every real ticket
/// folder (`Tests/Fixtures/real-tickets/batch-*/<ticket>/`), in English and Chinese.
///
/// Issue #10: support engineers read these in a terminal, so no line may be wider than the
/// 100-column fallback, counting a CJK character as two columns.
@Suite struct CorpusReportTests {
    /// One analysed bundle of the corpus, rendered in both languages.
    struct Rendered: Sendable {
        var name: String
        var reports: [Lang: Report]
    }

    /// Every bundle of the corpus, relative to the package root.
    static let bundles: [String] = {
        let fm = FileManager.default
        func children(_ dir: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: Repo.path(dir))) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }
        var out = children("samples/tickets").filter { $0.first?.isNumber == true }.map { "samples/tickets/\($0)" }
        out += children("samples/archives").map { "samples/archives/\($0)" }
        for batch in children("Tests/Fixtures/real-tickets") where batch.hasPrefix("batch-") {
            let dir = "Tests/Fixtures/real-tickets/\(batch)"
            for ticket in children(dir) {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: Repo.path("\(dir)/\(ticket)"), isDirectory: &isDir), isDir.boolValue {
                    out.append("\(dir)/\(ticket)")
                }
            }
        }
        return out
    }()

    /// The corpus analysed once (rules compiled once), each bundle reported in en and zh.
    static let corpus: [Rendered] = {
        var options = AnalysisOptions(inputs: [], ruleFolders: [Repo.path("rules")])
        let loaded = AnalysisPipeline.loadRules(options)
        let engine = RuleEngine(loaded: loaded)
        return bundles.map { name in
            let bundle = BundleReader(limits: options.limits).read([Repo.path(name)])
            var reports: [Lang: Report] = [:]
            for lang in Lang.allCases {
                options.lang = lang
                reports[lang] = AnalysisPipeline.run(bundle: bundle, loaded: loaded, engine: engine, options: options).report
            }
            return Rendered(name: name, reports: reports)
        }
    }()

    @Test func corpusHoldsTheSamplesAndTheRealTickets() {
        #expect(Self.bundles.filter { $0.hasPrefix("samples/") }.count >= 10)
        #expect(Self.bundles.filter { $0.hasPrefix("Tests/Fixtures/real-tickets/") }.count >= 200)
    }

    @Test(arguments: Lang.allCases)
    func everyTextReportFitsOneHundredColumns(_ lang: Lang) throws {
        var tooWide: [String] = []
        for r in Self.corpus {
            let text = TextRenderer(verbose: true).render(try #require(r.reports[lang]))
            for line in text.split(separator: "\n") where TextWrap.displayWidth(String(line)) > 100 {
                tooWide.append("\(r.name): \(TextWrap.displayWidth(String(line))) columns: \(line)")
            }
        }
        #expect(tooWide.isEmpty, "\(tooWide.count) lines over 100 columns, e.g.\n\(tooWide.prefix(5).joined(separator: "\n"))")
    }

    @Test func narrowTerminalsAreHonouredToo() throws {
        for r in Self.corpus.prefix(40) {
            for lang in Lang.allCases {
                let text = TextRenderer(width: 60).render(try #require(r.reports[lang]))
                let wide = text.split(separator: "\n").filter { TextWrap.displayWidth(String($0)) > 60 }
                #expect(wide.isEmpty, "\(r.name) \(lang): \(wide.first ?? "")")
            }
        }
    }

    // MARK: --lang zh

    /// Every note an earlier stage wrote in English, as the renderers will show it.
    static func notes(_ r: Report) -> [String] {
        r.inputs.flatMap { $0.notes + $0.skipped } + r.notEvaluated.map(\.reason)
            + r.facts.unknown.map(\.value) + r.facts.apiVersionPaths.filter { $0.hasPrefix("(") }
    }

    @Test func everyNoteOfTheCorpusHasAChineseText() throws {
        var missing = Set<String>()
        for r in Self.corpus {
            for note in Self.notes(try #require(r.reports[.zh])) where NoteCatalog.zh(note) == nil { missing.insert(note) }
        }
        #expect(missing.isEmpty, "notes without a Chinese template in NoteCatalog:\n\(missing.sorted().joined(separator: "\n"))")
    }

    /// What must not appear in a Chinese report: every English label where a label goes
    /// (before a colon, as a heading, a table header or an HTML element), every multi-word
    /// label anywhere, and every English note template's fixed text (its longer pieces).
    static let englishMarks: [String] = {
        // Every label, by field name, from the synthesized Encodable conformance: complete
        // whenever a label is added. (Mirror over this 60-field struct crashed the runtime.)
        func strings(_ l: Labels) -> [String: String] {
            let data = (try? JSONEncoder().encode(l)) ?? Data()
            return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        }
        let en = strings(Labels.en), zh = strings(Labels.zh)
        var marks: [String] = []
        for (key, e) in en.sorted(by: { $0.key < $1.key }) where key != "lang" && e != zh[key] {
            if e.contains("{n}") {  // a template: its fixed pieces
                marks += e.components(separatedBy: "{n}").filter { $0.count >= 12 }
                continue
            }
            marks += ["\n" + e + "\n", "## " + e, "**" + e, "| " + e + " |", ">" + e + "<"]
            // `Fix:`, `Evidence:`; a lower-case word (`error`, `rules`) is used inline, and
            // `error:` is common in quoted evidence.
            if e.first?.isUppercase == true { marks += [e + ":", ">" + e + ":"] }
            if e.contains(" ") && e.count >= 12 { marks.append(e) }
        }
        for t in NoteCatalog.templates {
            let pieces = t.en.split(separator: "{").map { $0.drop { $0 != "}" }.dropFirst() }
            marks += (pieces.count == 1 ? [Substring(t.en)] : pieces).map(String.init).filter { $0.count >= 12 }
        }
        // What an empty or missing placeholder of a rule's text reads in English.
        marks += ["(unknown)", "(none)"]
        return marks
    }()

    /// The text of a real ticket's paste (`ticket.txt`), empty for samples and archives.
    static func pastedText(_ name: String) -> String {
        guard name.hasPrefix("Tests/Fixtures/real-tickets/") else { return "" }
        return (try? String(contentsOfFile: Repo.path("\(name)/ticket.txt"), encoding: .utf8)) ?? ""
    }

    @Test func theEnglishMarksListIsNotEmptyAndHoldsLabelsAndNotes() {
        #expect(Self.englishMarks.count > 100)
        #expect(Self.englishMarks.contains("Most likely cause"))
        #expect(Self.englishMarks.contains("Evidence:"))
        #expect(Self.englishMarks.contains("no HTTP call found in the bundle"))
        #expect(Self.englishMarks.contains(" lines not read)"))
        #expect(Self.englishMarks.contains(" rules not evaluated: the bundle lacks the calls or facts they need; --verbose lists them"))
    }

    @Test(arguments: [OutputFormat.text, .markdown, .html])
    func chineseReportsHoldNoEnglishLabelOrNote(_ format: OutputFormat) throws {
        var found: [String] = []
        for r in Self.corpus {
            // Verbose, so that every rule not evaluated shows its reason.
            let text = format.renderer(colour: false, width: 100, verbose: true).render(try #require(r.reports[.zh]))
            // Foundation's search: the generic `contains` is slow in a debug build.
            // A mark the customer's own paste holds (`Endpoint: POST /v1/responses`) is quoted
            // evidence, not a label the report failed to translate; the renderers put their
            // markup before a quoted line (HTML's `>Endpoint:`), so the paste is searched for
            // the mark without it.
            let pasted = Self.pastedText(r.name)
            for mark in Self.englishMarks where text.range(of: mark) != nil
                && pasted.range(of: mark.trimmingCharacters(in: CharacterSet(charactersIn: ">\n#*| "))) == nil {
                found.append("\(r.name): \(mark)")
            }
        }
        #expect(found.isEmpty, "\(found.count) English labels or notes, e.g.\n\(found.prefix(10).joined(separator: "\n"))")
    }
}
