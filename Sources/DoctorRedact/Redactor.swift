import Crypto
import DoctorIngest
import DoctorModel
import DoctorParse
import Foundation

/// The one choke point between bundle text and any output: reports, excerpts, redacted copies.
///
/// `redact(_:file:)` works line by line, by structure first (secret-named headers and fields,
/// URL user info and query parameters), then by value shape (`sk-…`, `AIza…`, JWTs,
/// `Bearer …`), then by the exact secrets learnt so far. Keys become fingerprints
/// `sk-…AbCd#1a2b3c` (public prefix, last four characters, six hex digits of an HMAC), so a
/// report can still say which key was used for which call; cookies, Basic credentials and
/// passwords become `[REDACTED:kind]`; prompt and completion text becomes `[N chars]` unless
/// `showContent` is set. Model names, paths, hosts, status codes and request ids are kept.
///
/// `gate(_:)` is the last check before anything is written (fail closed). The class is
/// thread-safe: learnt secrets and counts sit behind a lock.
public final class Redactor: @unchecked Sendable {
    public struct Options: Sendable, Hashable {
        /// Keep prompt/completion text (`--show-content`).
        public var showContent = false
        /// Turn redaction off (`--no-redact`, local use only).
        public var disabled = false
        /// HMAC key for fingerprints. nil: `MODELDOCTOR_FINGERPRINT_KEY` from the environment,
        /// else `Redactor.defaultFingerprintKey`.
        public var fingerprintKey: String?
        public init(showContent: Bool = false, disabled: Bool = false, fingerprintKey: String? = nil) {
            self.showContent = showContent; self.disabled = disabled; self.fingerprintKey = fingerprintKey
        }
    }

    /// The fingerprint HMAC key when none is configured. Fingerprints are deterministic on
    /// purpose: the same key gives the same token in every report and every run, so support
    /// can match tickets. Set `MODELDOCTOR_FINGERPRINT_KEY` to make them unlinkable elsewhere.
    public static let defaultFingerprintKey = "modeldoctor-fingerprint-v1"
    /// The environment variable that overrides the fingerprint key.
    public static let fingerprintKeyVariable = "MODELDOCTOR_FINGERPRINT_KEY"

    public let options: Options
    private let hmacKey: [UInt8]
    private let lock = NSLock()
    /// Fingerprints by credential, as given (behind `lock`).
    private var fingerprints: [String: String] = [:]
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private var learnt: [[UInt8]] = []
    private var learntSet: Set<[UInt8]> = []
    /// Every text `learn` was given: a bundle's calls mostly repeat one key, and learning a
    /// text twice changes nothing, so a repeat is not trimmed and checked again.
    private var given: Set<String> = []
    /// 12-byte stretches of learnt secrets' bodies, looked for by the gate.
    private var windows: Set<[UInt8]> = []
    private var windowHeads: Set<UInt64> = []
    private var counts = RedactionSummary()
    private var countedFingerprints: Set<[String]> = []

