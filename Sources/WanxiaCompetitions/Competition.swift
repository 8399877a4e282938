import Foundation
import WanxiaContract

/// A competition as planned: what is played, in which format, who may enter, and the rules fixed
/// before the first round (points, tie-break list, the seed of every draw).
///
/// `id` is a topic-safe id (a-z 0-9 -): it names the retained fixtures and standings topics.
public struct Competition: Codable, Sendable, Equatable {
    public enum Format: String, Codable, Sendable, CaseIterable {
        case knockout
        case roundRobin = "round-robin"
        case doubleRoundRobin = "double-round-robin"
        case swiss
        /// Singing, instrumental music: a panel of judges scores each entrant.
        case judged
        /// Calligraphy, painting, photography, poetry: anonymous works, rounds with quotas.
        case exhibition

        /// Whether entrants meet in matches with results from a referee.
        public var hasMatches: Bool { ![.judged, .exhibition].contains(self) }
    }

    /// Who enters: one person, a fixed pair (guandan), or a team (gateball, five a side).
    public enum Entry: String, Codable, Sendable, CaseIterable {
        case individual, pair, team
    }

    public enum Status: String, Codable, Sendable {
        case registration, running, finished
    }

    public var id: String
    public var title: String
    /// The competition's kind in the bureau's words: 门球赛, 乒乓球赛, 书法展.
    public var kind: String
    /// The game, for its rules: gateball, table-tennis, chinese-chess, chess, guandan, singing...
    public var game: String
    public var format: Format
    public var entry: Entry
    /// Members per entrant (1 for individuals, 2 for pairs; a team's lower and upper bound).
    public var minMembers: Int
    public var maxMembers: Int
    /// At most this many entrants (nil: no limit).
    public var capacity: Int?
    /// Only people of these former units (原单位) may enter; empty: everyone on the roll.
    public var units: [String]
    public var site: TopicID
    public var start: Date
    public var end: Date
    public var points: PointsScheme
    public var tieBreaks: [TieBreak]
    /// The recorded seed of every draw (pairing numbers, knockout draw, lots).
    public var seed: UInt64
    /// Swiss rounds (default ceil(log2 n)).
    public var rounds: Int?
    /// Knockout: play a match for third place.
    public var thirdPlace: Bool
    /// Knockout: keep entrants of the same unit apart (同单位回避).
    public var separateUnits: Bool
    /// A result counts only once a second official confirms it (`confirmedBy`).
    public var needsConfirmation: Bool
    /// Judged: drop the highest and lowest score from this many judges up.
    public var dropFrom: Int
    /// Exhibition: works kept after each round, e.g. [100, 50].
    public var quotas: [Int]
    /// Hours credited to each participant and official who took part.
    public var hours: Double
    public var status: Status

    public init(id: String, title: String, kind: String, game: String, format: Format, entry: Entry = .individual,
                minMembers: Int? = nil, maxMembers: Int? = nil, capacity: Int? = nil, units: [String] = [],
                site: TopicID, start: Date, end: Date, points: PointsScheme? = nil, tieBreaks: [TieBreak]? = nil,
                seed: UInt64 = 0, rounds: Int? = nil, thirdPlace: Bool = false, separateUnits: Bool = false,
                needsConfirmation: Bool = false, dropFrom: Int = 4, quotas: [Int] = [], hours: Double = 0,
                status: Status = .registration) {
        self.id = id
        self.title = title
        self.kind = kind
        self.game = game
        self.format = format
        self.entry = entry
        let defaultSize = entry == .individual ? 1 : (entry == .pair ? 2 : 5)
        self.minMembers = minMembers ?? defaultSize
        self.maxMembers = maxMembers ?? max(minMembers ?? defaultSize, defaultSize)
        self.capacity = capacity
        self.units = units
        self.site = site
        self.start = start
        self.end = end
        self.points = points ?? Self.points(for: game)
        self.tieBreaks = tieBreaks ?? Self.tieBreaks(for: game, format: format)
        self.seed = seed
        self.rounds = rounds
        self.thirdPlace = thirdPlace
        self.separateUnits = separateUnits
        self.needsConfirmation = needsConfirmation
        self.dropFrom = dropFrom
        self.quotas = quotas
        self.hours = hours
        self.status = status
    }

    /// The points of a game's rules (see ``PointsScheme``).
    public static func points(for game: String) -> PointsScheme {
        switch game {
        case "chess": .chess
        case "chinese-chess", "xiangqi": .chineseChess
        case "table-tennis": .tableTennis
        default: .standard
        }
    }

    /// The tie-break list of a game's rules (research notes §1.3.5-1.3.7); otherwise head-to-head, wins.
    public static func tieBreaks(for game: String, format: Format) -> [TieBreak] {
        switch (game, format) {
        case ("chinese-chess", .swiss), ("xiangqi", .swiss), ("chess", .swiss): TieBreak.chineseChessSwiss
        case ("chinese-chess", _), ("xiangqi", _), ("chess", _): TieBreak.chineseChessRoundRobin
        case ("table-tennis", _): TieBreak.tableTennis
        case ("gateball", _): TieBreak.gateball
        case (_, .swiss): [.buchholz, .wins]
        default: [.headToHead, .wins, .scoreDifference]
        }
    }

    /// Whether the game has colours (first move, red/black, home/away) to balance in Swiss pairing.
    public var hasColours: Bool { ["chess", "chinese-chess", "xiangqi", "gateball"].contains(game) }

    /// Checks the definition; throws ``CompetitionsError`` naming the field.
    public func validate() throws {
        func bad(_ message: String) -> CompetitionsError { CompetitionsError(.invalidArgument, message) }
        guard TopicID.isValid(id) else { throw bad("id: \"\(id)\" must be 1-64 of a-z 0-9 - (it names the retained topics)") }
        guard !title.isEmpty else { throw bad("title: must not be empty") }
        guard !kind.isEmpty, kind.count <= 64 else { throw bad("kind: must be 1-64 characters, e.g. 门球赛") }
        guard end >= start else { throw bad("end: must not be before the start") }
        guard minMembers >= 1, maxMembers >= minMembers else { throw bad("members: need 1 <= min <= max, not \(minMembers)...\(maxMembers)") }
        if entry == .individual, maxMembers != 1 { throw bad("members: an individual entry has exactly one member") }
        if entry == .pair, minMembers != 2 || maxMembers != 2 { throw bad("members: a pair has exactly two members") }
        if let capacity, capacity < 2 { throw bad("capacity: \(capacity) must be at least 2") }
        if let rounds, rounds < 1 { throw bad("rounds: \(rounds) must be at least 1") }
        guard dropFrom >= 3 else { throw bad("drop-from: \(dropFrom) must be at least 3") }
        if format == .exhibition, quotas.isEmpty || quotas.contains(where: { $0 < 1 }) || quotas != quotas.sorted(by: >) {
            throw bad("quotas: an exhibition needs decreasing positive quotas, e.g. 100,50")
        }
        guard hours >= 0, hours <= 24 * 14 else { throw bad("hours: \(hours) must be 0 to 336") }
    }
}
