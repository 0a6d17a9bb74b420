/// Every statement `RelationalStorage` runs against Optuna's schema, rendered once for a dialect.
/// The templates' notation (`?::type`, `{FOR UPDATE}`, `{text:...}`, `{now}`, `{older:...}`) is
/// `SQLDialect`'s.
struct OptunaSQL: Sendable {
    let dialect: SQLDialect

    // Studies
    let studyIDByName: SQLStatement
    let studyName: SQLStatement
    let lockStudy: SQLStatement
    let insertStudy: SQLStatement
    let insertDirection: SQLStatement
    let directions: SQLStatement
    let allStudies: SQLStatement
    let allDirections: SQLStatement
    let trialSummaryByStudy: SQLStatement
    /// By `AttributeOwner`: study user, study system, trial user, trial system.
    let attributes: [AttributeOwner: SQLStatement]
    let allAttributes: [AttributeOwner: SQLStatement]
    let upsertAttribute: [AttributeOwner: SQLStatement]
    let deleteStudy: [SQLStatement]

    // Trials
    let lastTrialNumber: SQLStatement
    let countTrials: SQLStatement
    let insertTrial: SQLStatement
    let lockTrial: SQLStatement
    let firstDistribution: SQLStatement
    let upsertParam: SQLStatement
    let paramDistribution: SQLStatement
    let updateParamValue: SQLStatement
    let upsertValue: SQLStatement
    let deleteValuesFrom: SQLStatement
    let upsertIntermediateValue: SQLStatement
    let updateState: SQLStatement
    let failIfRunning: SQLStatement
    let trialIDByNumber: SQLStatement
    let trialStudy: SQLStatement

    // Heartbeats
    let upsertHeartbeat: SQLStatement
    let staleTrials: SQLStatement

    /// Whose attribute table a statement is about.
    enum AttributeOwner: CaseIterable, Sendable {
        case studyUser, studySystem, trialUser, trialSystem

        var table: String {
            switch self {
            case .studyUser: return "study_user_attributes"
            case .studySystem: return "study_system_attributes"
            case .trialUser: return "trial_user_attributes"
            case .trialSystem: return "trial_system_attributes"
            }
        }

        var ownerColumn: String { self == .studyUser || self == .studySystem ? "study_id" : "trial_id" }
    }

    init(_ dialect: SQLDialect) {
        self.dialect = dialect
        let r = dialect.render
        studyIDByName = r("SELECT study_id FROM studies WHERE study_name = ?")
        studyName = r("SELECT study_name FROM studies WHERE study_id = ?")
        lockStudy = r("SELECT study_id FROM studies WHERE study_id = ?{FOR UPDATE}")
        insertStudy = r("INSERT INTO studies (study_name) VALUES (?) RETURNING study_id")
        insertDirection = r("INSERT INTO study_directions (direction, study_id, objective) VALUES (?::studydirection, ?, ?)")
        directions = r("SELECT {text:direction} FROM study_directions WHERE study_id = ? ORDER BY objective")
        allStudies = r("SELECT study_id, study_name FROM studies ORDER BY study_id")
        allDirections = r("SELECT study_id, {text:direction} FROM study_directions ORDER BY study_id, objective")
        trialSummaryByStudy = r("SELECT study_id, COUNT(*), {text:MIN(datetime_start)} FROM trials GROUP BY study_id")
        var attributes: [AttributeOwner: SQLStatement] = [:]
        var allAttributes: [AttributeOwner: SQLStatement] = [:]
        var upsertAttribute: [AttributeOwner: SQLStatement] = [:]
        for owner in AttributeOwner.allCases {
            let (table, column) = (owner.table, owner.ownerColumn)
            attributes[owner] = r("SELECT \"key\", value_json FROM \(table) WHERE \(column) = ?")
            allAttributes[owner] = r("SELECT \(column), \"key\", value_json FROM \(table)")
            upsertAttribute[owner] = r("""
                INSERT INTO \(table) (\(column), "key", value_json) VALUES (?, ?, ?) \
                ON CONFLICT (\(column), "key") DO UPDATE SET value_json = excluded.value_json
                """)
        }
        self.attributes = attributes
        self.allAttributes = allAttributes
        self.upsertAttribute = upsertAttribute
        let trialTables = ["trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
                           "trial_system_attributes", "trial_heartbeats"]
        deleteStudy = trialTables.map { r("DELETE FROM \($0) WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)") }
            + ["trials", "study_directions", "study_user_attributes", "study_system_attributes", "studies"].map {
                r("DELETE FROM \($0) WHERE study_id = ?")
            }

        lastTrialNumber = r("SELECT number FROM trials WHERE study_id = ? ORDER BY trial_id DESC LIMIT 1")
        countTrials = r("SELECT COUNT(*) FROM trials WHERE study_id = ?")
        insertTrial = r("""
            INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) \
            VALUES (?, ?, ?::trialstate, ?::timestamp, ?::timestamp) RETURNING trial_id
            """)
        lockTrial = r("SELECT study_id, number, {text:state} FROM trials WHERE trial_id = ?{FOR UPDATE}")
        firstDistribution = r("""
            SELECT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id \
            WHERE t.study_id = ? AND p.param_name = ? LIMIT 1
            """)
        // Inserts, or overwrites the value of the same parameter with the same distribution; changes
        // nothing (0 rows) when the trial has the parameter with another distribution text.
        upsertParam = r("""
            INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?) \
            ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value \
            WHERE trial_params.distribution_json = excluded.distribution_json
            """)
        paramDistribution = r("SELECT distribution_json FROM trial_params WHERE trial_id = ? AND param_name = ?")
        updateParamValue = r("UPDATE trial_params SET param_value = ? WHERE trial_id = ? AND param_name = ?")
        upsertValue = r("""
            INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?::trialvaluetype) \
            ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type
            """)
        deleteValuesFrom = r("DELETE FROM trial_values WHERE trial_id = ? AND objective >= ?")
        upsertIntermediateValue = r("""
            INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) \
            VALUES (?, ?, ?, ?::trialintermediatevaluetype) ON CONFLICT (trial_id, step) DO UPDATE SET \
            intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type
            """)
        updateState = r("""
            UPDATE trials SET state = ?::trialstate, datetime_start = COALESCE(?::timestamp, datetime_start), \
            datetime_complete = COALESCE(?::timestamp, datetime_complete) WHERE trial_id = ?
            """)
        failIfRunning = r("UPDATE trials SET state = 'FAIL', datetime_complete = ?::timestamp WHERE trial_id = ? AND state = 'RUNNING'")
        trialIDByNumber = r("SELECT trial_id FROM trials WHERE study_id = ? AND number = ?")
        trialStudy = r("SELECT study_id FROM trials WHERE trial_id = ?")

        upsertHeartbeat = r("""
            INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, {now}) \
            ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat
            """)
        staleTrials = r("""
            SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id \
            WHERE t.study_id = ? AND t.state = 'RUNNING' AND {older:h.heartbeat} ORDER BY t.trial_id
            """)
    }

