import DoctorModel
import CZlibShim
import Foundation
import ZIPFoundation

/// Opens a zip archive held in memory (zip needs random access to its central directory).
/// ZIPFoundation lists the members; a stored or deflated member's content is read straight
/// from the archive bytes and inflated by the system zlib (`ZipMemberStream`), because
/// ZIPFoundation's extraction loops forever on a deflate stream that ends before its final
/// block (found by Tests/Fuzz/zip.swift). Every offset ZIPFoundation would follow is checked
/// first (`scanCentralDirectory`), since one past the data makes it trap; its extraction is
/// never used.
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
        /// Where the data lies and how it is stored.
        fileprivate var span: Span
    }

    /// A member's data as its central-directory header and local header place it.
    struct Span: Equatable {
        var method: Int
        var crc: UInt32
        var dataStart: Int
        var compressed: Int
    }

    /// Display path of the archive, for errors.
    let path: String
    let members: [Member]
    /// Entries the end-of-central-directory record announces (nil for zip64).
    let declaredCount: Int?
    private let archive: Archive
    private let bytes: [UInt8]

    /// Opens the archive.
    /// - Throws: `IngestError.corrupt` (format `zip`) when it cannot be read as a zip.
    init(data: Data, path: String) throws {
        self.path = path
        // ZIPFoundation traps (arithmetic overflow) on a central directory that points past the
        // data, which would end the whole run; such an archive is refused here first.
        let bytes = [UInt8](data)
        self.bytes = bytes
        let scan = ZipReader.scanCentralDirectory(bytes)
        if let problem = scan.problem {
            throw IngestError.corrupt(path: path, format: "zip", offset: problem.offset, reason: problem.reason)
        }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw IngestError.corrupt(path: path, format: "zip", offset: 0, reason: "not a readable zip archive (\(error))")
        }
        let entries = Array(archive)
        // ZIPFoundation walks the same central directory in the same order, but stops early at a
        // header it cannot read; the two lists must then agree or the archive is refused (its
        // own extraction is never used: it loops forever on damaged deflate data).
        let spans = scan.spans
        guard entries.count == spans.count else {
            throw IngestError.corrupt(path: path, format: "zip", offset: 0,
                                      reason: "only \(entries.count) of the \(spans.count) central-directory entries could be read")
        }
        members = zip(entries, spans).map { entry, span in
            let kind: Member.Kind
            switch entry.type {
            case .file: kind = .file
            case .directory: kind = .directory
            case .symlink: kind = .symlink
            }
            return Member(name: TarReader.displayName(entry.path), kind: kind,
                          compressedSize: Int(clamping: entry.compressedSize), entry: entry, span: span)
        }
        declaredCount = ZipReader.declaredEntryCount(data)
    }

    /// The content of one member, read from the archive bytes on the caller's thread.
    /// `stop()` is a no-op kept for the reader's callers.
    func stream(_ member: Member, displayPath: String, maxRatio: Int) -> any StoppableStream {
        ZipMemberStream(bytes: bytes, span: member.span, path: displayPath, maxRatio: maxRatio)
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

    /// Checks that the end-of-central-directory record, every central-directory header and the
    /// local header and data each one points at lie inside the archive, zip64 records and extra
    /// fields included, and that the entry count matches.
    /// - Returns: the byte offset and reason of the first problem, or nil.
    /// - Complexity: O(n) in the size of the central directory.
    static func centralDirectoryProblem(_ b: [UInt8]) -> (offset: Int, reason: String)? {
        scanCentralDirectory(b).problem
    }

    /// The same walk, with each central-directory entry's data span.
    static func scanCentralDirectory(_ b: [UInt8]) -> (problem: (offset: Int, reason: String)?, spans: [Span]) {
        var spans: [Span] = []
        let problem = walkCentralDirectory(b) { spans.append($0) }
        return (problem, spans)
    }

    private static func walkCentralDirectory(_ b: [UInt8], _ found: (Span) -> Void) -> (offset: Int, reason: String)? {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        func sig(_ i: Int, _ c: UInt8, _ d: UInt8) -> Bool {
            i >= 0 && i + 4 <= b.count && b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == c && b[i + 3] == d
        }
        // No end-of-central-directory record (or one whose comment runs past the end): refused
        // here rather than by ZIPFoundation, whose Archive(data:) leaks its in-memory file, and
        // with it a copy of the whole input, every time it throws for this reason (found by
        // Tests/Fuzz/zip.swift under LeakSanitizer). A record further than 64 KiB + 22 bytes from
        // the end cannot exist: the comment before it is at most 65,535 bytes.
        let missing = (offset: 0, reason: "not a readable zip archive: no end-of-central-directory record")
        guard b.count >= 22 else { return missing }
        var eocd = b.count - 22
        let lowest = max(0, b.count - 65_557)
        while eocd >= lowest && !sig(eocd, 0x05, 0x06) { eocd -= 1 }
        guard eocd >= lowest else { return missing }
        guard eocd + 22 + u16(eocd + 20) <= b.count else {
            return (eocd, "not a readable zip archive: the end-of-central-directory comment runs past the end")
        }
        // Offsets past the data make ZIPFoundation trap (its memory file computes a negative
        // length), so every offset it will follow is checked here first, zip64 ones included
        // (found by Tests/Fuzz/zip.swift). An archive held in memory is far below 4 GiB, so a
        // 64-bit field with high bits set is out of bounds by definition.
        func u64(_ i: Int) -> Int? {
            guard i >= 0, i + 8 <= b.count else { return nil }
            return u32(i + 4) > 0 ? nil : u32(i)
        }
        var cdSize = u32(eocd + 12), cdOffset = u32(eocd + 16), declared = u16(eocd + 10), limit = eocd
        if cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF || declared == 0xFFFF {
            // Zip64: the locator sits just before the end record; the record and the directory
            // it points at must lie inside the archive.
            let locator = eocd - 20
            guard sig(locator, 0x06, 0x07), let record = u64(locator + 8), sig(record, 0x06, 0x06),
                  record + 56 <= locator else {
                return (eocd, "zip64 end record missing or outside the archive")
            }
            guard let size = u64(record + 40), let offset = u64(record + 48), let n = u64(record + 32),
                  offset + size <= record else {
                return (record, "the zip64 central directory lies outside the archive")
            }
            (cdSize, cdOffset, declared, limit) = (size, offset, n, record)
        }
        guard cdOffset + cdSize <= limit else {
            return (eocd, "the central directory (offset \(cdOffset), size \(cdSize)) lies outside the archive")
        }
        var i = cdOffset
        var count = 0
        while i < cdOffset + cdSize {
            guard i + 46 <= cdOffset + cdSize, sig(i, 0x01, 0x02) else {
                return (i, "broken central-directory header")
            }
            let nameLength = u16(i + 28), extraLength = u16(i + 30)
            let next = i + 46 + nameLength + extraLength + u16(i + 32)
            guard next <= cdOffset + cdSize else { return (i, "central-directory header runs past the directory") }
            var size = u32(i + 24), compressed = u32(i + 20), local = u32(i + 42)
            if size == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                // The zip64 extra field holds, in this order, each value its 32-bit field marks.
                var values: [Int?] = []
                var x = i + 46 + nameLength
                let extraEnd = x + extraLength
                while x + 4 <= extraEnd {
                    let id = u16(x), length = u16(x + 2)
                    guard x + 4 + length <= extraEnd else { break }
                    if id == 0x0001 {
                        var y = x + 4
                        while y + 8 <= x + 4 + length { values.append(u64(y)); y += 8 }
                        break
                    }
                    x += 4 + length
                }
                var next64 = values.makeIterator()
                func take(_ v: Int) -> Int? { v == 0xFFFF_FFFF ? (next64.next() ?? nil) : v }
                guard let s64 = take(size), let c64 = take(compressed), let l64 = take(local) else {
                    return (i, "zip64 sizes or offset missing from the member's extra field")
                }
                (size, compressed, local) = (s64, c64, l64)
            }
            guard local + 30 <= cdOffset, sig(local, 0x03, 0x04) else {
                return (i, "member points at offset \(local), where there is no local header")
            }
            let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
            guard dataStart + compressed <= cdOffset else {
                return (local, "member data (\(compressed) bytes from offset \(dataStart)) runs past the archive's data")
            }
            if u16(i + 8) & 0x0008 != 0 {
                // A data descriptor follows the data; ZIPFoundation reads it while listing, after
                // the uncompressed size for a stored member. It must lie before the directory.
                let isZip64 = u32(i + 24) == 0xFFFF_FFFF || u32(i + 20) == 0xFFFF_FFFF || u32(i + 42) == 0xFFFF_FFFF
                let position = dataStart + (u16(i + 10) == 0 ? size : compressed)
                guard position + (isZip64 ? 24 : 16) <= cdOffset else {
                    return (local, "the member's data descriptor (at offset \(position)) lies outside the archive's data")
                }
            }
            found(Span(method: u16(i + 10), crc: UInt32(u32(i + 16)), dataStart: dataStart, compressed: compressed))
            count += 1
            i = next
        }
        // ZIPFoundation reads as many headers as the end record announces, past the directory if
        // it holds fewer.
        guard declared == count else {
            return (eocd, "the end record announces \(declared) entries, the central directory holds \(count)")
        }
        return nil
    }

}

