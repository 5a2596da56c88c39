import DoctorModel
import Foundation

/// Chinese for the English notes earlier stages write into a report: inventory notes, skip
/// reasons and problems (parsers, ingest), why a rule was not evaluated (rule engine), what
/// the bundle does not give (ticket facts). Problems of the run itself (a refused rule pack or
/// catalog) are for rule authors and stay English.
///
/// Those stages keep writing English because the JSON report is a contract in English; the
/// people-facing renderers look each note up here under `--lang zh`. A note is matched
/// against English templates whose `{0}`, `{1}` … stand for its variable parts (numbers,
/// names, lists), which the Chinese template reuses. A note with no template stays English;
/// `CorpusReportTests` fails when any note of the corpus has none, so a new note in a parser
/// shows up there with its text.
package enum NoteCatalog {
    /// English template → Chinese template.
    static let templates: [(en: String, zh: String)] = [
        // Parsers: what a source cannot say.
        ("the {0} parser found no HTTP call here: read as pasted error text too ({1} exchange(s))",
         "{0} 解析器在这里没有找到 HTTP 调用：也按粘贴的错误文本读取（{1} 个请求）"),
        ("lines the {0} parser did not use were read as pasted error text too ({1} failed call(s))",
         "{0} 解析器未使用的行也按粘贴的错误文本读取（{1} 个失败请求）"),
        ("UTF-16 text ({0}; a Windows PowerShell redirect saves so): read as UTF-8, byte counts are of the UTF-8 text",
         "UTF-16 文本（{0}；Windows PowerShell 重定向输出会这样保存）：已转换为 UTF-8 读取，字节数按 UTF-8 文本计"),
        ("docker compose prefix `{0} |` read past on {1} line(s)",
         "已略过 docker compose 的行前缀 `{0} |`（{1} 行）"),
        ("pasted error text: facts the text does not state (status, URL, model) are unknown, not absent",
         "粘贴的错误文本：文本没有写明的信息（状态码、URL、模型）按未知处理，而不是不存在"),
        ("settings file: read for the base URL, model and key it sets; it records no call",
         "设置文件：读取其中设置的 Base URL、模型和密钥；它不记录任何调用"),
        ("OPENAI_LOG had an invalid value, so the SDK logged at its default level",
         "OPENAI_LOG 的取值无效，SDK 按默认级别记录日志"),
        ("the logger kept only the SDK's messages, not their details (pino drops a second argument unless a logMethod hook passes it first): no headers, bodies or SDK version; method, URL, status and retries come from the info lines",
         "日志器只保留了 SDK 的消息，没有保留详情（除非 logMethod 钩子把第二个参数提前，pino 会丢弃它）：没有请求头、请求体和 SDK 版本；方法、URL、状态码和重试次数取自 info 行"),
        ("only info-level SDK records (the logger's level was above debug): method, URL, status and retries, no headers or bodies",
         "只有 info 级别的 SDK 记录（日志级别高于 debug）：有方法、URL、状态码和重试次数，没有请求头和请求体"),
        ("LiteLLM log lines carry the time of day only (no date): exchange times unknown",
         "LiteLLM 日志行只有时刻、没有日期：请求时间未知"),
        ("Gin access lines carry local time without a zone: exchange times not set",
         "Gin 访问日志是不带时区的本地时间：未设置请求时间"),
        ("salvaged {0} complete entr{1} from the damaged file ({2} incomplete or unreadable)",
         "从损坏的文件中救回 {0} 个完整条目（{2} 个不完整或无法读取）"),
        ("salvaged {0} complete entr{1} from the damaged file",
         "从损坏的文件中救回 {0} 个完整条目"),
        ("{0} page-asset entr{1} not treated as API calls ({2})",
         "{0} 个页面资源条目未当作 API 调用（{2}）"),
        ("{0} successful CORS preflight (OPTIONS) entr{1} not treated as API calls",
         "{0} 个成功的 CORS 预检（OPTIONS）条目未当作 API 调用"),
        ("{0} unreadable entries skipped", "跳过了 {0} 个无法读取的条目"),
        ("{0} {1} skipped", "跳过了 {0} 个条目：{1}"),
        ("openai 3.x logs no request URL, headers or body; URLs appear only where the httpx2 logger was enabled",
         "openai 3.x 不记录请求 URL、请求头和请求体；只有启用了 httpx2 日志器的地方才有 URL"),
        ("openai 3.x logs no request headers or body; URLs come from the httpx2 logger",
         "openai 3.x 不记录请求头和请求体；URL 取自 httpx2 日志器"),
        ("openai-python logs no response bodies; error bodies come from the exception text only",
         "openai-python 不记录响应体；错误内容只能取自异常文本"),
        ("log times carry no UTC offset; read as UTC", "日志时间没有 UTC 偏移，按 UTC 读取"),
        ("openai-node debug records cut nested values to [Object]/[Array]; error bodies appear only in the error objects the app prints",
         "openai-node 的调试记录把嵌套的值截断成 [Object]/[Array]；错误内容只出现在应用打印的错误对象中"),
        // Skip reasons (parsers and ingest).
        ("binary content (NUL or control bytes): not a text log, HAR or error paste",
         "二进制内容（含 NUL 或控制字节）：不是文本日志、HAR 或错误粘贴"),
        ("empty file", "空文件"),
        ("a labelled corpus's answer file (label.yaml: cause and notes), not evidence from the customer: not read",
         "标注语料的答案文件（label.yaml：原因和说明），不是客户提供的证据：未读取"),
        ("{0} failure(s) stated in the customer's words set aside: a log or capture in the bundle holds the failing call itself",
         "客户文字中描述的 {0} 个失败已搁置：包中的日志或抓包记录了失败的请求本身"),
        ("{0} call(s) set aside as no API call (a path without any API part and no model: {1}): telemetry, page assets or probes of the app",
         "{0} 个请求作为非 API 请求搁置（路径不含任何 API 部分，也没有模型：{1}）：应用的遥测、页面资源或探测"),
        ("no parser recognised this content ({0} lines not read)", "没有解析器能识别此内容（{0} 行未读取）"),
        ("{0} line(s) not understood (e.g. line {1})", "{0} 行无法理解（例如第 {1} 行）"),
        ("folder link loop: already read", "文件夹链接成环：已读取过"),
        ("not a regular file (device, socket or pipe): not read", "不是普通文件（设备、套接字或管道）：未读取"),
        ("link to {0}: not followed", "指向 {0} 的链接：未跟随"),
        ("special tar entry (not a regular file): not read", "特殊的 tar 条目（不是普通文件）：未读取"),
        ("symbolic link: not followed", "符号链接：未跟随"),
        ("empty {0} archive", "空的 {0} 压缩包"),
        // Rules not evaluated.
        ("no HTTP call found in the bundle", "包中没有找到 HTTP 请求"),
        ("the bundle does not give: {0}", "包中缺少这些字段：{0}"),
        // Ticket facts the bundle does not give.
        ("base URL: ask for the client's base_url / API address setting, or a HAR capture",
         "Base URL：请客户提供客户端的 base_url / API 地址设置，或 HAR 抓包"),
        ("model: ask which model name the client sends (its settings screen or the request body)",
         "模型：询问客户端发送的模型名（设置界面或请求体中）"),
        ("status: ask for the HTTP status, e.g. from a HAR capture or the SDK's debug log (OPENAI_LOG=debug)",
         "状态码：请客户提供 HTTP 状态码，例如来自 HAR 抓包或 SDK 调试日志（OPENAI_LOG=debug）"),
        ("request id: ask for the gateway's request id (x-request-id / X-Oneapi-Request-Id header)",
         "请求 ID：请客户提供网关的请求 ID（x-request-id / X-Oneapi-Request-Id 头）"),
        ("(none)", "（无）"),
        // Problems of one input file (ingest and parsers).
        ("cannot read: {0}", "无法读取：{0}"),
        ("corrupt {0} data at byte {1}: {2}", "{0} 数据在第 {1} 字节处损坏：{2}"),
        ("truncated {0} data: input ends at byte {1}", "{0} 数据不完整：输入在第 {1} 字节处结束"),
        ("archive entries limit of {0} exceeded (raise it with {1})", "超出压缩包条目数上限 {0}（可用 {1} 调高）"),
        ("compression ratio limit of {0} exceeded (raise it with {1})", "超出压缩比上限 {0}（可用 {1} 调高）"),
        ("decompressed bytes limit of {0} exceeded (raise it with {1})", "超出解压后字节数上限 {0}（可用 {1} 调高）"),
        ("document size limit of {0} exceeded (raise it with {1})", "超出文档大小上限 {0}（可用 {1} 调高）"),
        ("input read once (stdin or pipe) limit of {0} exceeded (raise it with {1})", "超出一次性输入（stdin 或管道）的大小上限 {0}（可用 {1} 调高）"),
        ("nesting depth limit of {0} exceeded (raise it with {1})", "超出嵌套层数上限 {0}（可用 {1} 调高）"),
        ("zip archive size (read into memory) limit of {0} exceeded (raise it with {1})", "超出zip 压缩包大小（需读入内存）上限 {0}（可用 {1} 调高）"),
        ("{0} limit of {1} exceeded (raise it with {2})", "超出{0}上限 {1}（可用 {2} 调高）"),
        ("read error: {0}", "读取错误：{0}"),
        ("only the first {0} MiB of this text were read as an error report", "只把这段文本的前 {0} MiB 当作错误报告读取"),
        ("Request options could not be read as a Python dict", "Request options 无法按 Python 字典读取"),
        ("empty HAR file", "空的 HAR 文件"),
        ("valid JSON but not a HAR: no log.entries", "是合法的 JSON，但不是 HAR：没有 log.entries"),
        ("invalid JSON at byte {0} (line {1}): {2}", "第 {0} 字节（第 {1} 行）处 JSON 无效：{2}"),
        ("not a HAR document: {0}", "不是 HAR 文档：{0}"),
        ("{0} line(s) longer than {1} bytes were cut (raise with --max-line)", "{0} 行超过 {1} 字节，已截断（可用 --max-line 调高）"),
    ]

    /// The templates compiled once: anchored patterns with one lazy group per placeholder.
    private static let compiled: [(pattern: NSRegularExpression, zh: String)] = templates.compactMap { t in
        var pattern = "^"
        var rest = Substring(t.en)
        while let open = rest.range(of: "{"), let close = rest[open.upperBound...].range(of: "}"),
              Int(rest[open.upperBound..<close.lowerBound]) != nil {
            pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open.lowerBound])) + "(.*?)"
            rest = rest[close.upperBound...]
        }
        pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        return (try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])).map { ($0, t.zh) }
    }

    /// `note` in Chinese, nil when no template matches it.
    ///
    /// - Complexity: O(t·n) for t templates and a note of n characters; notes are few.
    package static func zh(_ note: String) -> String? {
        let ns = note as NSString
        for (pattern, zh) in compiled {
            guard let m = pattern.firstMatch(in: note, range: NSRange(location: 0, length: ns.length)) else { continue }
            var out = zh
            for g in stride(from: m.numberOfRanges - 1, through: 1, by: -1) {
                out = out.replacingOccurrences(of: "{\(g - 1)}", with: ns.substring(with: m.range(at: g)))
            }
            return out
        }
        return nil
    }

    /// `note` in `lang`: the Chinese template's text under `.zh` when there is one, else as written.
    package static func text(_ note: String, _ lang: Lang) -> String {
        lang == .zh ? zh(note) ?? note : note
    }
}
