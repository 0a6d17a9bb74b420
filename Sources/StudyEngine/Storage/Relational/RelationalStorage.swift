import Foundation
import Synchronization

/// Optuna's `RDBStorage`: studies and trials in Optuna 5's relational schema, exactly as Optuna writes it,
/// so that Optuna and optuna-dashboard read what symstudy writes and symstudy continues what Optuna
/// started. `SQLiteStorage` and `PostgresStorage` are this over their databases.
///
/// Every method is one transaction. Creating a trial numbers it inside a transaction that holds the
/// study's lock (SQLite: the database's write lock), as Optuna does, so that any number of threads,
/// processes and machines get dense unique numbers. Finished trials are cached in this process (they
/// never change) and only new or unfinished trials are read again, so `trials(studyID:states:)` stays
/// cheap as a study grows.
///
/// Heartbeats (Optuna's `heartbeat_interval` and `grace_period`) are off unless an interval is given.
public class RelationalStorage: HeartbeatStorage, @unchecked Sendable {
    let backend: any RelationalBackend
    let sql: OptunaSQL
    let cache = RelationalTrialCache()
    let assembler: TrialRowAssembler

    /// Seconds between heartbeats of a running trial; infinite when heartbeats are off.
    public let heartbeatInterval: Double
    /// Seconds without a heartbeat after which a RUNNING trial is stale; infinite when heartbeats are off.
    public let gracePeriod: Double
    /// True when the storage was made with a heartbeat interval (Optuna's `is_heartbeat_enabled`).
    public let isHeartbeatEnabled: Bool

    struct StudyParameter: Hashable {
        let studyID: Int
        let name: String
    }

    /// The distribution recorded first for each parameter of a study, against which later ones are checked.
    let firstDistributions = Mutex<[StudyParameter: ParameterDistribution]>([:])
    /// Names and directions never change while a study exists.
    private let studyInfo = Mutex<[Int: (name: String, directions: [StudyDirection])]>([:])
    /// Serialises cache refreshes.
    let refreshLock = Mutex<Void>(())
    /// When each study was last searched for stale trials.
    let staleChecks = Mutex<[Int: UInt64]>([:])
    let loadStatements = Mutex<[OptunaSQL.TrialSelection: SQLStatement]>([:])
    /// The threads grouping their calls into one transaction (`inOneTransaction`), and its session.
    let groups = Mutex<[ObjectIdentifier: GroupedTransaction]>([:])

    /// Opens the database of `backend`: creates Optuna's schema in an empty one, checks it in any other,
    /// and throws (changing nothing) when it is not Optuna 5's.
    init(backend: any RelationalBackend, heartbeatInterval: Double?, gracePeriod: Double?) throws {
        if let heartbeatInterval, !(heartbeatInterval > 0 && heartbeatInterval.isFinite) {
            backend.close()
            throw StorageError.invalidValue("the heartbeat interval must be a positive number of seconds, not \(heartbeatInterval)")
        }
        if let gracePeriod, !(gracePeriod > 0 && gracePeriod.isFinite) {
            backend.close()
            throw StorageError.invalidValue("the grace period must be a positive number of seconds, not \(gracePeriod)")
        }
        if gracePeriod != nil, heartbeatInterval == nil {
            backend.close()
            throw StorageError.invalidValue("a grace period needs a heartbeat interval (heartbeats are off without one)")
        }
        self.backend = backend
        self.sql = OptunaSQL(backend.dialect)
        self.assembler = TrialRowAssembler(location: backend.location)
        self.isHeartbeatEnabled = heartbeatInterval != nil
        self.heartbeatInterval = heartbeatInterval ?? .infinity
        // Optuna's default: twice the interval.
        self.gracePeriod = gracePeriod ?? heartbeatInterval.map { 2 * $0 } ?? .infinity
        do {
            let location = backend.location
            let contents = try run { try readSession { try OptunaSchema.inspect($0, dialect: backend.dialect, location: location) } }
            try run { try backend.prepareForWriting() }
            if contents == .empty {
                try run { try writeTransaction { try OptunaSchema.create($0, dialect: backend.dialect, location: location) } }
            }
        } catch {
            backend.close()
            throw error
        }
    }

    deinit { backend.close() }

    /// Releases the database connections; later calls fail.
    public func close() { backend.close() }

    /// The database as messages name it.
    var location: String { backend.location }

    /// Runs `body`, turning the backend's failures into `StorageError`s that name the database.
    /// Inside a grouped transaction the backend's failures pass through, so that the group's own `run` sees
    /// them (a busy database retries the whole group).
    func run<Result>(_ body: () throws -> Result) throws -> Result {
        if groupedTransaction() != nil { return try body() }
        do {
            return try body()
        } catch let failure as RelationalFailure {
            switch failure {
            case .connection(let message): throw StorageError.connectionFailed(server: location, reason: message)
            default: throw StorageError.backend("\(location): \(failure.message)")
            }
        }
    }