    // MARK: Loading trials

    /// Which trials a load reads.
    enum TrialSelection: Hashable, Sendable {
        /// The trials with these ids (as many placeholders).
        case ids(count: Int)
        /// The trials of a study whose id is above a bound: `[study id, bound]`.
        case newer
    }

    /// One statement that reads whole trials: the trial row and its params, values, intermediate
    /// values and attributes, as a UNION of rows `(trial_id, kind, i, j, f, a, b, c)`; see `TrialRowKind`.
    /// Takes the selection's arguments once per branch (`TrialRowKind.allCases.count` times).
    func loadTrials(_ selection: TrialSelection) -> SQLStatement {
        let predicate: String
        switch selection {
        case .ids(let count): predicate = "t.trial_id IN (\(Array(repeating: "?", count: count).joined(separator: ", ")))"
        case .newer: predicate = "t.study_id = ? AND t.trial_id > ?"
        }
        func from(_ table: String, _ alias: String) -> String {
            "FROM \(table) \(alias) JOIN trials t ON t.trial_id = \(alias).trial_id WHERE \(predicate)"
        }
        let branches = [
            "SELECT t.trial_id, 0, t.number, t.study_id, NULL, {text:t.state}, {text:t.datetime_start}, {text:t.datetime_complete} FROM trials t WHERE \(predicate)",
            "SELECT p.trial_id, 1, NULL, NULL, p.param_value, p.param_name, p.distribution_json, NULL \(from("trial_params", "p"))",
            "SELECT v.trial_id, 2, v.objective, NULL, v.value, {text:v.value_type}, NULL, NULL \(from("trial_values", "v"))",
            "SELECT i.trial_id, 3, i.step, NULL, i.intermediate_value, {text:i.intermediate_value_type}, NULL, NULL \(from("trial_intermediate_values", "i"))",
            "SELECT u.trial_id, 4, NULL, NULL, NULL, u.\"key\", u.value_json, NULL \(from("trial_user_attributes", "u"))",
            "SELECT s.trial_id, 5, NULL, NULL, NULL, s.\"key\", s.value_json, NULL \(from("trial_system_attributes", "s"))",
        ]
        return dialect.render(branches.joined(separator: " UNION ALL "))
    }
}

/// The kinds of row `OptunaSQL.loadTrials` returns, in its `kind` column.
enum TrialRowKind: Int, CaseIterable {
    case trial = 0, param, value, intermediateValue, userAttribute, systemAttribute
}
