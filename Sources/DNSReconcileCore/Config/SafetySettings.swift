/// `[safety]`: how much of its own records one pass may delete or update without `--force`.
public struct SafetySettings: Hashable, Sendable {
    /// Percent (0…100) of the records this owner has in the zone.
    public var maxDeletePercent: Double
    public var maxUpdatePercent: Double
    /// Below this many owned records the percentages do not apply.
    public var minExistingRecords: Int

    public init(maxDeletePercent: Double = 30, maxUpdatePercent: Double = 30, minExistingRecords: Int = 10) {
        self.maxDeletePercent = maxDeletePercent
        self.maxUpdatePercent = maxUpdatePercent
        self.minExistingRecords = minExistingRecords
    }
}
