import DoctorModel

/// One 512-byte tar header block, decoded: ustar/POSIX, GNU and old v7 layouts.
///
/// Only what the walker needs is kept: name, size, type and link target. Names are display
/// labels; they are never turned into file-system paths.
struct TarHeader {
    enum Kind: Equatable {
        case file, directory, link(String), gnuLongName, gnuLongLink, paxLocal, paxGlobal, other(UInt8)
    }

    var name: String
    var size: Int
    var kind: Kind

    static let blockSize = 512

    /// Decodes a block; nil when the stored checksum does not match.
    init?(_ block: [UInt8]) {
        guard block.count == TarHeader.blockSize, TarHeader.checksumMatches(block) else { return nil }
        guard let size = TarHeader.number(block[124..<136]) else { return nil }
        self.size = size
        var name = TarHeader.string(block[0..<100])
        // POSIX ustar ("ustar\0"): the prefix field holds the leading directories. GNU tar
        // ("ustar  \0") keeps other data there, so only the POSIX magic counts.
        if block[257..<263].elementsEqual([0x75, 0x73, 0x74, 0x61, 0x72, 0x00]) {
            let prefix = TarHeader.string(block[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        self.name = name
        let flag = block[156]
        switch flag {
        case 0x30, 0x00, 0x37: kind = .file                              // '0', NUL, '7' contiguous
        case 0x35: kind = .directory                                       // '5'
        case 0x31, 0x32: kind = .link(TarHeader.string(block[157..<257]))  // '1' hard, '2' symbolic
        case 0x4C: kind = .gnuLongName                                     // 'L'
        case 0x4B: kind = .gnuLongLink                                     // 'K'
        case 0x78: kind = .paxLocal                                        // 'x'
        case 0x67: kind = .paxGlobal                                       // 'g'
        default: kind = .other(flag)   // devices, FIFOs, vendor extensions: nothing to read
        }
    }

    /// True for an all-zero block (end of archive).
    static func isZero(_ block: [UInt8]) -> Bool {
        !block.contains { $0 != 0 }
    }

    /// True when the first block looks like a tar header: the ustar magic at 257, or (old v7
    /// archives) a valid header checksum and a name.
    static func sniff(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= blockSize else { return false }
        let block = Array(prefix[0..<blockSize])
        if block[257..<262].elementsEqual([0x75, 0x73, 0x74, 0x61, 0x72]) {   // "ustar"
            return checksumMatches(block)
        }
        return block[0] != 0 && checksumMatches(block) && number(block[124..<136]) != nil
    }

    /// The header checksum: the sum of all bytes with the checksum field read as spaces,
    /// unsigned (POSIX) or signed (some old tars).
    static func checksumMatches(_ block: [UInt8]) -> Bool {
        guard let stored = number(block[148..<156]) else { return false }
        var unsigned = 0, signed = 0
        for (i, b) in block.enumerated() {
            let v = (148..<156).contains(i) ? 0x20 : b
            unsigned += Int(v)
            signed += Int(Int8(bitPattern: v))
        }
        return stored == unsigned || stored == signed
    }

    /// A numeric field: octal text (space/NUL padded) or GNU base-256 (high bit set).
    static func number(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            var v = Int(first & 0x3F)
            for b in field.dropFirst() {
                guard v < (Int.max >> 8) else { return nil }
                v = v << 8 | Int(b)
            }
            return v
        }
        var v = 0, digits = 0
        for b in field {
            switch b {
            case 0x30...0x37:
                guard v < (Int.max >> 3) else { return nil }
                v = v * 8 + Int(b - 0x30); digits += 1
            case 0x20 where digits == 0: continue          // leading spaces
            case 0x20, 0x00: return digits > 0 ? v : (b == 0 && digits == 0 ? 0 : nil)
            default: return nil
            }
        }
        return digits > 0 ? v : nil
    }

    /// A NUL-terminated text field, decoded as UTF-8 (invalid bytes replaced).
    static func string(_ field: ArraySlice<UInt8>) -> String {
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[field.startIndex..<end], as: UTF8.self)
    }

    /// The `path` and `size` records of a pax extended header (`"%d %s=%s\n"` records).
    static func pax(_ data: [UInt8]) -> (path: String?, size: Int?) {
        var path: String?, size: Int?
        var i = 0
        while i < data.count {
            var len = 0, j = i
            // The length counts its own digits and the space: a record shorter than that, or a
            // length past the data (checked before it can overflow), ends the header.
            while j < data.count, data[j] >= 0x30, data[j] <= 0x39, len <= data.count { len = len * 10 + Int(data[j] - 0x30); j += 1 }
            guard len > 0, j < data.count, data[j] == 0x20, i + len <= data.count, j < i + len else { break }
            var record = data[(j + 1)..<(i + len)]
            if record.last == 0x0A { record = record.dropLast() }
            if let eq = record.firstIndex(of: 0x3D) {
                let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
                let value = String(decoding: record[(eq + 1)...], as: UTF8.self)
                if key == "path" { path = value }
                if key == "size", let n = Int(value), n >= 0 { size = n }
            }
            i += len
        }
        return (path, size)
    }
}
