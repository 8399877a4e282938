/// The body of `checkin` and `checkout` observations: a card read at a kiosk for an activity.
public struct CardScan: Codable, Sendable, Equatable, Validatable {
    /// The activity the person arrives at or leaves.
    public var activity: String
    /// The card number or person id read at the kiosk.
    public var card: String

    public init(activity: String, card: String) {
        self.activity = activity
        self.card = card
    }

    public func validate() throws {
        try Check.id(activity, "activity")
        try Check.id(card, "card")
    }
}
