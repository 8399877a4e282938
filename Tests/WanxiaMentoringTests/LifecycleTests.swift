import Foundation
import Testing
import WanxiaContract
import WanxiaDelivery
@testable import WanxiaMentoring

@Suite("Pair lifecycle: every move allowed or refused with a reason")
struct LifecycleTests {
    /// Brings a fresh pair of M-01 and young person A to `state`, one step a day from 1 March.
    static func pair(in state: PairState, desk: Desk) throws -> Pair {
        try desk.recordConsents()
        let pair = try desk.store.propose(id: "pair-a", mentor: "M-01", youth: desk.a, kind: .sponsorship, actor: "S-01",
                                          reason: "学校推荐", at: t("2024-03-01T09:00"))
        switch state {
        case .proposed: return pair
        case .active: return try desk.store.activate(pair: "pair-a", actor: "S-01", reason: "审批通过", at: t("2024-03-02T09:00"))
        case .paused:
            try desk.store.activate(pair: "pair-a", actor: "S-01", reason: "审批通过", at: t("2024-03-02T09:00"))
            return try desk.store.pause(pair: "pair-a", actor: "S-01", reason: "寒假", at: t("2024-03-03T09:00"))
        case .closed:
            return try desk.store.close(pair: "pair-a", reason: "withdrawn", note: "家长未同意", actor: "S-01", at: t("2024-03-02T09:00"))
        }
    }

    /// Tries `state -> next` on the next day.
    static func move(_ desk: Desk, to next: PairState) throws -> Pair {
        let at = t("2024-03-10T09:00")
        switch next {
        case .proposed:
            throw Rejection(.forbiddenTransition, "test: there is no operation to go back to proposed")
        case .active: return try desk.store.activate(pair: "pair-a", actor: "S-02", reason: "继续", at: at)
        case .paused: return try desk.store.pause(pair: "pair-a", actor: "S-02", reason: "住院", at: at)
        case .closed: return try desk.store.close(pair: "pair-a", reason: "completed", note: "一年期满", actor: "S-02", at: at)
        }
    }

    static let allowed: Set<[PairState]> = [[.proposed, .active], [.proposed, .closed], [.active, .paused], [.active, .closed],
                                            [.paused, .active], [.paused, .closed]]

    @Test("each of the 12 moves between the states that can be asked for", arguments: PairState.allCases, [PairState.active, .paused, .closed])
    func everyMove(from: PairState, to: PairState) throws {
        let desk = try Desk()
        defer { desk.remove() }
        _ = try Self.pair(in: from, desk: desk)
        let before = try desk.store.history(pair: "pair-a").count
        if Self.allowed.contains([from, to]) {
            let moved = try Self.move(desk, to: to)
            #expect(moved.state == to)
            let last = try #require(try desk.store.history(pair: "pair-a").last)
            #expect(last.from == from && last.to == to)
            #expect(last.actor == "S-02" && last.at == t("2024-03-10T09:00"))
            #expect(!last.reason.isEmpty)
        } else {
            let refusal = try #require(desk.rejection { _ = try Self.move(desk, to: to) })
            #expect(refusal.code == .forbiddenTransition, "\(from) -> \(to): \(refusal)")
            #expect(refusal.message.contains("\(from.rawValue) -> \(to.rawValue) is not allowed"))
            #expect(try desk.store.pair("pair-a")?.state == from)
            #expect(try desk.store.history(pair: "pair-a").count == before)
        }
    }

    @Test("the state machine's refusals say why", arguments: [
        (PairState.closed, PairState.active, "a closed pair is final"),
        (.proposed, .paused, "cannot be paused before it is active"),
        (.active, .active, "already active"),
        (.paused, .paused, "already paused"),
        (.active, .proposed, "cannot go back to proposed"),
    ])
    func reasons(from: PairState, to: PairState, words: String) {
        #expect(from.refusal(moving: to)?.contains(words) == true)
    }

