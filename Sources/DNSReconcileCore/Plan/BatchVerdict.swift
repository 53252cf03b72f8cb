/// What `BatchValidator` decided for one batch.
public struct BatchVerdict: Hashable, Sendable {
    /// A group of planned changes (one name, with its companions) Route53 would refuse.
    public struct Refusal: Hashable, Sendable {
        public var changes: [PlannedChange]
        /// Every rule the group breaks, in Route53's words where it has them.
        public var reasons: [String]

        public init(changes: [PlannedChange], reasons: [String]) {
            self.changes = changes
            self.reasons = reasons
        }
    }

    /// What may be sent, in the batch's order.
    public var accepted: [PlannedChange]
    public var refused: [Refusal]

    public init(accepted: [PlannedChange], refused: [Refusal]) {
        self.accepted = accepted
        self.refused = refused
    }
}
