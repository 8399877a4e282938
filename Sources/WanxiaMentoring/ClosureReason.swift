/// One entry of the closure-reason catalogue: a code, its words, and whether it is a planned ending.
///
/// The catalogue is a table in the mentoring file, seeded with the codes below and extensible from
/// the CLI (`wanxia mentoring reason add`). The registrar gets `code: label` as the correction reason.
public struct ClosureReason: Sendable, Equatable, Codable {
    /// Lowercase kebab-case, e.g. `graduated`.
    public var code: String
    /// The bureau's words, e.g. 升学/毕业.
    public var label: String
    /// A planned ending (completed, graduated) rather than an early one.
    public var planned: Bool

    public init(code: String, label: String, planned: Bool) {
        self.code = code
        self.label = label
        self.planned = planned
    }

    /// The seeded catalogue.
    public static let seeded: [ClosureReason] = [
        .init(code: "completed", label: "完成帮扶", planned: true),
        .init(code: "graduated", label: "升学/毕业", planned: true),
        .init(code: "moved", label: "迁居", planned: false),
        .init(code: "mentor-unavailable", label: "帮扶人身体原因", planned: false),
        .init(code: "youth-withdrew", label: "本人退出", planned: false),
        .init(code: "guardian-request", label: "监护人要求", planned: false),
        .init(code: "lost-contact", label: "失去联系", planned: false),
        .init(code: "withdrawn", label: "未启动即撤回", planned: false),
        .init(code: "other", label: "其他", planned: false),
    ]

    /// What the registrar's `correction.reason` carries.
    public var recordText: String { "\(code): \(label)" }
}
