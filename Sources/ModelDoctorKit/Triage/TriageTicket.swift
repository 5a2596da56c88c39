import Foundation

/// One ticket of a backlog: where its files are and the label it is shown under.
public struct TriageTicket: Sendable, Hashable {
    /// The label rows are sorted and sharded by: `<folder given>/<entry>`, or the name of a
    /// path given by itself. Independent of the working folder and of where the backlog is
    /// mounted, so shards on different machines agree.
    public var label: String
    /// The file or folder to read.
    public var path: String

    public init(label: String, path: String) { self.label = label; self.path = path }

    /// The tickets under the given paths, sorted by label.
    ///
    /// Each entry of a given folder is one ticket: a subfolder, an archive, or a loose file
    /// (a pasted error saved as `4711.txt` is a ticket too). A path that is itself a file or
    /// archive is one ticket. A path that does not exist is kept as a ticket, so its row says
    /// so. Names the ingest stage never reads (`.DS_Store`, `.git`, `__MACOSX`) and hidden
    /// entries are skipped.
    public static func discover(_ paths: [String]) -> [TriageTicket] {
        var out: [TriageTicket] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            let name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
                out.append(TriageTicket(label: name, path: path))
                continue
            }
            let entries = ((try? fm.contentsOfDirectory(atPath: path)) ?? [])
                .filter { !$0.hasPrefix(".") && $0 != "__MACOSX" }.sorted()
            for entry in entries {
                out.append(TriageTicket(label: name + "/" + entry, path: (path as NSString).appendingPathComponent(entry)))
            }
        }
        return out.sorted { $0.label < $1.label }
    }
}

/// A stable split of a backlog over machines: `--shard I/N` keeps the tickets whose label
/// hashes to I modulo N.
///
/// The hash is 64-bit FNV-1a of the label's UTF-8 bytes: the same on every machine, run and
/// build. Swift's `Hasher` is seeded per process and would put a ticket in a different shard
/// on each run.
public struct TriageShard: Sendable, Hashable {
    /// 0-based, as Kubernetes' `JOB_COMPLETION_INDEX`.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// Parses `I/N` with 0 ≤ I < N; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n > 0, i >= 0, i < n else { return nil }
        self.init(index: i, count: n)
    }

    public func contains(_ ticket: TriageTicket) -> Bool {
        Self.fnv1a(ticket.label) % UInt64(count) == UInt64(index)
    }

    /// 64-bit FNV-1a.
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}

extension TriageTicket {
    /// True when two or more of `paths` look like separate tickets: folders holding files of
    /// their own, or archives (`.zip`, `.tar`, `.tgz`, `.tar.gz`). `analyze` merges its inputs
    /// into one bundle and uses this to point at `triage`.
    public static func looksLikeSeparateTickets(_ paths: [String]) -> Bool {
        let fm = FileManager.default
        let archives = [".zip", ".tar", ".tgz", ".tar.gz"]
        let ticketLike = paths.filter { path in
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return false }
            if isDir.boolValue { return ((try? fm.contentsOfDirectory(atPath: path)) ?? []).contains { !$0.hasPrefix(".") } }
            return archives.contains { path.lowercased().hasSuffix($0) }
        }
        return ticketLike.count >= 2
    }
}
