import DoctorModel
import DoctorParse
import Foundation

/// A fact field, spelled in YAML by its raw value. Rules name fields by string; the engine
/// compiles them to a case and looks the value up in a flat array by `slot` (no hashing of
/// field names per test).
///
/// One list: the case order is the storage order and the raw value the YAML name
/// (`docs/rules.md` lists every field).
enum FactKey: String, CaseIterable, Sendable {
    case method, url, host, port, path, query, endpoint
    case basePath = "base_path", baseVersion = "base.version", baseVersionMissing = "base.version_missing"
    case baseVersionDuplicated = "base.version_duplicated", baseIncludesEndpoint = "base.includes_endpoint"
    case baseMalformed = "base.malformed", baseUnusualVersion = "base.unusual_version"
    case status, statusClass = "status_class", statusText = "status_text"
    case requestModel = "request.model", requestStream = "request.stream", requestHasBody = "request.has_body"
    case requestBodyJson = "request.body_json", requestContentType = "request.content_type", requestBody = "request.body"
    case responseContentType = "response.content_type", responseHtml = "response.html", responseJson = "response.json"
    case responseBody = "response.body", responseContentLength = "response.content_length"
    case responseListedCount = "response.listed_count", responseListedModels = "response.listed_models"
    case responseListShape = "response.list_shape"
    case errorType = "error.type", errorCode = "error.code", errorMessage = "error.message", errorParam = "error.param"
    case errorText = "error.text", errorFamily = "error.family", errorOutside = "error.outside", failureKind = "failure.kind", failureMessage = "failure.message"
    case retries, requestId = "request_id", sdkName = "sdk.name", sdkVersion = "sdk.version"
    case keyFingerprint = "key.fingerprint", keyDiffersFromList = "key.differs_from_list"
    case hostDiffersFromList = "host.differs_from_list", hostDiffersFromConfigured = "host.differs_from_configured"
    case hostLoopback = "host.loopback"
    case catalogTaggedOnly = "catalog.tagged_only", catalogKnown = "catalog.known", catalogSize = "catalog.size"
    case catalogExact = "catalog.exact", catalogCase = "catalog.case", catalogNormalized = "catalog.normalized"
    case catalogNearest = "catalog.nearest", catalogDistance = "catalog.distance", catalogListedByBundle = "catalog.listed_by_bundle",
         catalogFromLocalServer = "catalog.from_local_server", catalogListedEmpty = "catalog.listed_empty",
         modelDroppedFromList = "model.dropped_from_list"
    case catalogExtended = "catalog.extended"
    case knownExact = "known.exact", knownCase = "known.case", knownNormalized = "known.normalized", knownNearest = "known.nearest"
    case knownExtended = "known.extended"
    case aliasLegacy = "alias.legacy", aliasMarketing = "alias.marketing", aliasClientDefault = "alias.client_default"
    case aliasMissingSuffix = "alias.missing_suffix", aliasMarketingListed = "alias.marketing_listed"
    case modelHasSpace = "model.has_space", modelHasUpper = "model.has_upper", modelForeignToHost = "model.foreign_to_host"
    case modelCaseVariantMentioned = "model.case_variant_mentioned", modelRequestedCount = "model.requested_count"
    case modelDiffersFromConfigured = "model.differs_from_configured", modelVendorPrefixed = "model.vendor_prefixed"
    case modelDeploymentFailed = "model.deployment_failed", modelRepositoryOfListed = "model.repository_of_listed"
    case modelDisabledBySettings = "model.disabled_by_settings", modelConfiguredNamespaced = "model.configured_namespaced"
    case provider, modelForeignToProvider = "model.foreign_to_provider", modelOffProviderCase = "model.off_provider_case"
    case modelOffProviderShape = "model.off_provider_shape", modelConfiguredExtended = "model.configured_extended"
    case providerServesEndpoint = "provider.serves_endpoint", modelConfiguredCase = "model.configured_case"
    case modelForeignToConfiguredHost = "model.foreign_to_configured_host"
    case aliasRetired = "alias.retired", modelRetiredAfterTicket = "model.retired_after_ticket", ticketDate = "ticket.date"
    case ticketCues = "ticket.cues"
    case text, hints, sourceKinds = "source.kinds", missing, proxyVia = "proxy.via", origin

    static let count = allCases.count

    /// The YAML spelling.
    var name: String { rawValue }

    /// Storage index: the case's position in the declaration. A payload-free enum of fewer
    /// than 256 cases is stored as that position in one byte, so this reads it without a table
    /// (`FactsStorageTests` checks it against `allCases`).
    @inline(__always) var slot: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// The case stored at `slot`.
    init(slot: Int) { self = Self.allCases[slot] }

    /// Case of a YAML name; nil when the name is not a field (lint reports it).
    static func named(_ name: String) -> FactKey? { FactKey(rawValue: name) }

    /// Fields that copy or join large strings. They are not stored with the other facts but
    /// computed from the exchange when a rule reads them (see `HeavySource`).
    var isHeavy: Bool {
        switch self {
        case .text, .errorText, .errorFamily, .errorOutside, .responseBody, .requestBody: return true
        default: return false
        }
    }

    /// Fields read from the exchange itself, never shared between calls (`CallMemo`): the
    /// large texts, and the request id and answer length, in which calls that agree on every
    /// other field still differ.
    var isOwn: Bool {
        switch self {
        case .requestId, .responseContentLength: return true
        default: return isHeavy
        }
    }
}