    public init(options: Options = Options()) {
        self.options = options
        let key = options.fingerprintKey
            ?? ProcessInfo.processInfo.environment[Self.fingerprintKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.defaultFingerprintKey
        self.hmacKey = Array(key.utf8)
    }

    // MARK: Redaction

    /// Redacts one piece of bundle text (one line or many; lines are redacted in order, with
    /// the state a line leaves for the next, e.g. a pretty-printed HAR header).
    public func redact(_ text: String, file: String? = nil) -> RedactedText {
        if options.disabled { return RedactedText(unchecked: text) }
        var state = LineState()
        var out: [UInt8] = []
        var first = true
        for line in Array(text.utf8).split(separator: 10, omittingEmptySubsequences: false) {
            if !first { out.append(10) }
            first = false
            out += redactLine(Array(line), state: &state, file: file)
        }
        return RedactedText(unchecked: String(decoding: out, as: UTF8.self))
    }

    /// Redacts one line (no line terminator) given the previous line's state. Bytes that are
    /// not valid UTF-8 are passed through untouched.
    func redactLine(_ line: [UInt8], state: inout LineState, file: String?) -> [UInt8] {
        if options.disabled { return line }
        var scanner = LineScanner(line, showContent: options.showContent)
        scanner.scan(state: &state, learnt: lock.withLock { learnt })
        guard !scanner.spans.isEmpty else { return line }
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var last = 0
        lock.lock()
        defer { lock.unlock() }
        for span in scanner.spans where span.range.lowerBound >= last {
            out += line[last..<span.range.lowerBound]
            let raw = line[span.range]
            switch span.action {
            case .fingerprint:
                let secret = String(decoding: raw, as: UTF8.self)
                out += Array(fingerprintLocked(secret).utf8)
                learnLocked(Array(raw))
            case .label:
                out += Array("[REDACTED:\(span.kind.rawValue)]".utf8)
                if ValueShape.isTokenLike(raw) { learnLocked(Array(raw)) }
            case .size:
                out += Array("[\(String(decoding: raw, as: UTF8.self).count) chars]".utf8)
            }
            counts.add(kind: span.kind.rawValue, file: file)
            last = span.range.upperBound
        }
        out += line[last...]
        return out
    }

    /// A source line as evidence: `file:line` and its redacted text.
    public func excerpt(_ line: SourceLine) -> Evidence {
        Evidence(source: line.ref.description, excerpt: redact(line.text, file: line.ref.file))
    }

    // MARK: Fingerprints and learnt secrets

    /// `prefix…last4#hex6`: the key's public prefix (`sk-`, `sk-proj-`, `AIza` …), its last
    /// four characters when the body is 12+ characters long, and the first six hex digits of
    /// HMAC-SHA256(key, credential). An auth scheme (`Bearer `) is ignored, so the same key
    /// gives the same fingerprint from a header, a log line or `Exchange.credential`.
    public func fingerprint(_ credential: String) -> String {
        lock.withLock { fingerprintLocked(credential) }
    }

    /// The fingerprint shown in place of a credential in a report (the ticket facts' keys),
    /// counted in the summary as one redaction of that key, once per key and file: the key is
    /// in the report only as this fingerprint.
    public func fingerprint(_ credential: String, shownFor file: String?) -> String {
        lock.withLock {
            let secret = Self.stripScheme(credential)
            if countedFingerprints.insert([file ?? "", secret]).inserted {
                counts.add(kind: Self.kind(ofCredential: secret).rawValue, file: file)
            }
            return fingerprintLocked(credential)
        }
    }

    /// The kind a credential is counted as, from its public prefix.
    static func kind(ofCredential s: String) -> SecretKind {
        if s.hasPrefix("sk-ant-") { return .anthropicKey }
        if s.hasPrefix("sk-") { return .openAIKey }
        if s.hasPrefix("AIza") { return .googleKey }
        if s.hasPrefix("eyJ") && s.split(separator: ".").count == 3 { return .jwt }
        return .bearerToken
    }

    private func fingerprintLocked(_ credential: String) -> String {
        // A bundle carries a few keys on thousands of calls: one HMAC per distinct credential.
        if let known = fingerprints[credential] { return known }
        let f = computeFingerprint(credential)
        if fingerprints.count < 4096 { fingerprints[credential] = f }
        return f
    }

    private func computeFingerprint(_ credential: String) -> String {
        let secret = Self.stripScheme(credential)
        let prefix = PublicPrefix.of(secret)
        let body = secret.dropFirst(prefix.count)
        var last4 = ""
        if body.count >= 12 {
            let tail = body.suffix(4)
            if tail.utf8.allSatisfy(Bytes.isWord) { last4 = String(tail) }
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: SymmetricKey(data: hmacKey))
            .prefix(3).map { b in String(decoding: [Self.hexDigits[Int(b >> 4)], Self.hexDigits[Int(b & 15)]], as: UTF8.self) }.joined()
        return "\(prefix)…\(last4)#\(mac)"
    }

    /// Records a secret met in the input (a parser's `Exchange.credential`, a header value) so
    /// that `redact` replaces it wherever it appears and `gate` refuses any output holding it
    /// or a 12-character stretch of its body.
    public func learn(secret: String) {
        lock.withLock {
            guard given.insert(secret).inserted else { return }
            let s = Self.stripScheme(secret.trimmingCharacters(in: .whitespaces))
            guard s.utf8.count >= 8, !ValueShape.isPlaceholder(Array(s.utf8)[...]) else { return }
            learnLocked(Array(s.utf8))
        }
    }

    private func learnLocked(_ secret: [UInt8]) {
        guard Self.isCredentialLike(secret[...]), !learntSet.contains(secret) else { return }
        learntSet.insert(secret)
        learnt.append(secret)
        learnt.sort { $0.count > $1.count }
        let body = Array(PublicPrefix.body(of: String(decoding: secret, as: UTF8.self)).utf8)
        // Only random-looking bodies: a stretch of a word-like value would stop honest output.
        guard body.count >= 12, ValueShape.isHighEntropy(body[...], minLength: 12) else { return }
        for i in 0...(body.count - 12) {
            let w = Array(body[i..<(i + 12)])
            windows.insert(w)
            windowHeads.insert(Self.head(w[...]))
        }
    }

    /// Counts by kind and by file, never values.
    public var summary: RedactionSummary { lock.withLock { counts } }

    // MARK: Helpers

    /// Worth replacing wherever it appears: 8+ characters without spaces, not a placeholder,
    /// and a digit in it or 20+ characters. A learnt plain word (`completion`) would otherwise
    /// be cut out of every URL path of the bundle.
    static func isCredentialLike(_ v: ArraySlice<UInt8>) -> Bool {
        guard ValueShape.isTokenLike(v), !ValueShape.isPlaceholder(v) else { return false }
        return v.count >= 20 || v.contains(where: { $0 >= 48 && $0 <= 57 })
    }

    static func stripScheme(_ s: String) -> String {
        for scheme in ["Bearer ", "bearer ", "BEARER "] where s.hasPrefix(scheme) {
            return String(s.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces)
        }
        return s
    }

    /// The first 8 bytes of a window as a number, a cheap pre-test before the set lookup.
    @inline(__always) static func head(_ w: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0
        for b in w.prefix(8) { h = h << 8 | UInt64(b) }
        return h
    }

    /// Snapshot for the gate.
    func gateMaterial() -> (learnt: [[UInt8]], windows: Set<[UInt8]>, heads: Set<UInt64>) {
        lock.withLock { (learnt, windows, windowHeads) }
    }
}


extension Redactor {
    /// Scans a line only to learn the secrets its structure shows (first pass of
    /// `BundleRedactor`); nothing is counted.
    func learnLine(_ line: [UInt8], state: inout LineState) {
        if options.disabled { return }
        var scanner = LineScanner(line, showContent: true)
        scanner.scan(state: &state, learnt: [])
        let found = scanner.spans.filter { $0.kind != .content && $0.kind != .learntSecret }
            .map { Array(line[$0.range]) }.filter { ValueShape.isTokenLike($0[...]) }
        guard !found.isEmpty else { return }
        lock.withLock { for s in found { learnLocked(s) } }
    }
}
