import DoctorIngest
import DoctorModel
import Foundation

/// Merges the exchanges of every input file into one list in which each HTTP call appears once.
///
/// The parsers pair requests with responses and collapse retries within one file. The same
/// call is often in several files: a HAR entry, the SDK's debug log and the gateway's access
/// line. This stage finds those and keeps one exchange per call, whose `sources` name every
/// file that saw it and whose fields take the most complete value each source offers (the URL
/// from the SDK, the body from the HAR, the error from whichever has one).
///
/// Files are folded in one at a time into a growing list of *clusters* (one per call). For
/// each new file, in this order, because each step only looks at what the earlier ones left:
/// 1. **Request id**: the same id is the same call, whatever else differs.
/// 2. **Clock offset**: the file's clock is related to the clusters' (time zone, time-of-day
///    only, skew), so that times can be compared at all.
/// 3. **Same path**: per path, the file's calls and the clusters are aligned in order (the
///    n-th `GET /models` with the n-th), requiring equal method, status, model and close time
///    where both sides know them.
/// 4. **No path**: calls without any URL (metadata-only SDK logs) join a cluster of the same
///    method only when status and time agree.
/// Anything left starts a new cluster. A cluster never takes two exchanges of one file, and
/// exchanges with neither method nor URL (a pasted error) can only join by request id.
///
/// The result does not depend on the order of the input files: files are processed in a
/// fixed order (richest kind first, then path), and the output is sorted by time when every
/// call has one, else kept in the order the files show the calls.
public enum ExchangeMerger {
    /// Merges per-file exchange lists (each in file order) into one numbered list.
    /// - Complexity: O(F · n · lookahead) for F files and n exchanges, plus sorting.
    public static func merge(_ perFile: [[Exchange]]) -> [Exchange] {
        merge(taking: perFile)
    }

    /// `merge(_:)` on lists the caller hands over, so each can be let go once folded in.
    static func merge(taking perFile: consuming [[Exchange]]) -> [Exchange] {
        var state = State()
        // Each file's list is let go once its calls are in the clusters.
        var files = orderedFiles(perFile)
        perFile = []
        if files.count == 1 {
            var list = files[0]
            files = []
            return single(&list)
        }
        for f in files.indices {
            let list = files[f]
            files[f] = []
            state.add(file: f, list)
        }
        return state.result()
    }

    /// The result for one file, computed in place: with no other file to meet, every call is
    /// a cluster of its own, so this gives what the clusters give (sources sorted, order by
    /// time when every call has one with ties in file order, else file order) without holding
    /// a second copy of every exchange, which doubled the peak memory of a large log.
    static func single(_ list: inout [Exchange]) -> [Exchange] {
        var timed = true
        var inOrder = true
        for i in list.indices {
            guard let t = list[i].time else { timed = false; break }
            if i > 0, let p = list[i - 1].time, t < p { inOrder = false }
        }
        if timed && !inOrder {
            let order = list.indices.sorted { (list[$0].time!, $0) < (list[$1].time!, $1) }
            list = order.map { list[$0] }
        }
        for i in list.indices {
            // One source (most calls) is sorted already: not written back.
            if list[i].sources.count > 1 { list[i].sources = sortedUnique(list[i].sources) }
            list[i].index = i
        }
        return list
    }

    /// Processing rank of a source kind: sources with full URLs, bodies and zoned times first,
    /// so that they form the clusters and set the reference clock the others are related to.
    static func rank(_ kind: InputKind) -> Int {
        switch kind {
        case .har: 0
        case .pythonSDKLog: 1
        case .nodeSDKLog: 2
        case .gatewayLog: 3
        case .errorText: 4
        case .unknown: 5
        }
    }

    /// The non-empty lists in processing order: by kind rank, then file path, then content
    /// (so even lists without sources sort the same way every time).
    static func orderedFiles(_ perFile: [[Exchange]]) -> [[Exchange]] {
        struct Keyed { var rank: Int; var path: String; var signature: String; var list: [Exchange] }
        let lists = perFile.filter { !$0.isEmpty }
        // One file (the usual single log): nothing to order, and no need to walk its calls.
        guard lists.count > 1 else { return lists }
        let keyed = lists.map { list in
            // By index: a closure over the elements would copy each call (a retain per field).
            Keyed(rank: list.indices.lazy.compactMap { list[$0].sourceKinds.min() }.map(rank).min() ?? rank(.unknown),
                  path: list.indices.lazy.compactMap { list[$0].sources.min()?.file }.min() ?? "",
                  signature: signature(list), list: list)
        }
        return keyed.sorted { ($0.rank, $0.path, $0.signature) < ($1.rank, $1.path, $1.signature) }.map(\.list)
    }

    private static func signature(_ list: [Exchange]) -> String {
        let head = list.prefix(16).map { e in
            [e.method ?? "", e.url ?? e.pathOnly ?? "", e.status.map(String.init) ?? "",
             e.time.map { String($0.timeIntervalSince1970) } ?? "", e.requestID ?? "",
             e.sources.first?.description ?? ""].joined(separator: " ")
        }
        return "\(list.count)|" + head.joined(separator: "|")
    }

    /// The clusters built so far and the order the files show them in.
    struct State {
        var clusters: [Cluster] = []
        /// Cluster ids in the order the files show the calls.
        var sequence: [Int] = []
        var byRequestID: [String: Int] = [:]

