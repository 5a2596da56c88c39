/// Everything read from a bundle before any rule runs: the inventory, the paired and merged
/// exchanges, and the bundle-level signals.
public struct TicketBundle: Sendable {
    public var inventory: [InventoryEntry] = []
    public var exchanges: [Exchange] = []
    public var signals: [Signal] = []
    /// The non-empty lines of pasted text (error-text inputs, which are small), kept so the
    /// findings stage can read wordings no parser turned into an exchange.
    public var pastedLines: [SourceLine] = []
    /// Command-line inputs nothing could be read from (missing, not openable, not listable).
    public var unreadableInputs: [String] = []
    public init() {}
}
