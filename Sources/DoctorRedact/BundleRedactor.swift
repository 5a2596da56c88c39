import DoctorIngest
import DoctorModel
import DoctorParse
import Foundation

/// The library side of `modeldoctor redact INPUT... -o OUT`: a redacted copy of a bundle that
/// a customer can attach to a public ticket.
///
/// Inputs are read with the same `Ingestor` as the analysis (folders, archives, gzip), every
/// text leaf is redacted line by line (line numbers are kept, so `file:line` references in a
/// report still point at the right line; replacements never add `"` or `\`, so a HAR stays
/// valid JSON) and written under OUT with the same relative structure. An archive member
/// `a.tar.gz!x/y.log` goes to `OUT/a.tar.gz.d/x/y.log`; a gzip leaf is written gzipped again.
/// Binary leaves are not copied (a secret in them could not be redacted). By default a
/// first pass learns every secret found by structure, so a key that also appears bare
/// earlier in the bundle is caught too.
public struct BundleRedactor {
    public struct Options: Sendable, Hashable {
        /// Write into an existing non-empty output folder.
        public var force = false
        /// Read the bundle twice: learn secrets first, then redact.
        public var learnFirst = true
        public init(force: Bool = false, learnFirst: Bool = true) { self.force = force; self.learnFirst = learnFirst }
    }

    /// One leaf of the bundle and where its redacted copy went.
    public struct FileResult: Sendable, Hashable {
        /// Display path inside the bundle (`bundle.tar.gz!dir/file.log`).
        public var path: String
        /// Path of the copy relative to the output folder; nil when not copied.
        public var output: String?
        public var compression: [String]
        public var lines: Int
        /// Redactions in this file, by kind.
        public var redactions: [String: Int]
    }

    public struct Result: Sendable {
        public var files: [FileResult] = []
        public var summary = RedactionSummary()
        public var problems: [Problem] = []
        /// Command-line inputs nothing could be read from.
        public var unreadableInputs: [String] = []
    }

    public let redactor: Redactor
    public let limits: IngestLimits
    public let options: Options
    /// Once-only inputs (stdin, pipes), read by the first pass and replayed by the second.
    public let buffers: InputBuffers

    public init(redactor: Redactor = Redactor(), limits: IngestLimits = IngestLimits(), options: Options = Options(),
                buffers: InputBuffers = InputBuffers()) {
        self.redactor = redactor; self.limits = limits; self.options = options; self.buffers = buffers
    }

    /// Writes the redacted copy of `inputs` under `output`.
    /// - Throws: `RedactionError.outputNotEmpty` (without `force`) or `.cannotWrite` when the
    ///   output folder cannot be used. Problems with single inputs land in `Result.problems`.
    public func run(_ inputs: [String], output: String) throws -> Result {
        try prepare(output)
        var result = Result()
        if options.learnFirst {
            _ = Ingestor(limits: limits, buffers: buffers).walk(inputs) { file in
                var state = LineState()
                _ = try? forEachLine(&file.stream) { line, _ in redactor.learnLine(line, state: &state) }
            }
        }
        var used: Set<String> = []
        let walk = Ingestor(limits: limits, buffers: buffers).walkInputs(inputs) { file in
            result.files.append(copy(&file, into: output, used: &used, problems: &result.problems))
        }
        for entry in walk.entries { result.problems += entry.problems }
        result.unreadableInputs = walk.unreadableInputs
        let all = redactor.summary
        for i in result.files.indices { result.files[i].redactions = all.byFileAndKind[result.files[i].path] ?? [:] }
        for f in result.files {
            for (kind, n) in f.redactions {
                result.summary.byKind[kind, default: 0] += n
                result.summary.byFile[f.path, default: 0] += n
            }
            if !f.redactions.isEmpty { result.summary.byFileAndKind[f.path] = f.redactions }
        }
        return result
    }

    // MARK: Steps

