import WanxiaContract

extension RejectCode {
    /// The activity named in an observation is not planned in the volunteers service.
    public static let unknownActivity: RejectCode = "unknown-activity"
}
