import DoctorFindings
import DoctorModel
import DoctorParse
import DoctorRedact
import DoctorRules
import Foundation

/// The fixed words of a report (section names, field names) in one language.
///
/// Only the renderers' own words live here; finding titles, messages and fixes come
/// already translated from the rule packs. Severity names and cause keys stay English in
/// every language because support staff search for them.
public struct Labels: Sendable, Hashable, Encodable {
    public var report: String
    public var unredactedBanner: String
    public var mostLikelyCause: String
    public var noProblemFound: String
    /// Shown instead of `noProblemFound` when the bundle held no HTTP call at all.
    public var nothingToDiagnose: String
    /// Shown instead of `noProblemFound` when a call failed (or the customer states the
    /// symptom) but only low pointers were found: never "no problem" beside a failure.
    public var noCauseEstablished: String
    /// Shown instead of `noProblemFound` when the only failures are outside the taxonomy.
    public var onlyOtherErrors: String
    public var otherObservations: String
    public var fix: String
    public var evidence: String
    public var evidenceAgainst: String
    public var askCustomerFor: String
    public var explains: String
    public var occurrences: String
    /// Heads the other findings of a finding's cause, listed briefly under it.
    public var alsoFoundSameCause: String
    public var confidence: String
    public var rule: String
    public var symptom: String
    public var ticketFacts: String
    public var inventory: String
    public var noInputs: String
    public var path: String
    public var kind: String
    public var format: String
    public var bytes: String
    public var exchanges: String
    public var skippedLines: String
    public var compression: String
    public var skipped: String
    public var notes: String
    /// The level of an input file's problem.
    public var warning: String
    public var error: String
    public var notEvaluated: String
    /// The one line that stands for the rules not evaluated without `--verbose`; `{n}` is
    /// their number.
    public var notEvaluatedSummary: String
    public var rulePacks: String
    public var rules: String
    public var redaction: String
    public var redactedNothing: String
    public var redactedValues: String
    public var byFile: String
    public var fact: String
    public var value: String
    // Ticket facts.
    public var sdks: String
    public var runtimes: String
    public var baseURLs: String
    public var requestURLs: String
    public var apiVersionPaths: String
    public var hosts: String
    public var models: String
    public var firstTime: String
    public var lastTime: String
    public var statusCodes: String
    public var errors: String
    public var requestIDs: String
    public var keys: String
    public var unknown: String
    // The HTML report's timeline of calls.
    public var timeline: String
    /// The line under the timeline's heading; `{n}` is the number of calls.
    public var timelineSummary: String
    /// Said under `timelineSummary` when identical consecutive calls share a row.
    public var timelineFolded: String
    /// The line standing for calls left out: `{n}` calls, exchanges `{first}` to `{last}`,
    /// `{failed}` of them failed; `{cmd}` is the command that lists them all.
    public var callsNotShown: String
    public var time: String
    public var endpoint: String
    public var statusOrError: String
    public var modelRequested: String
    /// Before a finding's links to its calls.
    public var calls: String
    /// The language of these labels; notes from earlier stages are looked up in it.
    public var lang: Lang = .en

    /// The labels for `lang`.
    public static func of(_ lang: Lang) -> Labels {
        switch lang {
        case .en: return .en
        case .zh: return .zh
        }
    }

    public static let en = Labels(
        report: "report",
        unredactedBanner: "UNREDACTED: this report may contain API keys and customer data. Do not share it.",
        mostLikelyCause: "Most likely cause",
        noProblemFound: "No problem found: no finding is above LOW severity.",
        nothingToDiagnose: "Nothing to diagnose: no HTTP call or error was found in the bundle. See the inventory and ask the customer for the items below.",
        noCauseEstablished: "No cause established with confidence: something failed, and the candidates below are pointers to check, not a diagnosis. Ask the customer for the items listed.",
        onlyOtherErrors: "No model-list or model-name problem found: the failure below is of another kind.",
        otherObservations: "Other observations",
        fix: "Fix",
        evidence: "Evidence",
        evidenceAgainst: "Evidence against",
        askCustomerFor: "Ask the customer for",
        explains: "Explains",
        occurrences: "Occurrences",
        alsoFoundSameCause: "Also found (same cause)",
        confidence: "confidence",
        rule: "rule",
        symptom: "symptom",
        ticketFacts: "Ticket facts",
        inventory: "Inventory",
        noInputs: "No input files.",
        path: "Path",
        kind: "Kind",
        format: "Format",
        bytes: "Bytes",
        exchanges: "Exchanges",
        skippedLines: "Skipped lines",
        compression: "Unpacked from",
        skipped: "Skipped",
        notes: "Note",
        warning: "warning",
        error: "error",
        notEvaluated: "Not evaluated",
        notEvaluatedSummary: "{n} rules not evaluated: the bundle lacks the calls or facts they need; --verbose lists them",
        rulePacks: "Rule packs",
        rules: "rules",
        redaction: "Redaction",
        redactedNothing: "Nothing was redacted.",
        redactedValues: "values redacted",
        byFile: "by file",
        fact: "Fact",
        value: "Value",
        sdks: "SDK",
        runtimes: "Runtime",
        baseURLs: "Base URL",
        requestURLs: "Request URLs",
        apiVersionPaths: "API version path",
        hosts: "Hosts",
        models: "Models requested",
        firstTime: "First request (UTC)",
        lastTime: "Last request (UTC)",
        statusCodes: "Status codes",
        errors: "Errors",
        requestIDs: "Request IDs",
        keys: "Keys used",
        unknown: "Not in the bundle",
        timeline: "Calls in order",
        timelineSummary: "{n} calls, in the order of the bundle (by time when every call has one); failed calls are marked ✗.",
        timelineFolded: "Identical consecutive calls share one row, with their number (×N).",
        callsNotShown: "{n} more calls not shown (#{first}–#{last}), {failed} of them failed; {cmd} lists every call.",
        time: "Time (UTC)",
        endpoint: "Endpoint",
        statusOrError: "Status or error",
        modelRequested: "Model requested",
        calls: "Calls"
    )

