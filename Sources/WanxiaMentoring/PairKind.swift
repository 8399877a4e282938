/// What a mentoring pair is for; the registrar's event `kind` is the Chinese words.
public enum PairKind: String, Codable, Sendable, CaseIterable {
    /// 资助贫困学生: a retiree sponsors a poor student.
    case sponsorship
    /// 帮教失足青少年: a retiree guides a juvenile offender.
    case guidance
    /// 结对帮扶: any other pairing (left-behind children, study help).
    case other

    /// The kind in the bureau's words, as sent to the registrar.
    public var words: String {
        switch self {
        case .sponsorship: "资助贫困学生"
        case .guidance: "帮教失足青少年"
        case .other: "结对帮扶"
        }
    }

    /// Reads `sponsorship`, `guidance`, `other` or the Chinese words (also 资助, 帮教).
    public init?(text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "sponsorship", "资助贫困学生", "资助": self = .sponsorship
        case "guidance", "帮教失足青少年", "帮教": self = .guidance
        case "other", "结对帮扶", "其他": self = .other
        default: return nil
        }
    }
}
