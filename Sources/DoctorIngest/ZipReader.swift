import DoctorModel
import Foundation
import ZIPFoundation

/// Opens a zip archive held in memory (zip needs random access to its central directory) and
/// streams each member's content through ZIPFoundation on a background thread.
///
/// Member names are display labels only; nothing is ever written to disk.
final class ZipReader {
    /// A member as the central directory lists it.
    struct Member {
        enum Kind { case file, directory, symlink }
        var name: String
        var kind: Kind
        var compressedSize: Int
        fileprivate var entry: Entry
    }

    /// Display path of the archive, for errors.
    let path: String
    let members: [Member]
    /// Entries the end-of-central-directory record announces (nil for zip64).
    let declaredCount: Int?
    private let archive: Archive

    /// Opens the archive.
    /// - Throws: `IngestError.corrupt` (format `zip`) when it cannot be read as a zip.
    init(data: Data, path: String) throws {
        self.path = path
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw IngestError.corrupt(path: path, format: "zip", offset: 0, reason: "not a readable zip archive (\(error))")
        }
        members = archive.map { entry in
            let kind: Member.Kind
            switch entry.type {
            case .file: kind = .file
            case .directory: kind = .directory
            case .symlink: kind = .symlink
            }
            return Member(name: TarReader.displayName(entry.path), kind: kind,
                          compressedSize: Int(clamping: entry.compressedSize), entry: entry)
        }
        declaredCount = ZipReader.declaredEntryCount(data)
    }

    /// The content of one member, inflated on a background thread. Call `stop()` on the
    /// returned stream before opening the next member: the archive is read by one thread
    /// at a time.
    func stream(_ member: Member, displayPath: String, maxRatio: Int) -> PrefetchStream {
        let archive = UncheckedBox(self.archive)
        let entry = UncheckedBox(member.entry)
        let compressed = max(member.compressedSize, 1)
        return PrefetchStream(depth: 2) { send in
            var out = 0
            do {
                // The consumer form of `extract` returns the CRC instead of checking it.
                let crc = try archive.value.extract(entry.value, bufferSize: 256 << 10) { data in
                    out += data.count
                    if out > (1 << 20) && out / compressed > maxRatio {
                        throw IngestError.limitExceeded(path: displayPath, limit: "compression ratio", value: maxRatio, flag: "--max-ratio")
                    }
                    guard send(ArraySlice([UInt8](data))) else { throw ConsumerStopped() }
                }
                if crc != entry.value.checksum {
                    throw IngestError.corrupt(path: displayPath, format: "zip", offset: out, reason: "CRC-32 does not match the archive's")
                }
            } catch is ConsumerStopped {
                return
            } catch let e as IngestError {
                throw e
            } catch {
                throw IngestError.corrupt(path: displayPath, format: "zip", offset: out, reason: "\(error)")
            }
        }
    }

    /// The entry count of the end-of-central-directory record, found from the end.
    static func declaredEntryCount(_ data: Data) -> Int? {
        let bytes = [UInt8](data.suffix(65_557))
        guard bytes.count >= 22 else { return nil }
        var i = bytes.count - 22
        while i >= 0 {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                let n = Int(bytes[i + 10]) | Int(bytes[i + 11]) << 8
                return n == 0xFFFF ? nil : n
            }
            i -= 1
        }
        return nil
    }

    private struct ConsumerStopped: Error {}
}
