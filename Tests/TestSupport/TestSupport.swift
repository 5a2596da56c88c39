import Foundation
import ModelDoctorKit

/// Locates files of this repository from tests, whatever the working folder.
public enum Repo {
    /// The package root, found from this file's own path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under `Tests/Fixtures/`.
    public static func fixture(_ relative: String) -> URL {
        root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// A path under the package root (`samples/…`, `rules/…`).
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The text of a fixture.
    public static func text(_ relative: String) throws -> String {
        try String(contentsOf: fixture(relative), encoding: .utf8)
    }

    /// A temporary copy of the shipped rule packs (`rules/*.yaml`) with `wordingModel` as its
    /// `wording-model.tsv`, or none; returns the copy's `rules/` folder. A `samples` link sits
    /// beside it, as the packs' `file:` examples name sample bundles relative to that folder
    /// (without it those packs are refused). The caller removes the folder's parent when done.
    public static func copyOfRules(wordingModel: String?) throws -> String {
        let fm = FileManager.default
        let home = fm.temporaryDirectory.appendingPathComponent("md-rules-\(UUID().uuidString)")
        let dir = home.appendingPathComponent("rules")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: home.appendingPathComponent("samples").path, withDestinationPath: path("samples"))
        for f in try fm.contentsOfDirectory(atPath: path("rules")) where f.hasSuffix(".yaml") {
            try fm.copyItem(atPath: path("rules/\(f)"), toPath: dir.appendingPathComponent(f).path)
        }
        if let wordingModel {
            try wordingModel.write(to: dir.appendingPathComponent("wording-model.tsv"), atomically: true, encoding: .utf8)
        }
        return dir.path
    }
}

/// Runs a line parser over text, cutting it into lines the way the pipeline does.
public func parseLines<P: LogParser>(_ type: P.Type, _ text: String, path: String = "test.log",
                                     chunkSize: Int = 1 << 20) -> ParseOutput {
    let input = SniffInput(path: path, text: String(text.prefix(65536)), isWholeFile: text.utf8.count < 65536)
    let sniff = type.sniff(input) ?? Sniff(kind: type.kind, score: 1)
    var parser = P(path: path, sniff: sniff)
    if type.readsWholeDocument {
        parser.consume(document: Array(text.utf8))
        return parser.finish()
    }
    var splitter = LineSplitter()
    var stream = MemoryStream(Array(text.utf8), chunkSize: chunkSize)
    while let chunk = try? stream.read() { splitter.feed(chunk) { parser.consume($0) } }
    splitter.finish { parser.consume($0) }
    return parser.finish()
}

/// The sniff verdict for a text.
public func sniff(_ text: String, path: String = "test.log") -> (InputKind, String?)? {
    let input = SniffInput(path: path, text: String(text.prefix(65536)), isWholeFile: text.utf8.count < 65536)
    return ParserRegistry.detect(input).map { ($0.1.kind, $0.1.format) }
}
