/// Everything read from a bundle before any rule runs: the inventory, the paired and merged
/// exchanges, and the bundle-level signals.
public struct TicketBundle: Sendable {
    public var inventory: [InventoryEntry] = []
    public var exchanges: [Exchange] = []
    public var signals: [Signal] = []
    public init() {}
}
