import DoctorModel

extension NodeSDKLogParser {
    /// Folds the call opened by a retry's own records into its first attempt's call.
    ///
    /// On the console the retry's `sending request` dump names its first attempt
    /// (`retryOf: 'log_a'`); a logger that drops the dump leaves only the summary line's
    /// bracket (`[log_b, retryOf: log_a] …`), which comes after `sending request` opened a
    /// call of its own for `log_b`. A no-op when the ids already share a call.
    mutating func joinRetry(_ id: String, to root: String) {
        guard id != root, let i = callByLogID[id] else { return }
        guard let r = callByLogID[root] else {
            // The first attempt is not in the log (cut): this call stands for it.
            callByLogID[root] = i
            if calls[i].retries == 0 { calls[i].retries = 1 }
            return
        }
        guard r != i else { return }
        let attempt = calls.remove(at: i)
        func shifted(_ k: Int) -> Int { k > i ? k - 1 : k }
        let target = shifted(r)
        for (key, k) in callByLogID { callByLogID[key] = k == i ? target : shifted(k) }
        retrying = Set(retrying.compactMap { $0 == i ? nil : shifted($0) })
        startRetry(target)
        if let m = attempt.method { calls[target].method = m }
        if let u = attempt.url { calls[target].url = u }
        if !attempt.requestHeaders.isEmpty { calls[target].requestHeaders = attempt.requestHeaders }
        if let b = attempt.requestBody { calls[target].requestBody = b }
        if let m = attempt.model { calls[target].model = m }
        calls[target].lines += attempt.lines
    }
}
