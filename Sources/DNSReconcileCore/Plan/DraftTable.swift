extension PlanWork {
    /// The drafts of one plan by key: the drafts in an array, a dictionary of positions beside.
    ///
    /// A dictionary keeps each value in a bucket of its own, and at three-quarters load or
    /// less a plan of 50,000 creates would hold 131,072 buckets of a draft each (30 MB) where
    /// the drafts themselves are 8 MB. Here the buckets hold a position.
    struct DraftTable {
        private var positions: [RecordKey: Int] = [:]
        /// In the order they were first set.
        private(set) var values: [Draft] = []

        var keys: Dictionary<RecordKey, Int>.Keys { positions.keys }

        mutating func reserveCapacity(_ capacity: Int) {
            positions.reserveCapacity(capacity)
            values.reserveCapacity(capacity)
        }

        /// A plan replaces and changes drafts, and never removes one (an inactive draft stays).
        subscript(key: RecordKey) -> Draft? {
            get { positions[key].map { values[$0] } }
            set {
                guard let draft = newValue else { preconditionFailure("a plan's drafts are never removed") }
                if let position = positions[key] {
                    values[position] = draft
                } else {
                    positions[key] = values.count
                    values.append(draft)
                }
            }
        }
    }
}
