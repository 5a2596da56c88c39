import DoctorModel
import Foundation

/// Tar and zip walking: members in archive order, each through `ingest` again (an archive
/// member may itself be gzip, tar or zip), with the entry cap and problems per archive.
extension IngestWalk {
    func tar(_ stream: PeekedStream, path: String, compression: [String], _ visit: Visit) {
        let reader = TarReader(stream, path: path)
        var count = 0
        var problems: [Problem] = []
        while true {
            let member: TarReader.Member
            do {
                guard let m = try reader.next() else { break }
                member = m
            } catch {
                problems.append(IngestWalk.problem(error, path: path))
                break
            }
            if member.kind == .directory || IngestWalk.isIgnored(member: member.name) { continue }
            count += 1
            guard count <= limits.maxArchiveEntries else {
                problems.append(entryCap(path))
                break
            }
            let shown = path + "!" + member.name
            switch member.kind {
            case .file:
                ingest(TarMemberStream(reader: reader), path: shown, compression: compression, visit)
            case .link(let target):
                entries.append(InventoryEntry(path: shown, compression: compression, skipped: ["link to \(target): not followed"]))
            default:
                entries.append(InventoryEntry(path: shown, compression: compression, skipped: ["special tar entry (not a regular file): not read"]))
            }
            if budget.exhausted {
                problems.append(byteCapHit(path))
                break
            }
        }
        finishArchive(path: path, format: "tar", compression: compression, members: count, problems: problems)
    }

    func zip(_ stream: PeekedStream, path: String, compression: [String], _ visit: Visit) {
        // Zip keeps its directory at the end, so it is read whole, up to the document cap.
        var stream = stream
        var data = Data()
        do {
            while let chunk = try stream.read() {
                guard data.count + chunk.count <= limits.maxDocumentBytes else {
                    let e = IngestError.limitExceeded(path: path, limit: "zip archive size (read into memory)", value: limits.maxDocumentBytes, flag: "--max-document")
                    finishArchive(path: path, format: "zip", compression: compression, members: -1, problems: [e.problem])
                    return
                }
                data.append(contentsOf: chunk)
            }
        } catch {
            finishArchive(path: path, format: "zip", compression: compression, members: -1, problems: [IngestWalk.problem(error, path: path)])
            return
        }
        let reader: ZipReader
        do {
            reader = try ZipReader(data: data, path: path)
        } catch {
            finishArchive(path: path, format: "zip", compression: compression, members: -1, problems: [IngestWalk.problem(error, path: path)])
            return
        }
        var problems: [Problem] = []
        if let declared = reader.declaredCount, declared > reader.members.count {
            problems.append(IngestError.corrupt(path: path, format: "zip", offset: 0,
                reason: "the central directory announces \(declared) entries but only \(reader.members.count) could be read").problem)
        }
        var count = 0
        for member in reader.members where member.kind != .directory && !IngestWalk.isIgnored(member: member.name) {
            count += 1
            guard count <= limits.maxArchiveEntries else {
                problems.append(entryCap(path))
                break
            }
            let shown = path + "!" + member.name
            if member.kind == .symlink {
                entries.append(InventoryEntry(path: shown, compression: compression, skipped: ["symbolic link: not followed"]))
                continue
            }
            let content = reader.stream(member, displayPath: shown, maxRatio: limits.maxCompressionRatio)
            ingest(content, path: shown, compression: compression, visit)
            content.stop()
            if budget.exhausted {
                problems.append(byteCapHit(path))
                break
            }
        }
        finishArchive(path: path, format: "zip", compression: compression, members: count, problems: problems)
    }

    /// Adds the archive's own entry when it has something to say: problems, or no members.
    private func finishArchive(path: String, format: String, compression: [String], members: Int, problems: [Problem]) {
        guard !problems.isEmpty || members == 0 else { return }
        entries.append(InventoryEntry(path: path, format: format, compression: compression,
                                      skipped: members == 0 && problems.isEmpty ? ["empty \(format) archive"] : [],
                                      problems: problems))
    }

    private func entryCap(_ path: String) -> Problem {
        IngestError.limitExceeded(path: path, limit: "archive entries", value: limits.maxArchiveEntries, flag: "--max-entries").problem
    }

    private func byteCapHit(_ path: String) -> Problem {
        IngestError.limitExceeded(path: path, limit: "decompressed bytes", value: limits.maxTotalBytes, flag: "--max-bytes").problem
    }
}
