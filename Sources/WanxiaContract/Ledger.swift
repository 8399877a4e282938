/// How the hours of a participation were recorded.
public enum Ledger: String, Codable, Sendable, CaseIterable {
    /// From check-in/check-out or attendance taken at the time.
    case clocked
    /// Entered afterwards, from paper or memory.
    case backfilled
}
