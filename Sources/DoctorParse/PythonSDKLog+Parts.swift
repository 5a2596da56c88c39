import DoctorIngest
import DoctorModel
import Foundation

/// What a parser read of the state a reading from the file's start would have carried into
/// its first line: a part parsed apart (see `PythonSDKLogParser.absorb`) starts from nothing,
/// and gave the same result as that reading only where those reads agree.
struct PyCarriedReads {
    /// A call took the file's credential before any line of this parser set one.
    var credential = false
    var credentialSet = false
    /// An error body was read before any line of this parser told of 3.x.
    var sawV3 = false
    /// A call without URL took the SDK call of the frames before any line of this parser set one.
    var lastCall = false
    var lastCallSet = false
    /// An error looked for its call among earlier calls and ran out of them.
    var earlierCalls = false
    /// The values the parser started with (`seed`), which those reads saw unless set since.
    var seed: (credential: String?, sawV3: Bool, lastCall: String?) = (nil, false, nil)
}

extension PythonSDKLogParser {
    public static var readsLinesInParts: Bool { true }

    /// A `Request options` record: it starts a new call, and nothing before it is still
    /// being collected. Not one right after `Retrying …` (it continues the call in flight,
    /// which `absorb` would decline).
    public static func startsPart(_ line: String, previous: String) -> Bool {
        guard let head = PyLogPrefix.head(line),
              PyLogPrefix.starts(message(line, at: head.messageOffset), "Request options: ") else { return false }
        return !ByteSearch.contains(previous, "Retrying") && !ByteSearch.contains(previous, "retries left")
            && !ByteSearch.contains(previous, "retry left")
    }

    /// A part starts knowing what this parser knows of the state it would carry on: each of
    /// its reads of that state is checked again by `absorb`.
    public func seed(_ part: inout PythonSDKLogParser) {
        part.facts.credential = facts.credential
        part.facts.sawV3 = facts.sawV3
        part.lastCall = lastCall
        part.carried.seed = (facts.credential, facts.sawV3, lastCall)
    }

    public mutating func reuseCaches(of other: PythonSDKLogParser) {
        pool = other.pool
        linePool = other.linePool
        linePool.prefixEnd = (-1, 0)
        optionsMemo = other.optionsMemo
        headersMemo = other.headersMemo
        wireMemo = other.wireMemo
        errorBodyMemo = other.errorBodyMemo
        sharing = other.sharing
        // The line shapes too: a part packs its calls as it settles them, and with a table of
        // its own every part made anew the shapes the parts before it had made (each held by
        // the part's calls to the end of the run: some 20 bytes a call on a dense log).
        packing = other.packing
    }

    /// Joins `part`, read apart from its first line (a `startsPart` line) on, in order.
    ///
    /// First this parser does what reading that line would have done to the state it holds:
    /// a buffered options repr and a pending exception are applied, and the call in flight
    /// is finished, unless a retry was announced (then the line would continue that call,
    /// and the part is declined). Then the part's own state becomes this parser's, its calls,
    /// problems and signals follow this parser's (a signal said here already is dropped, as
    /// `signal` would have), and its file facts join these. Declined too when the part read
    /// carried-in state that differs from what this parser holds (`PyCarriedReads`).
    public mutating func absorb(_ part: inout PythonSDKLogParser) -> Bool {
        if let buf = optionsBuffer {
            optionsBuffer = nil
            requestOptions(buf.text[...], head: buf.head, line: buf.line, endLine: buf.lastLine)
        }
        flushException()
        inTraceback = false
        if cur?.retryPending == true { return false }
        let r = part.carried
        if r.credential && facts.credential != nil { return false }
        if r.sawV3 && r.seed.sawV3 != facts.sawV3 { return false }
        if r.lastCall && lastCall != nil { return false }
        // (The call in flight is among them once finished below.)
        if r.earlierCalls && (!out.exchanges.isEmpty || cur != nil) { return false }
        finalizeCurrent()

        cur = part.cur
        pendingException = part.pendingException
        optionsBuffer = part.optionsBuffer
        inTraceback = part.inTraceback
        linePool.prefixEnd = part.linePool.prefixEnd
        if r.lastCallSet { lastCall = part.lastCall }

        let f = part.facts
        facts.sawSDK = facts.sawSDK || f.sawSDK
        facts.sawV3 = facts.sawV3 || f.sawV3
        facts.sawOldRequestFrame = facts.sawOldRequestFrame || f.sawOldRequestFrame
        facts.sawNewStatusWording = facts.sawNewStatusWording || f.sawNewStatusWording
        facts.timesWithoutOffset = facts.timesWithoutOffset || f.timesWithoutOffset
        if facts.version == nil { facts.version = f.version }
        if facts.runtime == nil { facts.runtime = f.runtime }
        if r.credentialSet {
            facts.credential = f.credential
            carried.credentialSet = true
        }

        var o = part.out
        part.out = ParseOutput()
        out.lines += o.lines
        out.skippedLines += o.skippedLines
        for n in o.skippedSamples where out.skippedSamples.count < 5 { out.skippedSamples.append(n) }
        out.problems += o.problems
        if out.exchanges.isEmpty { swap(&out.exchanges, &o.exchanges) } else { out.exchanges += o.exchanges }
        // The part's calls are settled as this parser's would be (a part's exceptions reach
        // no call before it): packed, and made rows a block at a time.
        let settled = out.exchanges.count - Self.exceptionReach
        if settled - compactedTo >= Self.rowBlock {
            for i in compactedTo..<settled { packing.pack(&out.exchanges[i]) }
            compact(upTo: settled, atLeast: Self.rowBlock)
        }
        // A printed model list (its count and its ids, on one line) is kept as the whole-file
        // reader keeps it: when it differs from the list printed before it; other signals once.
        var k = 0
        while k < o.signals.count {
            let s = o.signals[k]
            if s.name == .clientListedCount {
                var j = k + 1
                while j < o.signals.count, o.signals[j].name == .catalogModel, o.signals[j].line.ref == s.line.ref { j += 1 }
                let ids = o.signals[(k + 1)..<j].compactMap(\.value)
                if ids != lastPrintedList, printedLists < Self.maxPrintedLists {
                    printedLists += 1
                    lastPrintedList = ids
                    out.signals += o.signals[k..<j]
                }
                k = j
                continue
            }
            let key = s.name.rawValue + "\u{0}" + (s.value ?? "")
            if signalKeys.insert(key).inserted { out.signals.append(s) }
            k += 1
        }
        for l in part.proseLines where proseLines.count <= ErrorTextReader.maxTicketLines { proseLines.append(l) }
        return true
    }

    private static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return DoctorParse.sameBytes(a, b)
    }
}
