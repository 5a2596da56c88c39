import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorReport
@testable import ModelDoctorKit
import TestSupport

/// Batch triage over a backlog made of the samples: one row per ticket, a roll-up that adds
/// up, output independent of --jobs and of sharding, and broken tickets that do not take the
/// healthy ones down with them.
@Suite(.serialized) struct TriageTests {
    /// samples/tickets/* and samples/archives/* copied into `<tmp>/backlog`.
    static let backlog: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md-triage-\(UUID().uuidString)/backlog")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["samples/tickets", "samples/archives"] {
            let src = URL(fileURLWithPath: Repo.path(folder))
            for name in (try? FileManager.default.contentsOfDirectory(atPath: src.path)) ?? [] {
                try? FileManager.default.copyItem(at: src.appendingPathComponent(name), to: root.appendingPathComponent(name))
            }
        }
        return root
    }()

    static var sampleCount: Int {
        ["samples/tickets", "samples/archives"].map { ((try? FileManager.default.contentsOfDirectory(atPath: Repo.path($0))) ?? []).count }.reduce(0, +)
    }

    static func runner(jobs: Int) -> TriageRunner {
        TriageRunner(options: AnalysisOptions(inputs: [], ruleFolders: [Repo.path("rules")]), jobs: jobs)
    }

    static func jsonl(_ report: TriageReport) -> String { TriageFormat.jsonl.renderer.render(report) }

    @Test func oneRowPerTicketSortedByLabel() throws {
        let tickets = TriageTicket.discover([Self.backlog.path])
        let result = Self.runner(jobs: 2).run(tickets)
        let rows = result.report.rows
        #expect(rows.count == Self.sampleCount)
        #expect(rows.map(\.ticket) == rows.map(\.ticket).sorted())
        #expect(rows.allSatisfy { $0.ticket.hasPrefix("backlog/") })
        let byTicket = Dictionary(uniqueKeysWithValues: rows.map { ($0.ticket, $0) })
        #expect(byTicket["backlog/01-base-url-missing-version"]?.cause == "base-url-missing-version")
        #expect(byTicket["backlog/15-key-group-no-access.tar.gz"]?.cause == "key-group-no-access")
        #expect(byTicket["backlog/16-insufficient-balance.zip"]?.cause == "insufficient-balance")
        #expect(byTicket["backlog/20-no-problem"]?.cause == TriageRow.noCause)
        let caseRow = try #require(byTicket["backlog/10-model-name-case"])
        #expect(caseRow.notFound.map(\.model.value) == ["GPT-4o"])
        #expect(caseRow.notFound.first?.suggestion?.value.contains("gpt-4o") == true)
        #expect(caseRow.sdk?.value.hasPrefix("openai-python") == true)
        #expect(result.ruleErrors.filter { $0.level == .error }.isEmpty)
    }

    @Test func rollupAddsUpToTheRows() throws {
        let rows = Self.runner(jobs: 2).run(TriageTicket.discover([Self.backlog.path])).report.rows
        let r = TriageRollup(rows: rows)
        #expect(r.tickets == rows.count)
        #expect(r.byCause.map(\.count).reduce(0, +) == rows.count)
        #expect(r.perDay.map(\.count).reduce(0, +) + r.undated == rows.count)
        #expect(r.withProblems == rows.filter { $0.problem != nil }.count)
        for c in r.byCause { #expect(c.count == rows.filter { $0.cause == c.cause }.count) }
        let baseURLTickets = rows.filter { $0.causes.contains(where: TriageRollup.isBaseURLMistake) }.count
        #expect(r.baseURLMistakes.map(\.count).reduce(0, +) >= baseURLTickets)
        #expect(r.baseURLMistakes.contains { $0.cause == "base-url-missing-version" && $0.host?.value == "127.0.0.1:3000" })
        #expect(r.notFound.contains { $0.model.value == "GPT-4o" && !$0.suggestions.isEmpty })
        // Counts descending, then key: a total order, whatever order the rows came in.
        #expect(TriageRollup(rows: rows.reversed()) == r)
    }

    @Test func outputIsTheSameForAnyNumberOfJobs() throws {
        let tickets = TriageTicket.discover([Self.backlog.path])
        let one = Self.runner(jobs: 1).run(tickets).report
        let two = Self.runner(jobs: 2).run(tickets).report
        let four = Self.runner(jobs: 4).run(tickets.shuffled()).report
        #expect(Self.jsonl(one) == Self.jsonl(two))
        #expect(Self.jsonl(one) == Self.jsonl(four))
        for format in TriageFormat.allCases { #expect(format.renderer.render(one) == format.renderer.render(two), "\(format)") }
    }

    @Test func fourShardsMergedEqualOneRun() throws {
        let tickets = TriageTicket.discover([Self.backlog.path])
        let whole = Self.runner(jobs: 2).run(tickets)
        let dir = Self.backlog.deletingLastPathComponent().appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var files: [String] = []
        var seen: [String] = []
        for i in 0..<4 {
            let shard = TriageShard(index: i, count: 4)
            let mine = tickets.filter(shard.contains)
            seen += mine.map(\.label)
            let url = dir.appendingPathComponent("shard-\(i).jsonl")
            try Self.jsonl(Self.runner(jobs: 1).run(mine).report).write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        #expect(seen.sorted() == tickets.map(\.label).sorted(), "every ticket in exactly one shard")
        let merged = try TriageMerge.merge(files: files.reversed())
        #expect(Self.jsonl(merged.report) == Self.jsonl(whole.report))
        #expect(TriageFormat.text.renderer.render(merged.report) == TriageFormat.text.renderer.render(whole.report))
        #expect(throws: Never.self) { try merged.gate.gate(TriageFormat.html.renderer.render(merged.report)) }
    }

    @Test func brokenTicketsAreReportedAndHealthyOnesKept() throws {
        let root = Self.backlog.deletingLastPathComponent().appendingPathComponent("hostile/backlog")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in ["01-base-url-missing-version", "10-model-name-case"] {
            try FileManager.default.copyItem(atPath: Repo.path("samples/tickets/\(name)"), toPath: root.appendingPathComponent(name).path)
        }
        try FileManager.default.copyItem(atPath: Repo.path("samples/archives/16-insufficient-balance.zip"),
                                         toPath: root.appendingPathComponent("16-insufficient-balance.zip").path)
        // A .tar.gz cut in the middle of its gzip stream, a gzip bomb, an empty ticket folder.
        let good = try Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/archives/15-key-group-no-access.tar.gz")))
        try good.prefix(good.count / 2).write(to: root.appendingPathComponent("50-corrupt.tar.gz"))
        try sh("head -c 50000000 /dev/zero | gzip -c > '\(root.appendingPathComponent("51-bomb.log.gz").path)'")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("52-empty"), withIntermediateDirectories: true)

        var options = AnalysisOptions(inputs: [], ruleFolders: [Repo.path("rules")])
        options.limits.maxCompressionRatio = 200
        let report = TriageRunner(options: options, jobs: 2).run(TriageTicket.discover([root.path])).report
        let byTicket = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.ticket, $0) })
        #expect(report.rows.count == 6)
        #expect(byTicket["backlog/01-base-url-missing-version"]?.cause == "base-url-missing-version")
        #expect(byTicket["backlog/10-model-name-case"]?.cause == "model-name-case")
        #expect(byTicket["backlog/16-insufficient-balance.zip"]?.cause == "insufficient-balance")
        let corrupt = try #require(byTicket["backlog/50-corrupt.tar.gz"])
        #expect(corrupt.problem?.value.contains("50-corrupt.tar.gz") == true)
        let bomb = try #require(byTicket["backlog/51-bomb.log.gz"])
        #expect(bomb.cause == TriageRow.unreadableCause)
        #expect(bomb.problem?.value.contains("--max-ratio") == true)
        let empty = try #require(byTicket["backlog/52-empty"])
        #expect(empty.cause == TriageRow.unreadableCause && empty.problem != nil)
        #expect(report.rollup.withProblems == 3)
        #expect(report.rows.allSatisfy { $0.problem?.value.contains(root.path) != true }, "no machine path in rows")
    }

    @Test func progressIsReportedOncePerTicketUpToTheTotal() throws {
        final class Seen: @unchecked Sendable { let lock = NSLock(); var values: [TriageProgress] = [] }
        let seen = Seen()
        let tickets = TriageTicket.discover([Self.backlog.path])
        _ = Self.runner(jobs: 2).run(tickets) { p in seen.lock.withLock { seen.values.append(p) } }
        #expect(seen.values.map(\.done) == Array(1...tickets.count))
        #expect(seen.values.allSatisfy { $0.total == tickets.count })
        #expect(seen.values.last?.line.hasPrefix("triage: \(tickets.count)/\(tickets.count) tickets") == true)
    }

    @Test func shardsParseAndHashStably() {
        #expect(TriageShard("3/8") == TriageShard(index: 3, count: 8))
        for bad in ["8/8", "-1/4", "1", "a/b", "1/0", "1/2/3"] { #expect(TriageShard(bad) == nil, "\(bad)") }
        // Published FNV-1a 64-bit test vectors.
        #expect(TriageShard.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(TriageShard.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(TriageShard.fnv1a("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func looseFilesAndSinglePathsAreTickets() throws {
        let root = Self.backlog.deletingLastPathComponent().appendingPathComponent("loose/inbox")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("t1"), withIntermediateDirectories: true)
        try "Error code: 404".write(to: root.appendingPathComponent("4711.txt"), atomically: true, encoding: .utf8)
        try "x".write(to: root.appendingPathComponent(".DS_Store"), atomically: true, encoding: .utf8)
        let zip = Repo.path("samples/archives/16-insufficient-balance.zip")
        let tickets = TriageTicket.discover([root.path, zip])
        #expect(tickets.map(\.label) == ["16-insufficient-balance.zip", "inbox/4711.txt", "inbox/t1"])
    }

    @Test func severalTicketFoldersAreNoticedForAnalyze() {
        let a = Repo.path("samples/tickets/01-base-url-missing-version"), b = Repo.path("samples/archives/16-insufficient-balance.zip")
        #expect(TriageTicket.looksLikeSeparateTickets([a, b]))
        #expect(!TriageTicket.looksLikeSeparateTickets([a]))
        #expect(!TriageTicket.looksLikeSeparateTickets([a + "/sdk-debug.log", a + "/capture.har"]))
    }

    private func sh(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}
