import Foundation

/// Placeholder walker (plain files and folders only); the real one adds containers and limits.
public struct Ingestor {
    public let limits: IngestLimits
    public init(limits: IngestLimits = IngestLimits()) { self.limits = limits }

    /// Walks the inputs in order (`-` is standard input). `visit` is called once per leaf file,
    /// deterministic order (folder entries sorted by name). Inputs or containers that cannot be
    /// opened at all come back as inventory entries carrying their problems.
    public func walk(_ inputs: [String], visit: (inout IngestedFile) -> Void) -> [InventoryEntry] {
        var failed: [InventoryEntry] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                failed.append(InventoryEntry(path: input, problems: [Problem(location: input, message: "no such file or folder")]))
                continue
            }
            if isDir.boolValue {
                let files = (fm.enumerator(atPath: input)?.allObjects as? [String] ?? []).sorted()
                for rel in files {
                    let full = (input as NSString).appendingPathComponent(rel)
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue,
                       let data = fm.contents(atPath: full) {
                        var f = IngestedFile(path: rel, compression: [], stream: MemoryStream([UInt8](data)))
                        visit(&f)
                    }
                }
            } else if let data = fm.contents(atPath: input) {
                var f = IngestedFile(path: (input as NSString).lastPathComponent, compression: [], stream: MemoryStream([UInt8](data)))
                visit(&f)
            }
        }
        return failed
    }
}
