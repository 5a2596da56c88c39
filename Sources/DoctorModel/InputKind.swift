/// What an input file is, decided from its content by the sniffers (never from its name alone).
public enum InputKind: String, Sendable, Codable, CaseIterable, Comparable {
    case pythonSDKLog = "python-sdk-log"
    case nodeSDKLog = "node-sdk-log"
    case har
    case gatewayLog = "gateway-log"
    case errorText = "error-text"
    case unknown

    public static func < (a: InputKind, b: InputKind) -> Bool { a.rawValue < b.rawValue }
}