    @Test("the full lifecycle proposed -> active -> paused -> active -> closed is logged step by step, and the records follow measures.md")
    func fullLifecycle() throws {
        let desk = try Desk()
        defer { desk.remove() }
        _ = try Self.pair(in: .paused, desk: desk)
        try desk.store.resume(pair: "pair-a", actor: "S-01", reason: "开学", at: t("2024-03-05T09:00"))
        try desk.store.close(pair: "pair-a", reason: "graduated", note: "考入高中", actor: "S-01", at: t("2024-07-01T09:00"))
        let steps = try desk.store.history(pair: "pair-a")
        #expect(steps.map(\.to) == [.proposed, .active, .paused, .active, .closed])
        #expect(steps.map(\.from) == [nil, .proposed, .active, .paused, .active])
        #expect(steps.last?.reason == "graduated: 考入高中")
        let pair = try #require(try desk.store.pair("pair-a"))
        #expect(pair.closureReason == "graduated" && pair.activatedAt == t("2024-03-02T09:00"))
        // person (mentor), person (youth), event, 2 paired; on closure 2 closed corrections. Pause/resume send nothing.
        #expect(try desk.outboxTypes() == ["person", "person", "event", "participation", "participation", "participation", "participation"])
        let bodies = try desk.store.database.read { db in try Data.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY seq") }
        let youth = try WanxiaJSON.decode(PersonRecord.self, from: bodies[1])
        #expect(youth.person == desk.a && youth.kind == .youth && youth.name == nil && youth.ageBand == "11-13")
        let closed = try WanxiaJSON.decode(ParticipationRecord.self, from: bodies[6])
        #expect(closed.status == "closed" && closed.role == "mentee" && closed.end == t("2024-07-01T09:00"))
        #expect(closed.correction?.reason == "graduated: 升学/毕业" && closed.supersedes != nil)
    }

    @Test("a pair cannot become active without consent; a young person's own consent does not count under 14")
    func consent() throws {
        let desk = try Desk()
        defer { desk.remove() }
        try desk.store.propose(id: "pair-c", mentor: "M-01", youth: desk.c, kind: .other, actor: "S-01", reason: "社区推荐",
                               at: t("2024-03-01T09:00"))
        let none = try #require(desk.rejection { try desk.store.activate(pair: "pair-c", actor: "S-01", reason: "x", at: t("2024-03-02T09:00")) })
        #expect(none.code == .consentMissing)
        #expect(try desk.store.pair("pair-c")?.state == .proposed)
        // C is 9: her own consent is refused by the identity store.
        #expect(throws: MentoringError.self) {
            try desk.office.recordConsent(Consent(giver: .themselves, relation: "本人", givenOn: t("2024-02-25T10:00"), how: "口头"), for: desk.c)
        }
        // Consent given after the activation date does not count for it.
        try desk.office.recordConsent(Consent(giver: .guardian, relation: "母亲", guardianName: "某某", givenOn: t("2024-03-05T10:00"),
                                              how: "书面"), for: desk.c)
        let early = try #require(desk.rejection { try desk.office.activate(pair: "pair-c", actor: "S-01", reason: "x", at: t("2024-03-02T09:00")) })
        #expect(early.code == .consentMissing)
        #expect(try desk.office.activate(pair: "pair-c", actor: "S-01", reason: "审批通过", at: t("2024-03-06T09:00")).state == .active)
    }

    @Test("other refusals: unknown closure reason, a step back in time, a second open pair of the same two, no reason")
    func otherRefusals() throws {
        let desk = try Desk()
        defer { desk.remove() }
        _ = try Self.pair(in: .active, desk: desk)
        #expect(desk.rejection { try desk.store.close(pair: "pair-a", reason: "bored", note: "x", actor: "S-01", at: t("2024-04-01T09:00")) }?
            .message.contains("not in the catalogue") == true)
        #expect(desk.rejection { try desk.store.pause(pair: "pair-a", actor: "S-01", reason: "x", at: t("2024-03-01T10:00")) }?.code == .outOfRange)
        #expect(desk.rejection { try desk.store.pause(pair: "pair-a", actor: "S-01", reason: " ", at: t("2024-04-01T09:00")) }?.code == .invalidField)
        #expect(desk.rejection {
            try desk.store.propose(mentor: "M-01", youth: desk.a, kind: .other, actor: "S-01", reason: "x", at: t("2024-04-01T09:00"))
        }?.message.contains("already have an open pair") == true)
        // The catalogue is extensible; then the new code closes the pair.
        try desk.store.addClosureReason(ClosureReason(code: "changed-school", label: "转学", planned: false))
        #expect(try desk.store.close(pair: "pair-a", reason: "changed-school", note: "转学外省", actor: "S-01", at: t("2024-04-01T09:00")).state == .closed)
        // A young person may have several mentors and a mentor several young people.
        try desk.store.propose(mentor: "M-02", youth: desk.a, kind: .other, actor: "S-01", reason: "x", at: t("2024-04-02T09:00"))
        try desk.store.propose(mentor: "M-01", youth: desk.a, kind: .sponsorship, actor: "S-01", reason: "重新结对", at: t("2024-04-02T09:00"))
        try desk.store.propose(mentor: "M-01", youth: desk.b, kind: .guidance, actor: "S-01", reason: "x", at: t("2024-04-02T09:00"))
        #expect(try desk.store.pairs(state: .proposed).count == 3)
    }

    @Test("meetings: only for an active pair, by its own mentor, within its active time")
    func meetings() throws {
        let desk = try Desk()
        defer { desk.remove() }
        _ = try Self.pair(in: .active, desk: desk)   // active from 03-02
        func meeting(_ pair: String, _ mentor: String, end: String) -> Rejection? {
            desk.rejection { try desk.apply(.meetingLog(MeetingLog(pair: pair, mentor: mentor, minutes: 90, mode: .visit)), at: t(end)) }
        }
        #expect(meeting("pair-zz", "M-01", end: "2024-03-05T11:00")?.code == .unknownPair)
        #expect(meeting("pair-a", "M-02", end: "2024-03-05T11:00")?.code == .notPairMentor)
        #expect(meeting("pair-a", "M-01", end: "2024-03-02T09:30")?.code == .pairNotActive)   // began before activation
        #expect(meeting("pair-a", "M-01", end: "2024-03-05T11:00") == nil)
        try desk.store.pause(pair: "pair-a", actor: "S-01", reason: "住院", at: t("2024-03-10T09:00"))
        #expect(meeting("pair-a", "M-01", end: "2024-03-12T11:00")?.code == .pairNotActive)
        #expect(meeting("pair-a", "M-01", end: "2024-03-08T11:00") == nil)   // logged late, held while active
        #expect(desk.rejection {
            try desk.apply(.checkin(CardScan(activity: "x", card: "y")), at: t("2024-03-08T11:00"))
        }?.code == .unknownType)
        let held = try desk.store.meetings(pair: "pair-a")
        #expect(held.map(\.minutes) == [90, 90])
        #expect(held.first?.start == t("2024-03-05T09:30"))
    }
}
