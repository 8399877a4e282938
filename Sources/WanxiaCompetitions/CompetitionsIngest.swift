import Foundation
import GRDB
import WanxiaContract
import WanxiaDelivery

/// The competitions service's ``InboxHandler``: match results from referee tablets and judges'
/// scores, applied to the store inside the inbox's transaction.
///
/// Other observation types are refused with `unknown-type`; rule refusals carry the store's codes
/// (`unknown-competition`, `unknown-match`, `already-decided`, `not-open`, ...). Records derived
/// (a competition finishing on its last result) commit with the observation.
public struct CompetitionsIngest: InboxHandler {
    public let store: CompetitionsStore

    public init(store: CompetitionsStore) {
        self.store = store
    }

    public func apply(_ item: Item<Observation>, from producer: TopicID, in db: Database) throws {
        do {
            switch item.body {
            case .matchResult(let result):
                try store.apply(result, item: item.id, at: item.at, source: .tablet, in: db)
            case .judgeScore(let score):
                try store.apply(score, item: item.id, at: item.at, in: db)
            default:
                throw Rejection(.unknownType, "type: the competitions service takes match-result and judge-score, not \(item.body.type)")
            }
        } catch let error as CompetitionsError {
            throw Rejection(.invalidField, error.message)
        }
    }
}
