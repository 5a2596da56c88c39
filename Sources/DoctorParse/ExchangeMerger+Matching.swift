import DoctorIngest
import DoctorModel
import Foundation

extension ExchangeMerger {
    /// Seconds two sources may disagree on the time of one call, before the call's own
    /// duration and retries are added (second-resolution logs, response vs request stamps).
    static let timeTolerance: TimeInterval = 5
    /// How far the aligner looks ahead in either sequence to get past an unmatched call.
    static let lookahead = 8
    /// Clock offsets between files are whole multiples of this (time zones are whole quarter
    /// hours; a time-of-day-only log is whole days off).
    static let offsetQuantum: TimeInterval = 900

    /// Which matching pass a comparison belongs to.
    enum Pass {
        /// Same path (the bucket guarantees it); order and time decide among equals.
        case samePath
        /// One side has no URL at all (metadata-only SDK logs): method, status and a close
        /// time are all required, because nothing else ties the two together.
        case pathless
    }

    enum TimeVerdict { case unknown, close, far }

    /// Whether two times (already on the same clock) can belong to one call.
    static func timeVerdict(_ a: MatchKey, _ b: MatchKey) -> TimeVerdict {
        guard let ta = a.time, let tb = b.time else { return .unknown }
        return abs(ta.timeIntervalSince(tb)) <= timeTolerance + max(a.slack, b.slack) ? .close : .far
    }

    /// Whether two keys may describe the same HTTP call.
    ///
    /// Any known fact that differs rules the pair out: method, status, request id, model, path,
    /// time. Hosts are compared only when both are known, and even then a different host is
    /// accepted when the times agree, since a reverse proxy or mitmproxy in reverse mode puts
    /// another host in one source for the very same call.
    static func compatible(_ a: MatchKey, _ b: MatchKey, pass: Pass) -> Bool {
        if let x = a.method, let y = b.method, x != y { return false }
        if let x = a.status, let y = b.status, x != y { return false }
        if !a.requestIDs.isEmpty, !b.requestIDs.isEmpty, !a.requestIDs.contains(where: b.requestIDs.contains) {
            return false
        }
        if let x = a.model, let y = b.model, x != y, !x.contains(y), !y.contains(x) { return false }
        if let x = a.path, let y = b.path, x != y { return false }
        let time = timeVerdict(a, b)
        if time == .far { return false }
        if let x = a.host, let y = b.host, x != y, time != .close { return false }
        switch pass {
        case .samePath:
            return true
        case .pathless:
            return (a.path == nil || b.path == nil) && a.method != nil && b.method != nil && time == .close
        }
    }