    public static let zh = Labels(
        report: "诊断报告",
        unredactedBanner: "未脱敏：本报告可能包含 API 密钥和客户数据，请勿外传。",
        mostLikelyCause: "最可能的原因",
        noProblemFound: "未发现问题：没有高于 LOW 级别的结论。",
        nothingToDiagnose: "无法诊断：包中没有找到任何 HTTP 请求或错误信息。请查看文件清单，并向客户索取下列信息。",
        noCauseEstablished: "未能确定原因：有调用失败，下面的候选原因只是需要核实的线索，不是诊断。请向客户索取下列信息。",
        onlyOtherErrors: "未发现模型列表或模型名称问题：下面的失败属于其他类型。",
        otherObservations: "其他观察",
        fix: "解决方法",
        evidence: "证据",
        evidenceAgainst: "反面证据",
        askCustomerFor: "需向客户索取",
        explains: "可解释",
        occurrences: "出现次数",
        alsoFoundSameCause: "同一原因的其他发现",
        confidence: "置信度",
        rule: "规则",
        symptom: "症状",
        ticketFacts: "工单事实",
        inventory: "输入文件清单",
        noInputs: "没有输入文件。",
        path: "路径",
        kind: "类型",
        format: "格式",
        bytes: "字节",
        exchanges: "请求数",
        skippedLines: "跳过行数",
        compression: "解包自",
        skipped: "已跳过",
        notes: "说明",
        warning: "警告",
        error: "错误",
        notEvaluated: "未评估的规则",
        notEvaluatedSummary: "{n} 条规则未评估：包中没有它们所需的请求或信息；加 --verbose 可列出",
        rulePacks: "规则包",
        rules: "条规则",
        redaction: "脱敏",
        redactedNothing: "没有内容被脱敏。",
        redactedValues: "处已脱敏",
        byFile: "按文件",
        fact: "事实",
        value: "值",
        sdks: "SDK",
        runtimes: "运行时",
        baseURLs: "Base URL",
        requestURLs: "请求 URL",
        apiVersionPaths: "API 版本路径",
        hosts: "主机",
        models: "请求的模型",
        firstTime: "首次请求 (UTC)",
        lastTime: "最后请求 (UTC)",
        statusCodes: "状态码",
        errors: "错误信息",
        requestIDs: "请求 ID",
        keys: "使用的密钥",
        unknown: "日志包中缺少",
        timeline: "请求时间线",
        timelineSummary: "共 {n} 个请求，按日志包中的顺序排列（每个请求都有时间时按时间）；失败的请求标有 ✗。",
        timelineFolded: "连续相同的请求合为一行，并标出次数（×N）。",
        callsNotShown: "另有 {n} 个请求未显示（#{first}–#{last}），其中 {failed} 个失败；{cmd} 可列出全部请求。",
        time: "时间 (UTC)",
        endpoint: "接口",
        statusOrError: "状态或错误",
        modelRequested: "请求的模型",
        calls: "相关请求",
        lang: .zh
    )
}

extension Labels {
    /// A note written in English by an earlier stage (inventory notes, skip reasons, why a
    /// rule was not evaluated, facts not in the bundle), in this language (`NoteCatalog`).
    func note(_ english: String) -> String { NoteCatalog.text(english, lang) }

    /// The word for a problem's level.
    func level(_ level: Problem.Level) -> String { level == .error ? error : warning }

    /// The summary line for `count` rules not evaluated.
    func notEvaluatedSummary(_ count: Int) -> String {
        // English alone has a plural to undo.
        let template = count == 1 ? notEvaluatedSummary.replacingOccurrences(of: "{n} rules ", with: "{n} rule ") : notEvaluatedSummary
        return template.replacingOccurrences(of: "{n}", with: String(count))
    }

    /// The line under the timeline's heading for `count` calls.
    func timelineSummary(_ count: Int) -> String {
        let template = count == 1 ? timelineSummary.replacingOccurrences(of: "{n} calls, ", with: "{n} call, ") : timelineSummary
        return template.replacingOccurrences(of: "{n}", with: String(count))
    }

    /// The line a report without serious findings opens with: "no problem" only when there
    /// was something to look at.
    func healthyHeadline(_ r: Report) -> String {
        // A failed call, or the pointers the message families give for one (or for the
        // symptom the customer states): something went wrong that no rule could pin down.
        let failed = r.facts.statusCodes.keys.contains { $0 >= 400 } || !r.facts.errors.isEmpty
        let pointers = r.findings.contains { $0.severity == .low && ($0.rule.hasPrefix("family/") || $0.cause == "unexplained-failure") }
        if pointers { return noCauseEstablished }
        // A failure of another kind (context length, rate limit…), read from a call or a pasted line.
        if r.findings.contains(where: { $0.cause == "outside-taxonomy" }) { return onlyOtherErrors }
        if failed { return noCauseEstablished }
        return r.facts.exchanges == 0 && r.findings.isEmpty ? nothingToDiagnose : noProblemFound
    }
}