        /// Folds one file's exchanges into the clusters.
        mutating func add(file f: Int, _ list: [Exchange]) {
            var assigned = [Int?](repeating: nil, count: list.count)
            var claimed = Set<Int>()  // clusters that already hold an exchange of this file

            var idPairs: [(Int, Int)] = []
            for (p, e) in list.enumerated() {
                guard let id = MatchKey.usableRequestID(e.requestID), let c = byRequestID[id],
                      !claimed.contains(c) else { continue }
                claimed.insert(c)
                assigned[p] = c
                idPairs.append((c, p))
            }

            let raw = list.map { MatchKey($0, clockOffset: 0) }
            let reference = clusters.map(\.key)
            let offset = ExchangeMerger.clockOffset(
                reference: reference, new: raw,
                buckets: pathBuckets(raw, assigned, claimed) + pathlessBuckets(raw, assigned, claimed),
                idPairs: idPairs)
            let keys = offset.map { o in raw.map { $0.shifted(by: o) } } ?? raw.map(\.withoutTime)

            func attach(_ c: Int, _ p: Int) {
                clusters[c].add(Member(file: f, exchange: list[p], clockOffset: offset), key: keys[p])
                assigned[p] = c
                claimed.insert(c)
                register(c, keys[p])
            }
            for (c, p) in idPairs {
                assigned[p] = nil
                attach(c, p)
            }
            for pass in [Pass.samePath, .pathless] {
                let buckets = pass == .samePath ? pathBuckets(keys, assigned, claimed) : pathlessBuckets(keys, assigned, claimed)
                for bucket in buckets {
                    let pairs = align(bucket.clusters.map { clusters[$0].key }, bucket.items.map { keys[$0] }, pass: pass)
                    for (x, y) in pairs { attach(bucket.clusters[x], bucket.items[y]) }
                }
            }
            for p in list.indices where assigned[p] == nil {
                clusters.append(Cluster(Member(file: f, exchange: list[p], clockOffset: offset), key: keys[p]))
                assigned[p] = clusters.count - 1
                register(clusters.count - 1, keys[p])
            }
            resequence(assigned.map { $0! }, firstNew: reference.count)
        }

        private mutating func register(_ c: Int, _ key: MatchKey) {
            for id in key.requestIDs where byRequestID[id] == nil { byRequestID[id] = c }
        }

        /// Buckets of the unassigned exchanges by path, with the free clusters of that path in
        /// sequence order.
        private func pathBuckets(_ keys: [MatchKey], _ assigned: [Int?], _ claimed: Set<Int>) -> [Bucket] {
            var items: [String: [Int]] = [:]
            for p in keys.indices where assigned[p] == nil {
                if let path = keys[p].path { items[path, default: []].append(p) }
            }
            var free: [String: [Int]] = [:]
            for c in sequence where !claimed.contains(c) {
                if let path = clusters[c].key.path, items[path] != nil { free[path, default: []].append(c) }
            }
            return items.keys.sorted().compactMap { path in
                free[path].map { Bucket(clusters: $0, items: items[path]!, pass: .samePath) }
            }
        }

        /// Buckets by method of the unassigned exchanges, where an exchange without a URL may
        /// meet any cluster and one with a URL only clusters without one.
        private func pathlessBuckets(_ keys: [MatchKey], _ assigned: [Int?], _ claimed: Set<Int>) -> [Bucket] {
            var items: [String: [Int]] = [:]
            var newPathless = Set<String>()
            for p in keys.indices where assigned[p] == nil {
                guard let method = keys[p].method else { continue }
                items[method, default: []].append(p)
                if keys[p].path == nil { newPathless.insert(method) }
            }
            var free: [String: [Int]] = [:]
            for c in sequence where !claimed.contains(c) {
                let key = clusters[c].key
                guard let method = key.method, items[method] != nil,
                      key.path == nil || newPathless.contains(method) else { continue }
                free[method, default: []].append(c)
            }
            return items.keys.sorted().compactMap { method in
                free[method].map { Bucket(clusters: $0, items: items[method]!, pass: .pathless) }
            }
        }

        /// Inserts the clusters this file created into the sequence, each after the cluster
        /// its predecessor in the file joined, so the sequence keeps every file's order.
        private mutating func resequence(_ clusterOf: [Int], firstNew: Int) {
            var position: [Int: Int] = [:]  // old cluster → first position in the file
            for (p, c) in clusterOf.enumerated() where c < firstNew && position[c] == nil { position[c] = p }
            var out: [Int] = []
            out.reserveCapacity(clusters.count)
            var next = 0
            func emitNew(upTo end: Int) {
                while next < end {
                    if clusterOf[next] >= firstNew { out.append(clusterOf[next]) }
                    next += 1
                }
            }
            for c in sequence {
                if let p = position[c] { emitNew(upTo: p) }
                out.append(c)
            }
            emitNew(upTo: clusterOf.count)
            sequence = out
        }

        /// The merged exchanges, by reference time when every call has one, else in sequence
        /// order; numbered from 0.
        /// Hands each cluster's members over as it is merged, so the calls are not held twice.
        mutating func result() -> [Exchange] {
            var order = sequence
            if clusters.allSatisfy({ $0.key.time != nil }) {
                var rank = [Int](repeating: 0, count: clusters.count)
                for (r, c) in sequence.enumerated() { rank[c] = r }
                order.sort { (clusters[$0].key.time!, rank[$0]) < (clusters[$1].key.time!, rank[$1]) }
            }
            var out: [Exchange] = []
            out.reserveCapacity(order.count)
            for c in order {
                let members = clusters[c].members
                clusters[c].members = []
                out.append(ExchangeMerger.merged(members))
                out[out.count - 1].index = out.count - 1
            }
            return out
        }
    }
}
