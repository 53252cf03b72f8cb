/// One health check a record set needs, and what to do to have it.
public struct HealthCheckStep: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable {
        /// The check exists as wanted.
        case use
        case create
        /// UpdateHealthCheck of `existing` with `config` (its version sent for optimistic locking).
        case update
    }

    public var action: Action
    /// The check used or updated.
    public var existing: HealthCheck?
    /// For a create: the `CallerReference` to send.
    public var callerReference: String?
    /// The settings it must have. A CALCULATED parent's children are the results of the child
    /// steps, filled in when they are known.
    public var config: HealthCheckConfig
    /// For an update, the fields that change; for a create, the check it replaces, if any.
    public var reason: String?

    public init(action: Action, existing: HealthCheck? = nil, callerReference: String? = nil,
                config: HealthCheckConfig, reason: String? = nil) {
        self.action = action
        self.existing = existing
        self.callerReference = callerReference
        self.config = config
        self.reason = reason
    }

    /// The id when it is known before anything is sent.
    public var knownID: String? { existing?.id }
}

/// The health checks of one record set: the children of a CALCULATED parent first (none for a
/// single check), then the check the record set references.
public struct HealthCheckWork: Hashable, Sendable {
    /// Position of the endpoint in the planner's `desired`.
    public var index: Int
    public var key: RecordKey
    public var children: [HealthCheckStep]
    public var root: HealthCheckStep

    public init(index: Int, key: RecordKey, children: [HealthCheckStep] = [], root: HealthCheckStep) {
        self.index = index
        self.key = key
        self.children = children
        self.root = root
    }

    /// Children, then the root: the order in which they are created or updated.
    public var steps: [HealthCheckStep] { children + [root] }

    /// True when nothing has to be sent.
    public var isSettled: Bool { steps.allSatisfy { $0.action == .use } }
}

/// What one owner must do about health checks in one zone before its record sets are planned.
public struct HealthCheckPlan: Hashable, Sendable {
    /// An endpoint whose health-check settings cannot be used: its name is held.
    public struct Refusal: Hashable, Sendable {
        /// Position of the endpoint in the planner's `desired`.
        public var index: Int
        /// An `.invalid` notice saying why.
        public var notice: PlanNotice

        public init(index: Int, notice: PlanNotice) {
            self.index = index
            self.notice = notice
        }
    }

    /// One per desired endpoint with a managed health check, in key order.
    public var work: [HealthCheckWork]
    public var refused: [Refusal]

    public init(work: [HealthCheckWork] = [], refused: [Refusal] = []) {
        self.work = work
        self.refused = refused
    }

    /// Existing checks this plan keeps in use (used or updated), children included.
    public var resolved: Set<String> {
        Set(work.flatMap(\.steps).compactMap(\.knownID))
    }

}
