/// A statement rendered for one dialect, ready to prepare.
struct SQLStatement: Sendable, Hashable {
    let text: String
    /// How many parameters the statement takes.
    let parameterCount: Int
}

/// What differs between SQLite and PostgreSQL in the statements `RelationalStorage` runs against Optuna's
/// schema. Statements are written once, as templates, and rendered per dialect:
///
/// - `?` is a parameter (`?` in SQLite, `$1`, `$2`, ... in PostgreSQL);
/// - `?::type` is a parameter of a PostgreSQL type that a text value must be cast to (Optuna's enum
///   types, `timestamp`); SQLite, where those columns are VARCHAR and DATETIME text, takes it as `?`;
/// - `{FOR UPDATE}` locks the rows read, in PostgreSQL (`FOR NO KEY UPDATE`, which excludes other
///   writers of the row but not inserts that reference it; SQLite's IMMEDIATE write transactions already
///   hold the whole database);
/// - `{text:expression}` reads an enum or timestamp column as text (`expression::text` in PostgreSQL, so
///   that the branches of a UNION agree on types);
/// - `{now}` is the database's clock for heartbeats, as Optuna writes it (SQLite: UTC text with
///   microseconds; PostgreSQL: `LOCALTIMESTAMP`, the session's time zone);
/// - `{older:expression}` is true when the timestamp `expression` lies more than `?` seconds before `{now}`.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    func render(_ template: String) -> SQLStatement {
        let expanded = expandDirectives(template)
        var text = ""
        text.reserveCapacity(expanded.utf8.count + 16)
        var count = 0
        var characters = Substring(expanded)
        while let next = characters.first {
            characters.removeFirst()
            guard next == "?" else {
                text.append(next)
                continue
            }
            count += 1
            text += self == .sqlite ? "?" : "$\(count)"
            if characters.hasPrefix("::") {
                let typeName = characters.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                characters = characters.dropFirst(2 + typeName.count)
                if self == .postgres { text += "::" + typeName }
            }
        }
        return SQLStatement(text: text, parameterCount: count)
    }

    private func expandDirectives(_ template: String) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let directive = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            out += expand(directive)
        }
        out += rest
        return out
    }

    private func expand(_ directive: Substring) -> String {
        let (name, argument) = directive.firstIndex(of: ":").map {
            (directive[..<$0], String(directive[directive.index(after: $0)...]))
        } ?? (directive, "")
        switch (self, name) {
        case (.sqlite, "FOR UPDATE"): return ""
        case (.postgres, "FOR UPDATE"): return " FOR NO KEY UPDATE"
        case (.sqlite, "text"): return argument
        case (.postgres, "text"): return "\(argument)::text"
        case (.sqlite, "now"): return "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"
        case (.postgres, "now"): return "LOCALTIMESTAMP"
        case (.sqlite, "older"): return "julianday(\(argument)) < julianday('now') - ? / 86400.0"
        case (.postgres, "older"): return "\(argument) < LOCALTIMESTAMP - ? * INTERVAL '1 second'"
        default: preconditionFailure("unknown SQL template directive {\(directive)}")
        }
    }
}
