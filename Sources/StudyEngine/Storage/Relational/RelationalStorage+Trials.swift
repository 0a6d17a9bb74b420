import Foundation

extension RelationalStorage {
    /// What a trial-changing transaction learned of the trial's row, which it locked.
    struct LockedTrial {
        let studyID: Int
        let number: Int
        let state: TrialState
    }

    /// Locks the trial's row (PostgreSQL) and checks that the trial exists and has not finished.
    func lockUnfinishedTrial(_ session: any RelationalSession, _ trialID: Int) throws -> LockedTrial {
        let trial = try lockTrial(session, trialID)
        guard !trial.state.isFinished else { throw StorageError.trialFinished(number: trial.number, state: trial.state) }
        return trial
    }

    func lockTrial(_ session: any RelationalSession, _ trialID: Int) throws -> LockedTrial {
        let rows = try session.query(sql.lockTrial, [.int(trialID)])
        guard rows.count == 1 else { throw StorageError.trialNotFound("with id \(trialID) in \(location)") }
        guard let studyID = rows[0, 0].int, let number = rows[0, 1].int,
              let state = rows[0, 2].text.flatMap(TrialState.init(optunaName:)) else {
            throw assembler.corrupt("trials row \(trialID) has no study, number or known state")
        }
        return LockedTrial(studyID: studyID, number: number, state: state)
    }

    /// Optuna's `check_distribution_compatibility` against the distribution first recorded for the
    /// parameter in the study (cached per process; read, under the study's lock, when not yet known).
    /// A parameter seen for the first time goes into `pending`, to be cached once the transaction commits.
    func checkStudyCompatibility(_ session: any RelationalSession, studyID: Int, name: String,
                                 distribution: ParameterDistribution, studyLocked: Bool,
                                 pending: inout [String: ParameterDistribution]) throws {
        let key = StudyParameter(studyID: studyID, name: name)
        if let first = firstDistributions.withLock({ $0[key] }) ?? pending[name] {
            try first.checkCompatibility(with: distribution, name: name)
            return
        }
        // Two processes adding a parameter's first value at once must not both pass unchecked.
        if !studyLocked, sql.dialect == .postgres { _ = try session.query(sql.lockStudy, [.int(studyID)]) }
        if let json = try session.query(sql.firstDistribution, [.int(studyID), .text(name)]).values.first?.text {
            let first = try assembler.distribution(json)
            try first.checkCompatibility(with: distribution, name: name)
            pending[name] = first
        } else {
            pending[name] = distribution
        }
    }

    func remember(_ pending: [String: ParameterDistribution], studyID: Int) {
        guard !pending.isEmpty else { return }
        firstDistributions.withLock { firsts in
            for (name, distribution) in pending { firsts[StudyParameter(studyID: studyID, name: name)] = distribution }
        }
    }

    static func checkValues(_ values: [Double]) throws {
        if values.contains(where: \.isNaN) {
            throw StorageError.invalidValue("a trial value is NaN: Optuna's trial_values can not hold NaN (a trial whose objective returns NaN fails)")
        }
    }

    func upsertValues(_ session: any RelationalSession, trialID: Int, _ values: [Double]) throws {
        for (objective, value) in values.enumerated() {
            let stored = TrialRowAssembler.storedRepresentation(of: value)
            try session.execute(sql.upsertValue, [.int(trialID), .int(objective), stored.value, .text(stored.type)])
        }
        try session.execute(sql.deleteValuesFrom, [.int(trialID), .int(values.count)])
    }

    func upsertIntermediateValue(_ session: any RelationalSession, trialID: Int, step: Int, value: Double) throws {
        let stored = TrialRowAssembler.storedRepresentation(of: value)
        try session.execute(sql.upsertIntermediateValue, [.int(trialID), .int(step), stored.value, .text(stored.type)])
    }

    // MARK: Creating

    public func createTrial(studyID: Int, template: FrozenTrial?) throws -> CreatedTrial {
        try createTrial(studyID: studyID, template: template, maxTrials: .max)!
    }

