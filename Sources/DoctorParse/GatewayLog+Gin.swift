import DoctorIngest
import DoctorModel
import Foundation

/// One API / New API (Gin) lines: `[GIN]` access lines and `[ERR]`/`[INFO]` records, paired
/// by the request id both carry.
extension GatewayLogParser {
    mutating func ginAccess(_ g: GatewayLog.GinAccess, line: Line, text: String) {
        if let id = g.requestID {
            pending = pendingByID.removeValue(forKey: id) ?? GatewayPending()
            pending.requestID = id
        }
        sawZonelessGinTimes = true
        emit(method: g.method, target: g.target, status: g.status, statusText: nil, line: line, text: text,
             durationMs: g.durationMs)
    }

    mutating func ginRecord(_ rec: GatewayLog.GinRecord, line: Line, text: String) {
        inRecord = rec.message.hasSuffix(":")  // `request body:` / `response:` continue on the next lines
        var ctx = rec.requestID.map { pendingByID[$0] ?? GatewayPending() } ?? pending
        let m = rec.message
        if let model = GatewayLog.ginModel(in: m), ctx.model == nil { ctx.model = model }
        if ctx.model == nil, let r = ByteSearch.range(of: "request body: {", in: m) {
            let body = String(m[m.index(before: r.upperBound)...])
            let (model, stream) = HAR.modelAndStream(ofJSON: body)
            ctx.model = model
            ctx.stream = stream
        }
        let isError = rec.level == "ERR" || rec.level == "ERROR" || rec.level == "FATAL"
            || (rec.level == "WARN" && GatewayLog.ginErrorCode(m) != nil)
        if isError, !m.isEmpty {
            var message = m
            var rank = 3
            if let r = ByteSearch.range(of: "relay error (", in: m), let close = ByteSearch.range(of: "): ", in: m[r.upperBound...]) {
                message = String(m[close.upperBound...])
                let inside = m[r.upperBound..<close.lowerBound]
                ctx.hints.insert(.gatewayChannel(inside.trimmingCharacters(in: .whitespaces)))
            } else if m.hasPrefix("relay error happen") || m.hasPrefix("CacheGetRandomSatisfiedChannel") {
                rank = 1
            }
            var code = GatewayLog.ginErrorCode(message)
            // 2025 One API: `[insufficient_user_quota]user quota is not enough`.
            if message.hasPrefix("["), let close = message.firstIndex(of: "]") {
                let inner = message[message.index(after: message.startIndex)..<close]
                if !inner.isEmpty, inner.allSatisfy({ $0.isLetter || $0 == "_" || $0 == ":" }) {
                    code = code ?? String(inner)
                    message = String(message[message.index(after: close)...])
                }
            }
            ctx.offer(APIError(code: code, message: message), rank: rank)
            ctx.note(line, text)
        }
        if let id = rec.requestID {
            if pendingByID.count > 20000 { pendingByID.removeAll() }  // ids whose access line never came
            pendingByID[id] = ctx
        } else {
            pending = ctx
        }
    }
}

extension GatewayLog {
    /// The model a One API / New API message names.
    static func ginModel(in m: String) -> String? {
        let patterns: [(String, String)] = [
            ("下对于模型 ", " 无可用渠道"), ("该令牌无权使用模型：", ""), ("该令牌无权访问模型 ", ""),
            ("No available channel for model ", " under group"), ("This token has no access to model ", ""),
            ("request model: ", ","), ("模型 ", " 倍率"), ("Model ", " ratio or price not set"),
        ]
        // Byte search: this runs on the error of every call a gateway log holds.
        for (open, close) in patterns {
            guard let r = ByteSearch.range(of: open, in: m) else { continue }
            var v = m[r.upperBound...]
            if !close.isEmpty {
                guard let c = ByteSearch.range(of: close, in: v) else { continue }
                v = v[..<c.lowerBound]
            }
            if let paren = ByteSearch.range(of: " (request id", in: v) { v = v[..<paren.lowerBound] }
            let s = v.trimmingCharacters(in: .whitespaces)
            if !s.isEmpty, !s.contains(" ") || open.hasPrefix("下对于") { return s }
        }
        return nil
    }

    /// The error code One API / New API return for a known message (their `types/error.go`).
    static func ginErrorCode(_ m: String) -> String? {
        let known: [(String, String)] = [
            ("无可用渠道", "model_not_found"), ("No available channel for model", "model_not_found"),
            ("ratio or price not set", "model_price_error"), ("倍率或价格未配置", "model_price_error"),
            ("model_mapped_error", "channel:model_mapped_error"),
            ("user quota is not enough", "insufficient_user_quota"), ("用户额度不足", "insufficient_user_quota"),
            ("insufficient_user_quota", "insufficient_user_quota"),
            ("pre-consume quota failed", "insufficient_user_quota"),
            ("令牌额度不足", "pre_consume_token_quota_failed"),
            ("model_not_found", "model_not_found"),
        ]
        return known.first { m.contains($0.0) }?.1
    }
}
