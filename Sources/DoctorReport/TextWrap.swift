/// Breaks report text into lines that fit a terminal, counting columns the way a terminal does.
///
/// A line may break at a space, or between two characters when either is East Asian wide
/// (Chinese has no spaces between words), but not before closing CJK punctuation nor after
/// opening punctuation. Redaction marks (`[REDACTED:kind]`, `[N chars]`, key fingerprints
/// `sk-…AbCd#1a2b3c`) never break, so a reader always sees whole marks. A word wider than the
/// line (a long URL) is cut hard, preferably after `/ ? & = , ; :`, never inside a redaction
/// mark when that can be avoided. ANSI colour sequences count zero columns and stay attached
/// to their word.
package enum TextWrap {
    /// The lines of `text` after `prefix`: the first line starts with `prefix`, later lines
    /// (and later paragraphs, split at `\n`) with `hang` spaces; no line is wider than `width`
    /// columns unless a single column cannot hold a character. Trailing spaces are dropped.
    ///
    /// - Complexity: O(n) in the length of `text`, plus O(k²) for a word of k characters
    ///   that has to be cut.
    package static func lines(_ text: String, prefix: String = "", hang: Int = 0, width: Int) -> [String] {
        let hangText = String(repeating: " ", count: max(0, hang))
        var out: [String] = []
        var line = prefix
        var lineWidth = displayWidth(prefix)
        var startWidth = lineWidth  // the width of the indent alone: nothing placed yet
        func newLine() {
            out.append(trimmed(line))
            line = hangText; lineWidth = hang; startWidth = hang
        }
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (p, paragraph) in paragraphs.enumerated() {
            if p > 0 { newLine() }
            for atom in atoms(String(paragraph)) {
                let gap = lineWidth > startWidth ? atom.spacesBefore : 0
                if lineWidth + gap + atom.width <= width {
                    line += String(repeating: " ", count: gap)
                    line += atom.text; lineWidth += gap + atom.width
                    continue
                }
                if lineWidth > startWidth { newLine() }
                var rest = atom.text
                while lineWidth + displayWidth(rest) > width {
                    let (head, tail) = cut(rest, columns: max(1, width - lineWidth))
                    line += head; newLine(); rest = tail
                }
                line += rest; lineWidth += displayWidth(rest)
            }
        }
        out.append(trimmed(line))
        return out
    }

    /// Columns `text` takes in a terminal: East Asian wide and fullwidth characters count
    /// two, combining marks and ANSI escape sequences none.
    package static func displayWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            width += scalarWidth(scalar)
        }
        return width
    }

    static func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD: return 2
        default: return 1
        }
    }

    // MARK: Atoms

    /// An unbreakable piece of a paragraph and the spaces that separated it from the previous
    /// one (kept within a line, so aligned columns stay aligned; dropped at a break).
    struct Atom: Equatable {
        var text: String
        var width: Int
        var spacesBefore: Int
    }

    /// CJK punctuation that must not start a line.
    static let closing: Set<Character> = Set("，。、；：？！）」』】》〉”’・…％")
    /// CJK punctuation that must not end a line.
    static let opening: Set<Character> = Set("（「『【《〈“‘")

    static func atoms(_ paragraph: String) -> [Atom] {
        let chars = Array(paragraph)
        var out: [Atom] = []
        var current = "", currentWidth = 0, spaces = 0
        var glueNext = false  // the last character was opening punctuation
        func flush() {
            guard !current.isEmpty else { return }
            out.append(Atom(text: current, width: currentWidth, spacesBefore: spaces))
            current = ""; currentWidth = 0; spaces = 0
        }
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == " " { flush(); spaces += 1; glueNext = false; i += 1; continue }
            if let n = charsMark(chars, at: i) {  // `[N chars]` holds a space but is one mark
                current += String(chars[i..<(i + n)]); currentWidth += n; i += n; glueNext = false
                continue
            }
            let w = ch.unicodeScalars.reduce(0) { $0 + scalarWidth($1) }
            if ch == "\u{1B}" {  // an escape sequence: zero columns, glued to what follows
                var j = i + 1
                while j < chars.count, !(chars[j].isLetter && chars[j].isASCII) { j += 1 }
                current += String(chars[i..<min(j + 1, chars.count)]); i = j + 1
                continue
            }
            let previousWide = current.last.map { $0.unicodeScalars.reduce(0) { $0 + scalarWidth($1) } == 2 } ?? false
            let breakable = !current.isEmpty && (w == 2 || previousWide) && !glueNext && !closing.contains(ch)
            if breakable { flush() }
            current.append(ch); currentWidth += w
            glueNext = opening.contains(ch)
            i += 1
        }
        flush()
        return out
    }

    /// The length of a `[N chars]` mark starting at `i`, nil when there is none.
    static func charsMark(_ chars: [Character], at i: Int) -> Int? {
        guard chars[i] == "[" else { return nil }
        var j = i + 1
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
        guard j > i + 1 else { return nil }
        let tail = Array(" chars]")
        guard j + tail.count <= chars.count, Array(chars[j..<(j + tail.count)]) == tail else { return nil }
        return j + tail.count - i
    }

    // MARK: Hard cuts

    /// Cuts `word` into a head of at most `columns` columns and the rest: after the last
    /// URL separator in the second half of the head if there is one, and before a redaction
    /// mark rather than inside it when the mark fits on a line of its own.
    static func cut(_ word: String, columns: Int) -> (String, String) {
        let chars = Array(word)
        var fill = 0, w = 0
        while fill < chars.count {
            let cw = displayWidth(String(chars[fill]))
            if w + cw > columns { break }
            w += cw; fill += 1
        }
        fill = max(1, fill)
        var at = fill
        if let sep = (fill / 2..<fill).last(where: { "/?&=,;:".contains(chars[$0]) }), sep + 1 < fill { at = sep + 1 }
        for mark in protectedRanges(chars) where mark.contains(at) && mark.lowerBound < at {
            if mark.lowerBound > 0 { at = mark.lowerBound }
        }
        return (String(chars[..<at]), String(chars[at...]))
    }

    /// Index ranges of redaction marks inside `chars`: `[REDACTED…]`, `[N chars]` and key
    /// fingerprints (`prefix…last4#hex6`, from the start of the word-ish run before `…`).
    static func protectedRanges(_ chars: [Character]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < chars.count {
            if chars[i] == "[", let end = chars[i...].firstIndex(of: "]") {
                let inner = String(chars[(i + 1)..<end])
                if inner.hasPrefix("REDACTED") || charsMark(chars, at: i) != nil { out.append(i..<(end + 1)); i = end + 1; continue }
            }
            if chars[i] == "…", i + 11 < chars.count, chars[i + 5] == "#",
               chars[(i + 6)...(i + 11)].allSatisfy({ $0.isHexDigit }) {
                var start = i
                while start > 0, chars[start - 1].isLetter || chars[start - 1].isNumber || "-_".contains(chars[start - 1]) { start -= 1 }
                out.append(start..<(i + 12)); i += 12; continue
            }
            i += 1
        }
        return out
    }

    private static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
