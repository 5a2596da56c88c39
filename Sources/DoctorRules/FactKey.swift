import DoctorModel
import DoctorParse
import Foundation

/// A fact field compiled to a small integer: rules name fields by string in YAML, the engine
/// looks them up by this id in a flat array (no hashing of field names per test).
///
/// The case order is the storage order; `names` holds the YAML spelling of each case, in the
/// same order (`docs/rules.md` lists every field).
enum FactKey: Int, CaseIterable, Sendable {
    case method, url, host, port, path, query, endpoint, basePath, baseVersion, baseVersionMissing
    case baseVersionDuplicated, baseIncludesEndpoint, baseMalformed, baseUnusualVersion, status, statusClass
    case statusText, requestModel, requestStream, requestHasBody, requestBodyJson, requestContentType
    case requestBody, responseContentType, responseHtml, responseJson, responseBody, responseContentLength
    case responseListedCount, responseListedModels, responseListShape, errorType, errorCode, errorMessage
    case errorParam, errorText, failureKind, failureMessage, retries, requestId, sdkName, sdkVersion
    case keyFingerprint, keyDiffersFromList, hostDiffersFromList, hostDiffersFromConfigured, hostLoopback
    case catalogTaggedOnly, catalogKnown, catalogSize, catalogExact, catalogCase, catalogNormalized
    case catalogNearest, catalogDistance, catalogListedByBundle, knownExact, knownCase, knownNormalized
    case knownNearest, aliasLegacy, aliasMarketing, aliasClientDefault, aliasMissingSuffix, modelHasSpace
    case modelHasUpper, modelForeignToHost, modelCaseVariantMentioned, modelRequestedCount, text, hints
    case sourceKinds, missing, proxyVia, origin

    /// YAML names, indexed by `rawValue`.
    static let names: [String] = [
        "method", "url", "host", "port", "path", "query", "endpoint", "base_path", "base.version",
        "base.version_missing", "base.version_duplicated", "base.includes_endpoint", "base.malformed",
        "base.unusual_version", "status", "status_class", "status_text", "request.model", "request.stream",
        "request.has_body", "request.body_json", "request.content_type", "request.body", "response.content_type",
        "response.html", "response.json", "response.body", "response.content_length", "response.listed_count",
        "response.listed_models", "response.list_shape", "error.type", "error.code", "error.message",
        "error.param", "error.text", "failure.kind", "failure.message", "retries", "request_id", "sdk.name",
        "sdk.version", "key.fingerprint", "key.differs_from_list", "host.differs_from_list",
        "host.differs_from_configured", "host.loopback", "catalog.tagged_only", "catalog.known", "catalog.size",
        "catalog.exact", "catalog.case", "catalog.normalized", "catalog.nearest", "catalog.distance",
        "catalog.listed_by_bundle", "known.exact", "known.case", "known.normalized", "known.nearest",
        "alias.legacy", "alias.marketing", "alias.client_default", "alias.missing_suffix", "model.has_space",
        "model.has_upper", "model.foreign_to_host", "model.case_variant_mentioned", "model.requested_count",
        "text", "hints", "source.kinds", "missing", "proxy.via", "origin",
    ]

    /// Id of each YAML name; a name missing here is not a field (lint reports it).
    static let ids: [String: FactKey] = Dictionary(uniqueKeysWithValues: allCases.map { (names[$0.rawValue], $0) })

    static let count = names.count

    /// The YAML spelling.
    var name: String { Self.names[rawValue] }

    /// Fields that copy or join large strings. They are not stored with the other facts but
    /// computed from the exchange when a rule reads them (see `HeavySource`).
    var isHeavy: Bool {
        switch self {
        case .text, .errorText, .responseBody, .requestBody: return true
        default: return false
        }
    }
}