/// A stream the reader stops before opening the next member (a background reader ends its
/// thread; an in-place reader has nothing to stop).
protocol StoppableStream: ByteStream {
    func stop()
}

extension PrefetchStream: StoppableStream {}

/// A stored or deflated zip member read from the archive bytes on the caller's thread:
/// deflate through the same zlib inflater as .gz files (raw mode), the CRC-32 checked at the
/// end. A deflate stream that ends early is `truncated`, bad data `corrupt`, both with the
/// offset inside the member's compressed data; the ratio cap applies as for gzip.
final class ZipMemberStream: StoppableStream {
    private var source: any ByteStream
    private let path: String
    private let expected: UInt32
    private var crc: UInt = 0
    private var produced = 0
    private var done = false

    init(bytes: [UInt8], span: ZipReader.Span, path: String, maxRatio: Int) {
        self.path = path
        self.expected = span.crc
        let data = Array(bytes[span.dataStart..<(span.dataStart + span.compressed)])
        switch span.method {
        case 0:
            source = MemoryStream(data)
        case 8:
            source = GzipStream(MemoryStream(data), path: path, maxRatio: maxRatio, raw: true, format: "zip")
        default:
            source = FailingStream(error: .corrupt(path: path, format: "zip", offset: 0,
                                                   reason: "compression method \(span.method) is not supported (only stored and deflate)"))
        }
    }

    func read() throws -> ArraySlice<UInt8>? {
        if done { return nil }
        guard let chunk = try source.read() else {
            done = true
            if UInt32(truncatingIfNeeded: crc) != expected {
                throw IngestError.corrupt(path: path, format: "zip", offset: produced, reason: "CRC-32 does not match the archive's")
            }
            return nil
        }
        produced += chunk.count
        crc = chunk.withUnsafeBufferPointer { p in
            UInt(CZlibShim.crc32(uLong(crc), p.baseAddress, uInt(p.count)))
        }
        return chunk
    }

    func stop() {}
}

/// A stream whose first read throws.
private struct FailingStream: ByteStream {
    let error: IngestError
    private var thrown = false
    init(error: IngestError) { self.error = error }
    mutating func read() throws -> ArraySlice<UInt8>? {
        if thrown { return nil }
        thrown = true
        throw error
    }
}