    /// The count and the insert happen in one transaction (the study row locked), so workers in several
    /// processes sharing a budget never overshoot it.
    public func createTrial(studyID: Int, template: FrozenTrial?, maxTrials: Int) throws -> CreatedTrial? {
        // Everything that can be checked without the database is, before the transaction.
        var params: [(name: String, internalValue: Double, distribution: ParameterDistribution)] = []
        if let template {
            for name in template.params.keys.sorted() {
                guard let distribution = template.distributions[name] else {
                    throw StorageError.invalidValue("the template's parameter '\(name)' has no distribution")
                }
                params.append((name, try distribution.internalValue(of: template.params[name]!, name: name), distribution))
            }
            try Self.checkValues(template.values ?? [])
        }
        let state = template?.state ?? .running
        let start = template?.datetimeStart ?? (state == .running ? Date() : nil)
        var pending: [String: ParameterDistribution] = [:]
        let created = try run {
            try writeTransaction { session -> CreatedTrial? in
                pending = [:]
                guard try !session.query(sql.lockStudy, [.int(studyID)]).isEmpty else { throw studyNotFound(studyID) }
                let number = try nextTrialNumber(session, studyID: studyID)
                if number >= maxTrials { return nil }
                for param in params {
                    try checkStudyCompatibility(session, studyID: studyID, name: param.name, distribution: param.distribution,
                                                studyLocked: true, pending: &pending)
                }
                let inserted = try session.query(sql.insertTrial, [
                    .int(number), .int(studyID), .text(state.optunaName),
                    start.map { .text(OptunaDatetime.text($0)) } ?? .null,
                    template?.datetimeComplete.map { .text(OptunaDatetime.text($0)) } ?? .null,
                ])
                guard let id = inserted.values.first?.int else { throw RelationalFailure.other("inserting a trial returned no trial_id") }
                if let template {
                    if let values = template.values { try upsertValues(session, trialID: id, values) }
                    for param in params {
                        try session.execute(sql.upsertParam, [.int(id), .text(param.name), .double(param.internalValue),
                                                              .text(param.distribution.optunaJSON)])
                    }
                    for (key, value) in template.userAttributes {
                        try session.execute(sql.upsertAttribute[.trialUser]!, [.int(id), .text(key), .text(value.jsonText)])
                    }
                    for (key, value) in template.systemAttributes {
                        try session.execute(sql.upsertAttribute[.trialSystem]!, [.int(id), .text(key), .text(value.jsonText)])
                    }
                    for (step, value) in template.intermediateValues {
                        try upsertIntermediateValue(session, trialID: id, step: step, value: value)
                    }
                }
                return CreatedTrial(id: id, number: number)
            }
        }
        guard let created else { return nil }
        remember(pending, studyID: studyID)
        cache.noteCreated(studyID: studyID, trialID: created.id, number: created.number)
        return created
    }

    /// The number of a new trial: the count of the study's trials (Optuna's `count_past_trials`), read
    /// as the number of the newest trial plus one, which equals it in a database of dense numbers.
    private func nextTrialNumber(_ session: any RelationalSession, studyID: Int) throws -> Int {
        let last = try session.query(sql.lastTrialNumber, [.int(studyID)])
        if last.isEmpty { return 0 }
        if let number = last.values[0].int { return number + 1 }
        return try session.query(sql.countTrials, [.int(studyID)]).values.first?.int ?? 0
    }

