/// The language of a report or certificate: Simplified Chinese (the default) or English.
public enum ReportLanguage: String, Sendable, CaseIterable, Codable {
    case zh = "zh-CN"
    case en

    /// Reads `zh`, `zh-CN`, `zh_CN`, `cn`, `中文`, `en`, `en-GB`, `en-US`, `English`; nil otherwise.
    public init?(tag: String) {
        switch tag.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "zh", "zh-cn", "zh-hans", "cn", "中文": self = .zh
        case "en", "en-gb", "en-us", "english": self = .en
        default: return nil
        }
    }

    /// The HTML `lang` attribute.
    public var htmlTag: String { self == .zh ? "zh-CN" : "en" }
}
