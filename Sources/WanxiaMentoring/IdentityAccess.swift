/// Who is opening the identity store, and in which role.
///
/// Only ``Role/identityOfficer`` may open it (the bureau's designated person responsible for
/// minors' information, CAC 2019 art. 8); every other role is refused. `actor` is written to the
/// access log with every operation.
public struct IdentityAccess: Sendable, Equatable {
    /// A role named on the command line (`--role`).
    public struct Role: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// May read, enrol, record consent for and delete young people's identities.
        public static let identityOfficer = Role(rawValue: "identity-officer")
    }

    public var role: Role
    /// The staff member's person id.
    public var actor: String

    public init(role: Role, actor: String) {
        self.role = role
        self.actor = actor
    }
}
