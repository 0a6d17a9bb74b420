extension OptunaSchema {
    /// What a database held when it was opened.
    enum Contents {
        /// No tables at all: the schema may be created.
        case empty
        /// Optuna 5's schema.
        case current
    }

    /// Reads, writing nothing, whether the database holds Optuna 5's schema; throws
    /// `StorageError.incompatibleSchema` for another version of it and `StorageError.notAnOptunaDatabase`
    /// for a database of something else.
    static func inspect(_ session: any RelationalSession, dialect: SQLDialect, location: String) throws -> Contents {
        let listing = dialect == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
            : "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
        let names = Set(try session.query(dialect.render(listing), []).values.compactMap(\.text))
        if names.isEmpty { return .empty }
        let expected = tables.map(\.name)
        guard names.contains("version_info") || names.contains("alembic_version") else {
            let some = names.sorted().prefix(5).joined(separator: ", ")
            throw StorageError.notAnOptunaDatabase(
                location: location, reason: "it holds other tables (\(some)\(names.count > 5 ? ", ..." : "")) and none of Optuna's")
        }
        try checkVersions(session, dialect: dialect, location: location, tables: names)
        let missing = expected.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw StorageError.notAnOptunaDatabase(
                location: location, reason: "Optuna's table\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") missing")
        }
        return .current
    }

    private static func checkVersions(_ session: any RelationalSession, dialect: SQLDialect, location: String,
                                      tables: Set<String>) throws {
        var found: [String] = []
        var schema: Int?
        var library: String?
        var revisions: [String] = []
        if tables.contains("version_info") {
            let rows = try session.query(dialect.render("SELECT schema_version, library_version FROM version_info"), [])
            if rows.count > 0 {
                schema = rows[0, 0].int
                library = rows[0, 1].text
            }
        }
        if tables.contains("alembic_version") {
            revisions = try session.query(dialect.render("SELECT version_num FROM alembic_version"), []).values.compactMap(\.text)
        }
        found.append("schema_version \(schema.map(String.init) ?? "none")")
        found.append(revisions.isEmpty ? "no alembic revision" : "alembic revision \(revisions.joined(separator: ", "))")
        if let library { found.append("written by Optuna \(library)") }
        guard schema == schemaVersion, revisions == [alembicRevision] else {
            throw StorageError.incompatibleSchema(
                location: location, found: found.joined(separator: ", "),
                expected: "schema_version \(schemaVersion), alembic revision \(alembicRevision) (Optuna \(libraryVersion))")
        }
    }

    /// Creates the schema in an empty database, in the write transaction of `session`, unless another
    /// process created it first. PostgreSQL creators take an advisory lock so that only one does.
    static func create(_ session: any RelationalSession, dialect: SQLDialect, location: String) throws {
        if dialect == .postgres {
            // Any fixed key serialises the creators.
            _ = try session.query(dialect.render("SELECT pg_advisory_xact_lock(5138051)"), [])
        }
        guard try inspect(session, dialect: dialect, location: location) == .empty else { return }
        for statement in creationStatements(dialect) {
            try session.execute(SQLStatement(text: statement, parameterCount: 0), [])
        }
        try session.execute(dialect.render("INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)"),
                            [.int(schemaVersion), .text(libraryVersion)])
        try session.execute(dialect.render("INSERT INTO alembic_version (version_num) VALUES (?)"), [.text(alembicRevision)])
    }
}