    func studyNotFound(_ id: Int) -> StorageError { .studyNotFound("with id \(id) in \(location)") }

    // MARK: Studies

    public func createStudy(name: String?, directions: [StudyDirection]) throws -> Int {
        guard !directions.isEmpty else { throw StorageError.invalidDirections("a study needs at least one direction") }
        guard !directions.contains(.notSet) else { throw StorageError.invalidDirections("NOT_SET is not a direction to optimise in") }
        let studyName = name ?? InMemoryStorage.generatedStudyName()
        guard studyName.count <= 512 else {
            throw StorageError.invalidValue("a study name has at most 512 characters (Optuna's studies.study_name), not \(studyName.count)")
        }
        let id = try run {
            do {
                return try writeTransaction { session in
                    guard try session.query(sql.studyIDByName, [.text(studyName)]).isEmpty else {
                        throw StorageError.duplicatedStudy(studyName)
                    }
                    guard let id = try session.query(sql.insertStudy, [.text(studyName)]).values.first?.int else {
                        throw RelationalFailure.other("inserting study '\(studyName)' returned no study_id")
                    }
                    for (objective, direction) in directions.enumerated() {
                        try session.execute(sql.insertDirection, [.text(direction.optunaName), .int(id), .int(objective)])
                    }
                    return id
                }
            } catch RelationalFailure.constraint {
                // Another process created the name between the check and the insert.
                throw StorageError.duplicatedStudy(studyName)
            }
        }
        studyInfo.withLock { $0[id] = (studyName, directions) }
        return id
    }

    public func deleteStudy(id: Int) throws {
        try run {
            try writeTransaction { session in
                guard try !session.query(sql.lockStudy, [.int(id)]).isEmpty else { throw studyNotFound(id) }
                for statement in sql.deleteStudy { try session.execute(statement, [.int(id)]) }
            }
        }
        forgetStudy(id)
    }

    func knownStudyName(_ id: Int) -> String? { studyInfo.withLock { $0[id]?.name } }

    func forgetStudy(_ id: Int) {
        cache.forget(studyID: id)
        studyInfo.withLock { $0[id] = nil }
        firstDistributions.withLock { firsts in firsts = firsts.filter { $0.key.studyID != id } }
    }

    public func studyID(named name: String) throws -> Int {
        let rows = try run { try readSession { try $0.query(sql.studyIDByName, [.text(name)]) } }
        guard let id = rows.values.first?.int else { throw StorageError.studyNotFound("named '\(name)' in \(location)") }
        return id
    }

    /// The study's name and directions, read once.
    private func info(_ id: Int) throws -> (name: String, directions: [StudyDirection]) {
        if let known = studyInfo.withLock({ $0[id] }) { return known }
        let (nameRows, directionRows) = try run {
            try readSession { session in
                (try session.query(sql.studyName, [.int(id)]), try session.query(sql.directions, [.int(id)]))
            }
        }
        guard let name = nameRows.values.first?.text else { throw studyNotFound(id) }
        let directions = try directionRows.values.map { value in
            guard let text = value.text, let direction = StudyDirection(optunaName: text) else {
                throw assembler.corrupt("study_directions of study_id \(id) holds direction \(value)")
            }
            return direction
        }
        studyInfo.withLock { $0[id] = (name, directions) }
        return (name, directions)
    }

    public func studyName(id: Int) throws -> String { try info(id).name }
    public func studyDirections(id: Int) throws -> [StudyDirection] { try info(id).directions }

    public func setStudyUserAttribute(studyID: Int, key: String, value: JSONValue) throws {
        try setStudyAttribute(.studyUser, studyID: studyID, key: key, value: value)
    }

    public func setStudySystemAttribute(studyID: Int, key: String, value: JSONValue) throws {
        try setStudyAttribute(.studySystem, studyID: studyID, key: key, value: value)
    }

    private func setStudyAttribute(_ owner: OptunaSQL.AttributeOwner, studyID: Int, key: String, value: JSONValue) throws {
        try run {
            try writeTransaction { session in
                guard try !session.query(sql.studyName, [.int(studyID)]).isEmpty else { throw studyNotFound(studyID) }
                try session.execute(sql.upsertAttribute[owner]!, [.int(studyID), .text(key), .text(value.jsonText)])
            }
        }
    }

