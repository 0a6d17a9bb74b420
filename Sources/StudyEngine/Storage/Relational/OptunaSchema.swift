/// Optuna 5's relational schema, as `RDBStorage` creates it (SQLAlchemy's `create_all` over
/// `optuna/storages/_rdb/models.py`, then alembic's stamp): the tables, their DDL text per dialect,
/// the `version_info` and `alembic_version` rows, and the checks that a database holds this schema.
enum OptunaSchema {
    /// `version_info.schema_version`, fixed since Optuna moved schema management to alembic.
    static let schemaVersion = 12
    /// `version_info.library_version` of a database created here (the Optuna whose schema this is).
    static let libraryVersion = "5.0.0"
    /// `alembic_version.version_num`: the head revision of Optuna 5.0.0.
    static let alembicRevision = "v3.2.0.a"

    enum ColumnType {
        /// INTEGER; a primary key that numbers rows itself (SERIAL in PostgreSQL) with `autoincrement`.
        case integer(autoincrement: Bool)
        case varchar(Int)
        case text
        /// Double precision: FLOAT in SQLite, FLOAT(53) in PostgreSQL.
        case float
        /// DATETIME in SQLite, TIMESTAMP WITHOUT TIME ZONE in PostgreSQL.
        case datetime
        /// A Python enum: VARCHAR of its longest name in SQLite, a native ENUM type in PostgreSQL.
        case enumeration(OptunaEnum)
    }

    struct Column {
        let name: String
        let type: ColumnType
        let notNull: Bool
    }

    enum Constraint {
        case primaryKey(String)
        case namedPrimaryKey(name: String, column: String)
        case unique([String])
        case foreignKey(column: String, table: String, referenced: String)
        case check(String)
    }

    struct Table {
        let name: String
        let columns: [Column]
        let constraints: [Constraint]
        /// `(name, column)` of the indexes SQLAlchemy creates beside the table (`index=True`).
        let indexes: [(name: String, column: String, unique: Bool)]
    }

    /// Optuna's enums as PostgreSQL types: the type's name and its labels in order.
    enum OptunaEnum: CaseIterable {
        case studyDirection, trialState, trialValueType, trialIntermediateValueType

        var typeName: String {
            switch self {
            case .studyDirection: return "studydirection"
            case .trialState: return "trialstate"
            case .trialValueType: return "trialvaluetype"
            case .trialIntermediateValueType: return "trialintermediatevaluetype"
            }
        }

        var labels: [String] {
            switch self {
            case .studyDirection: return ["NOT_SET", "MINIMIZE", "MAXIMIZE"]
            case .trialState: return ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"]
            case .trialValueType: return ["FINITE", "INF_POS", "INF_NEG"]
            case .trialIntermediateValueType: return ["FINITE", "INF_POS", "INF_NEG", "NAN"]
            }
        }
    }

    private static func column(_ name: String, _ type: ColumnType, notNull: Bool = false) -> Column {
        Column(name: name, type: type, notNull: notNull)
    }

    private static let id = ColumnType.integer(autoincrement: true)
    private static let integer = ColumnType.integer(autoincrement: false)

    private static func attributeTable(_ name: String, owner: String, ownerTable: String) -> Table {
        Table(name: name,
              columns: [column("\(name.dropLast())_id", id, notNull: true), column(owner, integer),
                        column("key", .varchar(512)), column("value_json", .text)],
              constraints: [.primaryKey("\(name.dropLast())_id"), .unique([owner, "key"]),
                            .foreignKey(column: owner, table: ownerTable, referenced: owner)],
              indexes: [])
    }

