extension TXTRegistry {
    /// The owner id written into every companion; conflict notices name it beside the other owner.
    public var ownerName: String? { ownerID }
}