    /// Pairs two sequences of calls in order: the n-th matching call of one with the n-th of
    /// the other, never crossing (monotone).
    ///
    /// A greedy walk: equal heads pair up; otherwise, when both times are known, the earlier
    /// head has no partner and is passed over; otherwise the side whose head finds a partner
    /// soonest within `lookahead` steps skips ahead to it. This is not the optimal alignment
    /// (that costs O(m·n)), but on logs of the same calls, which differ only by calls one
    /// source missed, it finds the same pairs.
    /// - Returns: pairs of indexes into `a` and `b`, both increasing.
    /// - Complexity: O((m + n) · lookahead).
    static func align(_ a: [MatchKey], _ b: [MatchKey], pass: Pass) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if compatible(a[i], b[j], pass: pass) {
                pairs.append((i, j))
                i += 1; j += 1
                continue
            }
            if let ta = a[i].time, let tb = b[j].time, ta != tb {
                if ta < tb { i += 1 } else { j += 1 }
                continue
            }
            let skipA = (1...lookahead).first { i + $0 < a.count && compatible(a[i + $0], b[j], pass: pass) }
            let skipB = (1...lookahead).first { j + $0 < b.count && compatible(a[i], b[j + $0], pass: pass) }
            switch (skipA, skipB) {
            case let (x?, y?): if x <= y { i += x } else { j += y }
            case let (x?, nil): i += x
            case let (nil, y?): j += y
            case (nil, nil): i += 1; j += 1
            }
        }
        return pairs
    }

    /// Two sequences to align: existing clusters' keys and a new file's keys.
    struct Bucket {
        var clusters: [Int]
        var items: [Int]
        var pass: Pass
    }

    /// The new file's clock minus the reference clock, or nil when its times cannot be related
    /// to the reference and must be ignored for matching.
    ///
    /// Python logs stamp local time without a zone, HAR stamps UTC, LiteLLM stamps the time of
    /// day only: the same call can be hours or whole days apart on paper. Calls matched by
    /// request id settle the offset outright. Otherwise candidate offsets come from pairing the
    /// k-th calls of each bucket (deltas rounded to a quarter hour, and their median for plain
    /// clock skew), and the candidate that lets the most calls pair up wins, 0 on ties. When a
    /// time-of-day-only file meets full dates and no candidate pairs anything, its times are
    /// ignored.
    static func clockOffset(reference: [MatchKey], new raw: [MatchKey], buckets: [Bucket],
                            idPairs: [(Int, Int)]) -> TimeInterval? {
        func quantized(_ a: MatchKey, _ b: MatchKey) -> TimeInterval? {
            guard let ta = a.time, let tb = b.time else { return nil }
            let d = tb.timeIntervalSince(ta)
            let r = (d / offsetQuantum).rounded() * offsetQuantum
            return abs(d - r) <= timeTolerance + max(a.slack, b.slack) ? r : nil
        }
        var idVotes: [TimeInterval: Int] = [:]
        for (c, p) in idPairs { if let r = quantized(reference[c], raw[p]) { idVotes[r, default: 0] += 1 } }
        if let best = ranked(idVotes).first { return best }

        var votes: [TimeInterval: Int] = [:]
        var deltas: [TimeInterval] = []
        var timedPairs = 0
        for bucket in buckets {
            for k in 0..<min(bucket.clusters.count, bucket.items.count, 64) {
                let a = reference[bucket.clusters[k]], b = raw[bucket.items[k]]
                guard let ta = a.time, let tb = b.time else { continue }
                timedPairs += 1
                deltas.append(tb.timeIntervalSince(ta))
                if let r = quantized(a, b), r != 0 { votes[r, default: 0] += 1 }
            }
        }
        guard timedPairs > 0 else { return 0 }
        deltas.sort()
        let median = deltas[deltas.count / 2]

        func matches(_ keys: [MatchKey]) -> Int {
            buckets.reduce(0) { n, bucket in
                n + align(bucket.clusters.map { reference[$0] }, bucket.items.map { keys[$0] }, pass: bucket.pass).count
            }
        }
        var best: TimeInterval = 0
        var bestCount = matches(raw)
        for c in ranked(votes).prefix(3) {
            let n = matches(raw.map { $0.shifted(by: c) })
            if n > bestCount { best = c; bestCount = n }
        }
        // Plain skew is a weaker explanation than a time zone: one pair a minute apart is as
        // likely two calls. It must pair up several calls, and more than the best so far.
        if abs(median) > timeTolerance, abs(median) < offsetQuantum {
            let n = matches(raw.map { $0.shifted(by: median) })
            if n >= minSkewMatches, n > bestCount { best = median; bestCount = n }
        }
        // A time of day against full dates, with no offset that fits: the clocks cannot be
        // compared, so the times are ignored rather than allowed to keep every call apart.
        if bestCount == 0, differentTimeKinds(reference, raw), matches(raw.map(\.withoutTime)) > 0 { return nil }
        return best
    }

    /// How many calls a plain clock skew must pair up before it is believed.
    static let minSkewMatches = 3

    /// True when one side stamps only times of day (stored on 1970-01-01) and the other full dates.
    private static func differentTimeKinds(_ a: [MatchKey], _ b: [MatchKey]) -> Bool {
        func kinds(_ keys: [MatchKey]) -> (timeOfDay: Bool, full: Bool) {
            var r = (timeOfDay: false, full: false)
            for k in keys { if let t = k.time { if t.timeIntervalSince1970 < 86_400 { r.timeOfDay = true } else { r.full = true } } }
            return r
        }
        let x = kinds(a), y = kinds(b)
        return (x.timeOfDay && !x.full && y.full) || (y.timeOfDay && !y.full && x.full)
    }

    /// Vote winners first; among equal votes the smaller offset.
    private static func ranked(_ votes: [TimeInterval: Int]) -> [TimeInterval] {
        votes.sorted { ($1.value, abs($0.key), $0.key) < ($0.value, abs($1.key), $1.key) }.map(\.key)
    }
}

extension ExchangeMerger.MatchKey {
    /// The same key with its time forgotten.
    var withoutTime: Self {
        var k = self
        k.time = nil
        return k
    }
}