    /// The tables in the order Optuna creates them.
    static let tables: [Table] = [
        Table(name: "studies",
              columns: [column("study_id", id, notNull: true), column("study_name", .varchar(512), notNull: true)],
              constraints: [.primaryKey("study_id")],
              indexes: [("ix_studies_study_name", "study_name", true)]),
        Table(name: "version_info",
              columns: [column("version_info_id", integer, notNull: true), column("schema_version", integer),
                        column("library_version", .varchar(256))],
              constraints: [.primaryKey("version_info_id"), .check("version_info_id=1")],
              indexes: []),
        Table(name: "study_directions",
              columns: [column("study_direction_id", id, notNull: true),
                        column("direction", .enumeration(.studyDirection), notNull: true),
                        column("study_id", integer, notNull: true), column("objective", integer, notNull: true)],
              constraints: [.primaryKey("study_direction_id"), .unique(["study_id", "objective"]),
                            .foreignKey(column: "study_id", table: "studies", referenced: "study_id")],
              indexes: []),
        attributeTable("study_user_attributes", owner: "study_id", ownerTable: "studies"),
        attributeTable("study_system_attributes", owner: "study_id", ownerTable: "studies"),
        Table(name: "trials",
              columns: [column("trial_id", id, notNull: true), column("number", integer), column("study_id", integer),
                        column("state", .enumeration(.trialState), notNull: true),
                        column("datetime_start", .datetime), column("datetime_complete", .datetime)],
              constraints: [.primaryKey("trial_id"),
                            .foreignKey(column: "study_id", table: "studies", referenced: "study_id")],
              indexes: [("ix_trials_study_id", "study_id", false)]),
        attributeTable("trial_user_attributes", owner: "trial_id", ownerTable: "trials"),
        attributeTable("trial_system_attributes", owner: "trial_id", ownerTable: "trials"),
        Table(name: "trial_params",
              columns: [column("param_id", id, notNull: true), column("trial_id", integer),
                        column("param_name", .varchar(512)), column("param_value", .float),
                        column("distribution_json", .text)],
              constraints: [.primaryKey("param_id"), .unique(["trial_id", "param_name"]),
                            .foreignKey(column: "trial_id", table: "trials", referenced: "trial_id")],
              indexes: []),
        Table(name: "trial_values",
              columns: [column("trial_value_id", id, notNull: true), column("trial_id", integer, notNull: true),
                        column("objective", integer, notNull: true), column("value", .float),
                        column("value_type", .enumeration(.trialValueType), notNull: true)],
              constraints: [.primaryKey("trial_value_id"), .unique(["trial_id", "objective"]),
                            .foreignKey(column: "trial_id", table: "trials", referenced: "trial_id")],
              indexes: []),
        Table(name: "trial_intermediate_values",
              columns: [column("trial_intermediate_value_id", id, notNull: true),
                        column("trial_id", integer, notNull: true), column("step", integer, notNull: true),
                        column("intermediate_value", .float),
                        column("intermediate_value_type", .enumeration(.trialIntermediateValueType), notNull: true)],
              constraints: [.primaryKey("trial_intermediate_value_id"), .unique(["trial_id", "step"]),
                            .foreignKey(column: "trial_id", table: "trials", referenced: "trial_id")],
              indexes: []),
        Table(name: "trial_heartbeats",
              columns: [column("trial_heartbeat_id", id, notNull: true), column("trial_id", integer, notNull: true),
                        column("heartbeat", .datetime, notNull: true)],
              constraints: [.primaryKey("trial_heartbeat_id"), .unique(["trial_id"]),
                            .foreignKey(column: "trial_id", table: "trials", referenced: "trial_id")],
              indexes: []),
        // Created by alembic when it stamps the revision.
        Table(name: "alembic_version",
              columns: [column("version_num", .varchar(32), notNull: true)],
              constraints: [.namedPrimaryKey(name: "alembic_version_pkc", column: "version_num")],
              indexes: []),
    ]

    // MARK: DDL

    /// The statements that create the schema, byte for byte as SQLAlchemy 2 emits them for the dialect
    /// (SQLite keeps this text in `sqlite_master`).
    static func creationStatements(_ dialect: SQLDialect) -> [String] {
        var statements: [String] = []
        if dialect == .postgres {
            for kind in OptunaEnum.allCases {
                statements.append("CREATE TYPE \(kind.typeName) AS ENUM (\(kind.labels.map { "'\($0)'" }.joined(separator: ", ")))")
            }
        }
        for table in tables {
            statements.append(createTable(table, dialect))
            for index in table.indexes {
                statements.append("CREATE \(index.unique ? "UNIQUE " : "")INDEX \(index.name) ON \(table.name) (\(index.column))")
            }
        }
        return statements
    }

    /// SQLite quotes `key`, one of its keywords; PostgreSQL does not need to.
    private static func quoted(_ name: String, _ dialect: SQLDialect) -> String {
        dialect == .sqlite && name == "key" ? "\"key\"" : name
    }

    private static func typeName(_ type: ColumnType, _ dialect: SQLDialect) -> String {
        switch (type, dialect) {
        case (.integer(autoincrement: true), .postgres): return "SERIAL"
        case (.integer, _): return "INTEGER"
        case (.varchar(let length), _): return "VARCHAR(\(length))"
        case (.text, _): return "TEXT"
        case (.float, .sqlite): return "FLOAT"
        case (.float, .postgres): return "FLOAT(53)"
        case (.datetime, .sqlite): return "DATETIME"
        case (.datetime, .postgres): return "TIMESTAMP WITHOUT TIME ZONE"
        case (.enumeration(let kind), .sqlite): return "VARCHAR(\(kind.labels.map(\.count).max()!))"
        case (.enumeration(let kind), .postgres): return kind.typeName
        }
    }

    private static func createTable(_ table: Table, _ dialect: SQLDialect) -> String {
        let q = { (name: String) in quoted(name, dialect) }
        var lines = table.columns.map { "\t\(q($0.name)) \(typeName($0.type, dialect))\($0.notNull ? " NOT NULL" : "")" }
        for constraint in table.constraints {
            switch constraint {
            case .primaryKey(let column): lines.append("\tPRIMARY KEY (\(q(column)))")
            case .namedPrimaryKey(let name, let column): lines.append("\tCONSTRAINT \(name) PRIMARY KEY (\(q(column)))")
            case .unique(let columns): lines.append("\tUNIQUE (\(columns.map(q).joined(separator: ", ")))")
            case .foreignKey(let column, let other, let referenced):
                lines.append("\tFOREIGN KEY(\(q(column))) REFERENCES \(other) (\(q(referenced)))")
            case .check(let condition): lines.append("\tCHECK (\(condition))")
            }
        }
        return "CREATE TABLE \(table.name) (\n" + lines.joined(separator: ", \n") + "\n)"
    }
}