    public func studyUserAttributes(id: Int) throws -> [String: JSONValue] { try studyAttributes(.studyUser, id) }
    public func studySystemAttributes(id: Int) throws -> [String: JSONValue] { try studyAttributes(.studySystem, id) }

    private func studyAttributes(_ owner: OptunaSQL.AttributeOwner, _ id: Int) throws -> [String: JSONValue] {
        let (exists, rows) = try run {
            try readSession { session in
                (try !session.query(sql.studyName, [.int(id)]).isEmpty, try session.query(sql.attributes[owner]!, [.int(id)]))
            }
        }
        guard exists else { throw studyNotFound(id) }
        var attributes: [String: JSONValue] = [:]
        for row in 0..<rows.count {
            let key = rows[row, 0].text ?? ""
            attributes[key] = try assembler.attribute(rows[row, 1], table: owner.table, key: key, owner: "study_id \(id)")
        }
        return attributes
    }

    public func allStudies() throws -> [StudySummary] {
        let (studies, directions, user, system, summary) = try run {
            try readSession { session in
                (try session.query(sql.allStudies, []), try session.query(sql.allDirections, []),
                 try session.query(sql.allAttributes[.studyUser]!, []), try session.query(sql.allAttributes[.studySystem]!, []),
                 try session.query(sql.trialSummaryByStudy, []))
            }
        }
        var directionsByStudy: [Int: [StudyDirection]] = [:]
        for row in 0..<directions.count {
            guard let id = directions[row, 0].int, let text = directions[row, 1].text,
                  let direction = StudyDirection(optunaName: text) else { continue }
            directionsByStudy[id, default: []].append(direction)
        }
        func attributes(_ rows: SQLRows, _ owner: OptunaSQL.AttributeOwner) throws -> [Int: [String: JSONValue]] {
            var byStudy: [Int: [String: JSONValue]] = [:]
            for row in 0..<rows.count {
                guard let id = rows[row, 0].int, let key = rows[row, 1].text else { continue }
                byStudy[id, default: [:]][key] = try assembler.attribute(rows[row, 2], table: owner.table, key: key, owner: "study_id \(id)")
            }
            return byStudy
        }
        let userByStudy = try attributes(user, .studyUser), systemByStudy = try attributes(system, .studySystem)
        var trialsByStudy: [Int: (count: Int, start: Date?)] = [:]
        for row in 0..<summary.count {
            guard let id = summary[row, 0].int else { continue }
            trialsByStudy[id] = (summary[row, 1].int ?? 0, summary[row, 2].text.flatMap { OptunaDatetime.date($0) })
        }
        return (0..<studies.count).compactMap { row in
            guard let id = studies[row, 0].int, let name = studies[row, 1].text else { return nil }
            return StudySummary(id: id, name: name, directions: directionsByStudy[id] ?? [],
                                userAttributes: userByStudy[id] ?? [:], systemAttributes: systemByStudy[id] ?? [:],
                                trialCount: trialsByStudy[id]?.count ?? 0, datetimeStart: trialsByStudy[id]?.start)
        }
    }

    // MARK: Heartbeats

    public func recordHeartbeat(trialID: Int) throws {
        guard isHeartbeatEnabled else { return }
        try run {
            do {
                _ = try writeTransaction { try $0.execute(sql.upsertHeartbeat, [.int(trialID)]) }
            } catch RelationalFailure.constraint {
                throw StorageError.trialNotFound("with id \(trialID) in \(location)")
            }
        }
    }

    /// Fails the study's RUNNING trials whose last heartbeat is older than the grace period, and returns
    /// their ids. Trials that never beat are left alone (Optuna's rule). A study is searched at most every
    /// `min(gracePeriod / 10, 1)` seconds per process: `optimize` asks before every trial, and staleness
    /// is measured in grace periods.
    public func failStaleTrials(studyID: Int) throws -> [Int] {
        guard isHeartbeatEnabled else { return [] }
        let now = DispatchTime.now().uptimeNanoseconds
        let spacing = UInt64(min(gracePeriod / 10, 1) * 1e9)
        let due = staleChecks.withLock { checks -> Bool in
            if let last = checks[studyID], now - last < spacing { return false }
            checks[studyID] = now
            return true
        }
        guard due else { return [] }
        let stale = try run { try readSession { try $0.query(sql.staleTrials, [.int(studyID), .double(gracePeriod)]) } }
        var failed: [Int] = []
        for id in stale.values.compactMap(\.int) {
            let changed = try run {
                try writeTransaction { try $0.execute(sql.failIfRunning, [.text(OptunaDatetime.text(Date())), .int(id)]) }
            }
            if changed == 1 {
                failed.append(id)
                cache.noteWrite(studyID: studyID, trialID: id)
            }
        }
        return failed
    }
}
