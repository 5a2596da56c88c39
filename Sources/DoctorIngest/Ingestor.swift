import DoctorModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the command-line inputs (files, folders, archives, `-` for stdin) into leaf files.
///
/// Containers are recognised by their magic bytes, never by name (gzip `1f 8b`, zip `PK\3\4`,
/// tar `ustar` at 257 or a valid v7 header), and peeled off one after the other up to
/// `maxDepth`, so `bundle.zip!logs/app.log.gz` reaches the parser as text with compression
/// `["zip", "gzip"]`. Everything streams: gzip is inflated on a background thread a few
/// chunks ahead of the parser, tar members are sub-streams of the archive stream, and only a
/// zip (random access) is held in memory.
///
/// Nothing is dropped silently: inputs or containers that cannot be opened, links, special
/// files, empty archives and caps that were hit come back as inventory entries.
public struct Ingestor {
    public let limits: IngestLimits
    /// Once-only inputs (stdin, pipes) already read; share one between walks of the same inputs.
    public let buffers: InputBuffers
    /// Told of the bytes read from input files, for a progress display; nil for none.
    public let progress: ReadProgress?
    public init(limits: IngestLimits = IngestLimits(), buffers: InputBuffers = InputBuffers(), progress: ReadProgress? = nil) {
        self.limits = limits; self.buffers = buffers; self.progress = progress
    }

    /// What a walk could not hand to the visitor.
    public struct WalkResult {
        /// Inventory entries for inputs, containers and members that were not visited.
        public var entries: [InventoryEntry] = []
        /// Command-line inputs nothing could be read from at all: missing, not openable, a
        /// folder that cannot be listed. Exit status 2.
        public var unreadableInputs: [String] = []
    }

    /// Walks the inputs in order (`-` is standard input). `visit` is called once per leaf file,
    /// deterministic order (folder entries sorted by name, archive members in archive order).
    /// Inputs or containers that cannot be opened at all come back as inventory entries
    /// carrying their problems.
    public func walk(_ inputs: [String], visit: (inout IngestedFile) -> Void) -> [InventoryEntry] {
        walkInputs(inputs, visit: visit).entries
    }

    /// `walk`, also telling which command-line inputs could not be read at all. An input
    /// given twice is read once (one inventory entry per input).
    public func walkInputs(_ inputs: [String], visit: (inout IngestedFile) -> Void) -> WalkResult {
        let walk = IngestWalk(limits: limits, buffers: buffers, progress: progress)
        progress?.setTotal(ReadProgress.totalSize(of: inputs))
        var seen: Set<String> = []
        for input in inputs where seen.insert(input == "-" ? input : URL(fileURLWithPath: input).standardized.path).inserted {
            walk.input(input, visit)
        }
        return WalkResult(entries: walk.entries, unreadableInputs: walk.unreadableInputs)
    }
}

/// The state of one walk: the shared byte budget and the entries for what was not visited.
final class IngestWalk {
    typealias Visit = (inout IngestedFile) -> Void

    let limits: IngestLimits
    let budget: ByteBudget
    let buffers: InputBuffers
    let progress: ReadProgress?
    /// Entries for inputs, containers and members that were not handed to the visitor.
    var entries: [InventoryEntry] = []
    /// Command-line inputs nothing could be read from.
    var unreadableInputs: [String] = []

    /// Names never read: operating-system and version-control litter, at any depth of a
    /// folder or archive. Everything else is listed, even when nothing can read it.
    static let ignoredNames: Set<String> = [".DS_Store", ".git", "__MACOSX"]

    init(limits: IngestLimits, buffers: InputBuffers = InputBuffers(), progress: ReadProgress? = nil) {
        self.limits = limits
        self.budget = ByteBudget(limit: limits.maxTotalBytes)
        self.buffers = buffers
        self.progress = progress
    }