    private func prepare(_ output: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: output, isDirectory: &isDir) {
            guard isDir.boolValue else { throw RedactionError.cannotWrite(path: output, reason: "exists and is not a folder") }
            let entries = (try? fm.contentsOfDirectory(atPath: output)) ?? []
            if !entries.isEmpty && !options.force { throw RedactionError.outputNotEmpty(path: output) }
        } else {
            do { try fm.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
                throw RedactionError.cannotWrite(path: output, reason: RedactionError.reason(error))
            }
        }
    }

    private func copy(_ file: inout IngestedFile, into root: String, used: inout Set<String>, problems: inout [Problem]) -> FileResult {
        var fr = FileResult(path: file.path, output: nil, compression: file.compression, lines: 0, redactions: [:])
        let gzip = file.compression.last == "gzip"
        var rel = Self.outputPath(for: file.path)
        if gzip && !rel.hasSuffix(".gz") { rel += ".gz" }
        rel = Self.unique(rel, &used)
        let url = URL(fileURLWithPath: root).appendingPathComponent(rel)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw RedactionError.cannotWrite(path: rel, reason: "cannot create file")
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            let gz = gzip ? try GzipWriter(handle: handle) : nil
            var buffer: [UInt8] = []
            func flush() throws {
                if let gz { try gz.write(buffer) } else { handle.write(Data(buffer)) }
                buffer.removeAll(keepingCapacity: true)
            }
            var state = LineState()
            let isBinary = try forEachLine(&file.stream) { line, newline in
                buffer += redactor.redactLine(line, state: &state, file: file.path)
                if newline { buffer.append(10) }
                fr.lines += 1
                if buffer.count >= 1 << 20 { try flush() }
            }
            try flush()
            try gz?.finish()
            if isBinary {
                try? handle.close()
                try? FileManager.default.removeItem(at: url)
                problems.append(Problem(.warning, location: file.path, message: "binary content: not copied (it could not be redacted)"))
                fr.lines = 0
                return fr
            }
            fr.output = rel
        } catch {
            problems.append(Problem(.error, location: file.path, message: "\(error)"))
        }
        return fr
    }

    /// Calls `body` for every line (without its `\n`; `true` when a newline followed), in order.
    /// Returns true, without calling `body`, when the content looks binary (NUL bytes early on).
    @discardableResult
    private func forEachLine(_ stream: inout any ByteStream, _ body: ([UInt8], Bool) throws -> Void) throws -> Bool {
        var pending: [UInt8] = []
        var first = true
        while let chunk = try stream.read() {
            if first {
                first = false
                if chunk.prefix(4096).contains(0) { return true }
            }
            var start = chunk.startIndex
            while let nl = chunk[start...].firstIndex(of: 10) {
                if pending.isEmpty { try body(Array(chunk[start..<nl]), true) } else {
                    pending += chunk[start..<nl]
                    try body(pending, true)
                    pending.removeAll(keepingCapacity: true)
                }
                start = nl + 1
            }
            pending += chunk[start...]
        }
        if !pending.isEmpty { try body(pending, false) }
        return false
    }

    // MARK: Paths

    /// Where a display path goes under the output folder: containers become `NAME.d/`
    /// folders; `.`/`..`/empty components are dropped so nothing is written outside it.
    static func outputPath(for display: String) -> String {
        let parts = display.split(separator: "!", omittingEmptySubsequences: false)
        var comps: [String] = []
        for (i, part) in parts.enumerated() {
            var segs = part.replacingOccurrences(of: "\\", with: "/").split(separator: "/")
                .map(String.init).filter { $0 != "." && $0 != ".." && !$0.isEmpty }
            if segs.isEmpty { segs = ["_"] }
            if i < parts.count - 1 { segs[segs.count - 1] += ".d" }
            comps += segs
        }
        return comps.joined(separator: "/")
    }

    private static func unique(_ rel: String, _ used: inout Set<String>) -> String {
        var candidate = rel
        var n = 2
        while used.contains(candidate) {
            let ns = rel as NSString
            let ext = ns.pathExtension
            candidate = ext.isEmpty ? "\(rel)-\(n)" : "\(ns.deletingPathExtension)-\(n).\(ext)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }
}