    // MARK: Changing

    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution) throws {
        guard distribution.contains(internalValue: internalValue) else {
            throw DistributionError.valueOutOfDomain(name: name, value: pythonFloatRepr(internalValue), distribution: distribution.description)
        }
        let json = distribution.optunaJSON
        var pending: [String: ParameterDistribution] = [:]
        let studyID = try run {
            try writeTransaction { session -> Int in
                pending = [:]
                let trial = try lockUnfinishedTrial(session, trialID)
                try checkStudyCompatibility(session, studyID: trial.studyID, name: name, distribution: distribution,
                                            studyLocked: false, pending: &pending)
                let arguments: [SQLValue] = [.int(trialID), .text(name), .double(internalValue), .text(json)]
                if try session.execute(sql.upsertParam, arguments) == 0 {
                    // The trial has the parameter already, with another distribution text.
                    let existingJSON = try session.query(sql.paramDistribution, [.int(trialID), .text(name)]).values.first?.text ?? ""
                    let existing = try assembler.distribution(existingJSON)
                    guard existing == distribution else {
                        throw DistributionError.incompatible(name: name, existing: existing.description, requested: distribution.description)
                    }
                    try session.execute(sql.updateParamValue, [.double(internalValue), .int(trialID), .text(name)])
                }
                return trial.studyID
            }
        }
        remember(pending, studyID: studyID)
        cache.noteWrite(studyID: studyID, trialID: trialID)
    }

    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool {
        if let values { try Self.checkValues(values) }
        let (changed, studyID) = try run {
            try writeTransaction { session -> (Bool, Int) in
                let trial = try lockUnfinishedTrial(session, trialID)
                if state == .running, trial.state != .waiting { return (false, trial.studyID) }
                let now = OptunaDatetime.text(Date())
                if let values { try upsertValues(session, trialID: trialID, values) }
                try session.execute(sql.updateState, [.text(state.optunaName), state == .running ? .text(now) : .null,
                                                      state.isFinished ? .text(now) : .null, .int(trialID)])
                return (true, trial.studyID)
            }
        }
        if changed { cache.noteWrite(studyID: studyID, trialID: trialID) }
        return changed
    }

    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        try changeUnfinishedTrial(trialID) { session in
            try upsertIntermediateValue(session, trialID: trialID, step: step, value: value)
        }
    }

    public func setTrialUserAttribute(trialID: Int, key: String, value: JSONValue) throws {
        try changeUnfinishedTrial(trialID) { session in
            try session.execute(sql.upsertAttribute[.trialUser]!, [.int(trialID), .text(key), .text(value.jsonText)])
        }
    }

    public func setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue) throws {
        try changeUnfinishedTrial(trialID) { session in
            try session.execute(sql.upsertAttribute[.trialSystem]!, [.int(trialID), .text(key), .text(value.jsonText)])
        }
    }

    private func changeUnfinishedTrial(_ trialID: Int, _ change: (any RelationalSession) throws -> Void) throws {
        let studyID = try run {
            try writeTransaction { session -> Int in
                let trial = try lockUnfinishedTrial(session, trialID)
                try change(session)
                return trial.studyID
            }
        }
        cache.noteWrite(studyID: studyID, trialID: trialID)
    }

    // MARK: Reading

    /// The statement that loads whole trials for a selection, rendered once.
    func loadStatement(_ selection: OptunaSQL.TrialSelection) -> SQLStatement {
        if let known = loadStatements.withLock({ $0[selection] }) { return known }
        let statement = sql.loadTrials(selection)
        loadStatements.withLock { $0[selection] = statement }
        return statement
    }

    /// The trials with these ids, read in one statement per chunk (padded to a power of two so that few
    /// distinct statements are prepared).
    func loadTrials(_ session: any RelationalSession, ids: [Int]) throws -> [(studyID: Int, trial: FrozenTrial)] {
        var loaded: [(studyID: Int, trial: FrozenTrial)] = []
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(start + 512, ids.count)]
            start += chunk.count
            var width = 1
            while width < chunk.count { width *= 2 }
            let arguments = chunk.map { SQLValue.int($0) } + Array(repeating: SQLValue.int(-1), count: width - chunk.count)
            let statement = loadStatement(.ids(count: width))
            let repeated = Array(repeatElement(arguments, count: TrialRowKind.allCases.count).joined())
            loaded += try assembler.trials(from: session.query(statement, repeated))
        }
        return loaded
    }

    public func trial(id: Int) throws -> FrozenTrial {
        if let finished = cache.finishedTrial(id: id) { return finished }
        let loaded = try run { try readSession { try loadTrials($0, ids: [id]) } }
        guard let (studyID, trial) = loaded.first else { throw StorageError.trialNotFound("with id \(id) in \(location)") }
        cache.offer(trial, studyID: studyID)
        return trial
    }

    /// Brings the cache of the study up to date with the database.
    func refresh(studyID: Int) throws {
        // A thread in a grouped transaction holds the database already (SQLite: the only connection), and
        // another thread may hold `refreshLock` while it waits for that connection: taking the lock here
        // would deadlock. No other refresh can read the database until the group ends, so none races this one.
        if groupedTransaction() != nil { return try refreshHoldingDatabase(studyID: studyID) }
        try refreshLock.withLock { _ in try refreshHoldingDatabase(studyID: studyID) }
    }

    private func refreshHoldingDatabase(studyID: Int) throws {
        try run {
            try readSession { session in
                let token = try session.changeToken()
                guard var plan = cache.plan(studyID: studyID, token: token) else { return }
                if plan.foreignChanges {
                    guard let name = try session.query(sql.studyName, [.int(studyID)]).values.first?.text else {
                        forgetStudy(studyID)
                        throw studyNotFound(studyID)
                    }
                    if let known = knownStudyName(studyID), known != name {
                        // Deleted elsewhere and its id given to a new study: start over.
                        forgetStudy(studyID)
                        plan = cache.plan(studyID: studyID, token: token)!
                    }
                }
                let arguments: [SQLValue] = [.int(studyID), .int(plan.newerThan)]
                let repeated = Array(repeatElement(arguments, count: TrialRowKind.allCases.count).joined())
                var trials = try assembler.trials(from: session.query(loadStatement(.newer), repeated)).map(\.trial)
                if !plan.ids.isEmpty { trials += try loadTrials(session, ids: plan.ids).map(\.trial) }
                cache.merge(studyID: studyID, trials: trials, plan: plan, token: token)
            }
        }
    }

    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        try refresh(studyID: studyID)
        return cache.trials(studyID: studyID, states: states)
    }

    public func trialCount(studyID: Int, states: Set<TrialState>?) throws -> Int {
        try refresh(studyID: studyID)
        return cache.count(studyID: studyID, states: states)
    }

    public func trialID(studyID: Int, number: Int) throws -> Int {
        if let id = cache.trialID(studyID: studyID, number: number) { return id }
        let rows = try run { try readSession { try $0.query(sql.trialIDByNumber, [.int(studyID), .int(number)]) } }
        guard let id = rows.values.first?.int else {
            throw StorageError.trialNotFound("number \(number) in study \(studyID) in \(location)")
        }
        return id
    }
}