    /// One command-line input.
    func input(_ input: String, _ visit: Visit) {
        if input == "-" {
            let fd = buffers.standardInput
            once(input, display: "stdin", visit) { FileStream(fileDescriptor: fd, path: "stdin") }
            return
        }
        var st = stat()
        guard stat(input, &st) == 0 else {
            let reason = errno == ENOENT ? "no such file or folder" : String(cString: strerror(errno))
            unreadable(input, IngestError.unreadable(path: input, reason: reason))
            return
        }
        let display = (input as NSString).lastPathComponent
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            guard (try? FileManager.default.contentsOfDirectory(atPath: input)) != nil else {
                unreadable(input, IngestError.unreadable(path: input, reason: "cannot list folder"))
                return
            }
            var seen: Set<String> = []
            folder(input, display: "", seen: &seen, visit)
        case S_IFREG:
            do {
                let stream = try FileStream(path: input, displayPath: display, progress: progress)
                ingest(stream, path: display, compression: [], reopen: { try FileStream(path: input, displayPath: display) }, visit)
            } catch {
                unreadable(input, IngestWalk.ingestError(error, path: input).at(input))
            }
        default:
            // Any other non-folder given by name is read, pipes included (`<(zcat …)`): once,
            // into memory, so a second walk replays it.
            once(input, display: display, visit) { try FileStream(path: input, displayPath: display) }
        }
    }

    /// A command-line input that can be read only once (stdin, a pipe, a socket).
    private func once(_ key: String, display: String, _ visit: Visit, open: () throws -> any ByteStream) {
        let b = buffers.buffered(key, path: display, limits: limits, open: open)
        if b.unreadable, let e = b.error {
            unreadable(key == "-" ? "stdin" : key, key == "-" ? e : e.at(key))
            return
        }
        ingest(ReplayStream(b), path: display, compression: [], reopen: { ReplayStream(b) }, visit)
    }

    /// A command-line input nothing could be read from: one inventory entry, named as given.
    private func unreadable(_ input: String, _ error: IngestError) {
        unreadableInputs.append(input)
        entries.append(InventoryEntry(path: input, problems: [error.problem]))
    }

    /// A folder, recursively, entries sorted by name; display paths relative to the root.
    private func folder(_ dir: String, display: String, seen: inout Set<String>, _ visit: Visit) {
        let real = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        guard seen.insert(real).inserted else {
            entries.append(InventoryEntry(path: display, skipped: ["folder link loop: already read"]))
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir)
        } catch {
            let where_ = display.isEmpty ? dir : display
            entries.append(InventoryEntry(path: where_, problems: [IngestError.unreadable(path: where_, reason: "cannot list folder").problem]))
            return
        }
        for name in names.sorted() where !IngestWalk.ignoredNames.contains(name) {
            let full = (dir as NSString).appendingPathComponent(name)
            let shown = display.isEmpty ? name : display + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else {
                entries.append(InventoryEntry(path: shown, problems: [IngestError.unreadable(path: shown, reason: String(cString: strerror(errno))).problem]))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: folder(full, display: shown, seen: &seen, visit)
            case S_IFREG: file(full, display: shown, visit)
            default: entries.append(InventoryEntry(path: shown, skipped: ["not a regular file (device, socket or pipe): not read"]))
            }
        }
    }

    private func file(_ fsPath: String, display: String, _ visit: Visit) {
        do {
            let stream = try FileStream(path: fsPath, displayPath: display, progress: progress)
            ingest(stream, path: display, compression: [], reopen: { try FileStream(path: fsPath, displayPath: display) }, visit)
        } catch {
            entries.append(InventoryEntry(path: display, problems: [IngestWalk.problem(error, path: display)]))
        }
    }

    /// Sniffs a stream and either peels the container it is or hands it to the visitor.
    /// `reopen` gives the stream again from its start (a file on disk), nil when it cannot.
    func ingest(_ stream: any ByteStream, path: String, compression: [String],
                reopen: (() throws -> any ByteStream)? = nil, _ visit: Visit) {
        let peeked = PeekedStream(stream, limit: TarHeader.blockSize)
        if let other = ContainerKind.unsupported(peeked.prefix) {
            let e = IngestError.unreadable(path: path, reason: "\(other) data is not supported: decompress it and attach the result")
            entries.append(InventoryEntry(path: path, format: other, compression: compression, problems: [e.problem]))
            return
        }
        guard let container = ContainerKind.sniff(peeked.prefix) else {
            var leaf: any ByteStream = peeked
            if !compression.isEmpty { leaf = BudgetedStream(peeked, budget: budget, path: path) }
            // Read again, a compressed file's budget is not charged twice: it was checked once.
            var file = IngestedFile(path: path, compression: compression, stream: leaf, reopen: reopen)
            visit(&file)
            return
        }
        guard compression.count < limits.maxDepth else {
            let e = IngestError.limitExceeded(path: path, limit: "nesting depth", value: limits.maxDepth, flag: "--max-depth")
            entries.append(InventoryEntry(path: path, format: container.rawValue, compression: compression, problems: [e.problem]))
            return
        }
        switch container {
        case .gzip:
            let maxRatio = limits.maxCompressionRatio
            // Inflated in quarters of a megabyte after the first megabyte: the chunks queued to
            // the reader and those it has read ahead are whole chunks in memory (seven of a
            // megabyte each were most of what a large log's parse held besides its calls). The
            // first chunk stays a megabyte: it is the text the sniffers see (`PeekedStream`
            // keeps the whole chunks it read), and a file's kind must not change with it.
            let inflated = PrefetchStream(GzipStream(peeked, path: path, maxRatio: maxRatio, outputChunk: 256 << 10,
                                                     firstOutputChunk: 1 << 20))
            let again = reopen.map { open in { () throws -> any ByteStream in GzipStream(try open(), path: path, maxRatio: maxRatio) } }
            ingest(inflated, path: path, compression: compression + ["gzip"], reopen: again, visit)
            inflated.stop()
        case .tar:
            tar(peeked, path: path, compression: compression + ["tar"], visit)
        case .zip:
            zip(peeked, path: path, compression: compression + ["zip"], visit)
        }
    }

    /// An error as an inventory problem.
    static func problem(_ error: any Error, path: String) -> Problem {
        ingestError(error, path: path).problem
    }

    static func ingestError(_ error: any Error, path: String) -> IngestError {
        if let e = error as? IngestError { return e }
        return IngestError.unreadable(path: path, reason: "\(error)")
    }

    /// True when a member path has an ignored component (`__MACOSX/…`, `.git/…`).
    static func isIgnored(member: String) -> Bool {
        member.split(separator: "/").contains { ignoredNames.contains(String($0)) }
    }
}

