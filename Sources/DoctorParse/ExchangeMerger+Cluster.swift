import DoctorIngest
import DoctorModel
import Foundation

extension ExchangeMerger {
    /// One exchange of one input file, as it joins a cluster.
    struct Member {
        /// Position of the file in processing order (see `orderedFiles`).
        var file: Int
        var exchange: Exchange
        /// The file's clock minus the reference clock, in seconds (a time zone, whole days for
        /// time-of-day-only logs, or plain skew); nil when the file's clock could not be related
        /// to the reference clock and its times were ignored for matching.
        var clockOffset: TimeInterval?

        /// The kind of the file this member came from.
        var kind: InputKind { exchange.sourceKinds.min() ?? .unknown }
    }

    /// Several members believed to be the same HTTP call, at most one per file.
    struct Cluster {
        var members: [Member]
        var files: Set<Int>
        var key: MatchKey

        init(_ member: Member, key: MatchKey) {
            members = [member]
            files = [member.file]
            self.key = key
        }

        mutating func add(_ member: Member, key other: MatchKey) {
            members.append(member)
            files.insert(member.file)
            key.absorb(other)
        }
    }

    /// The facts two exchanges are compared on, taken once from an exchange (or a cluster).
    struct MatchKey {
        /// Upper-cased.
        var method: String?
        var path: String?
        /// `host[:port]`, lower-cased.
        var host: String?
        var status: Int?
        /// Lower-cased last path component of the model name (`openai/gpt-4o` → `gpt-4o`).
        var model: String?
        var requestIDs: [String]
        /// Request time on the reference clock.
        var time: Date?
        /// Extra seconds of tolerance: the call's duration and retries, since sources stamp
        /// different moments of the call (start, response, last attempt).
        var slack: TimeInterval

        init(_ e: Exchange, clockOffset: TimeInterval) {
            method = e.method.map { $0.uppercased() }
            let parts = e.urlParts
            path = parts.map { $0.path }.flatMap { $0.isEmpty ? nil : $0 }
            host = parts?.hostAndPort.flatMap { $0.isEmpty ? nil : $0 }
            status = e.status
            model = e.model.map(MatchKey.normalizedModel)
            requestIDs = MatchKey.usableRequestID(e.requestID).map { [$0] } ?? []
            time = e.time.map { $0.addingTimeInterval(-clockOffset) }
            slack = min((e.durationMs ?? 0) / 1000, 600) + (e.retries > 0 ? 120 : 0)
        }

        /// Adds what another member knows; the first known value of each field stays.
        mutating func absorb(_ o: MatchKey) {
            method = method ?? o.method
            path = path ?? o.path
            host = host ?? o.host
            status = status ?? o.status
            model = model ?? o.model
            for id in o.requestIDs where !requestIDs.contains(id) { requestIDs.append(id) }
            time = time ?? o.time
            slack = max(slack, o.slack)
        }

        /// The same key with its time moved by `seconds` (used to try clock offsets).
        func shifted(by seconds: TimeInterval) -> MatchKey {
            var k = self
            k.time = time?.addingTimeInterval(-seconds)
            return k
        }

        static func normalizedModel(_ m: String) -> String {
            let lower = m.lowercased()
            return lower.split(separator: "/").last.map(String.init) ?? lower
        }

        /// A request id worth matching on: not a placeholder such as `None` or `-`.
        static func usableRequestID(_ id: String?) -> String? {
            guard let id = id.map(ByteSearch.trimmedBlanks), id.count >= 6 else { return nil }
            switch id.lowercased() {
            case "none", "null", "undefined", "unknown": return nil
            default: return id
            }
        }
    }
}