/// The containers the walker opens, by magic bytes.
enum ContainerKind: String {
    case gzip, tar, zip

    /// The container the first bytes announce; nil for anything else (a leaf).
    static func sniff(_ p: [UInt8]) -> ContainerKind? {
        if p.count >= 2, p[0] == 0x1F, p[1] == 0x8B { return .gzip }
        if p.count >= 4, p[0] == 0x50, p[1] == 0x4B,
           (p[2] == 0x03 && p[3] == 0x04) || (p[2] == 0x05 && p[3] == 0x06) { return .zip }
        if TarHeader.sniff(p) { return .tar }
        return nil
    }

    /// Compressed or archive formats the walker cannot open (no library for them here), so
    /// the inventory can say what to ask for instead of calling the file binary.
    static func unsupported(_ p: [UInt8]) -> String? {
        func starts(_ magic: [UInt8]) -> Bool { p.count >= magic.count && p.prefix(magic.count).elementsEqual(magic) }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz" }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return "zstd" }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return "7z" }
        if starts([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]) { return "rar" }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return "lz4" }
        if starts([0x1F, 0x9D]) { return "compress (.Z)" }
        // bzip2: "BZh1"…"BZh9", then a block magic (pi) or the end-of-stream magic (sqrt pi).
        if p.count >= 10, starts([0x42, 0x5A, 0x68]), (0x31...0x39).contains(p[3]),
           p[4..<10].elementsEqual([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) || p[4..<10].elementsEqual([0x17, 0x72, 0x45, 0x38, 0x50, 0x90]) {
            return "bzip2"
        }
        return nil
    }
}
