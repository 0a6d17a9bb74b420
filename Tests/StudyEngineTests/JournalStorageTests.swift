import Foundation
import Synchronization
import Testing
@testable import StudyEngine

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("symstudy-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite("Journal storage")
struct JournalStorageTests {
    /// The conformance suite against a fresh journal file per check, with the default settings except for
    /// `concurrentWriters`, whose 4,000 finished trials are not flushed to disk one by one (that alone would
    /// take 5-20 s here).
    @Test(arguments: StorageConformance.Check.allCases)
    func conformance(_ check: StorageConformance.Check) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let made = Mutex<JournalStorage?>(nil)
        try StorageConformance.run(check) {
            let storage = try JournalStorage(path: folder.path("journal.log"), durability: check == .concurrentWriters ? .none : .finishedTrials)
            made.withLock { $0 = storage }
            return storage
        }
        // Whatever the check did, a new reader replays the file to what the writer holds.
        let writer = try #require(made.withLock { $0 })
        #expect(try snapshot(writer) == snapshot(JournalStorage(path: folder.path("journal.log"))))
    }

    @Test func openLockPassesTheConcurrentWriters() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try StorageConformance.run(.concurrentWriters) {
            try JournalStorage(path: folder.path("journal.log"), lock: .open, durability: .none)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("journal.log.lock")))
    }

    @Test func networkFileSystemsAreNotTakenForLocalOnes() {
        #expect(!JournalFile.isOnLocalFileSystem("/proc/self/journal.log"))
        #expect(!JournalFile.isOnLocalFileSystem("/no/such/folder/journal.log"))
    }

    /// Two storages on one file, as two processes would be (one flushing every write, as Optuna does): each
    /// sees what the other wrote.
    @Test func twoStoragesOnOneFileShareTheStudy() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let a = try JournalStorage(path: folder.path("j.log"), durability: .everyWrite)
        let b = try JournalStorage(path: folder.path("j.log"))
        let study = try a.createStudy(name: "shared", directions: [.minimize])
        #expect(try b.studyID(named: "shared") == study)
        #expect(throws: StorageError.duplicatedStudy("shared")) { try b.createStudy(name: "shared", directions: [.minimize]) }
        let first = try a.createTrial(studyID: study, template: nil)
        let second = try b.createTrial(studyID: study, template: nil)
        #expect(first.number == 0 && second.number == 1 && first.id != second.id)
        try b.setTrialState(trialID: first.id, state: .complete, values: [1])
        #expect(try a.trial(id: first.id).state == .complete)
        #expect(throws: StorageError.trialFinished(number: 0, state: .complete)) {
            try a.setTrialIntermediateValue(trialID: first.id, step: 0, value: 1)
        }
        // A WAITING trial claimed through both storages: one claim wins.
        let waiting = try a.createTrial(studyID: study, template: FrozenTrial(state: .waiting))
        let claims = Mutex<[Bool]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let storage = index.isMultiple(of: 2) ? a : b
            let won = (try? storage.setTrialState(trialID: waiting.id, state: .running, values: nil)) ?? false
            claims.withLock { $0.append(won) }
        }
        #expect(claims.withLock { $0.filter { $0 }.count } == 1)
        #expect(try snapshot(a) == snapshot(b))
    }

    @Test func linesAreOptunasFormat() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let storage = try JournalStorage(path: folder.path("j.log"))
        let study = try storage.createStudy(name: "é", directions: [.minimize, .maximize])
        try storage.setStudyUserAttribute(studyID: study, key: "k", value: ["a": [1, 2.0, nil, .double(.nan)]])
        let trial = try storage.createTrial(studyID: study, template: nil)
        try storage.setTrialParameter(trialID: trial.id, name: "n", internalValue: 4,
                                      distribution: .int(try IntDistribution(low: 1, high: 8, log: true)))
        try storage.setTrialParameter(trialID: trial.id, name: "c", internalValue: 1,
                                      distribution: .categorical(try CategoricalDistribution(choices: ["a", 1.5, true])))
        try storage.setTrialIntermediateValue(trialID: trial.id, step: 3, value: .nan)
        try storage.setTrialUserAttribute(trialID: trial.id, key: "u", value: "😀")
        try storage.setTrialState(trialID: trial.id, state: .complete, values: [0.5, .infinity])
        try storage.setStudySystemAttribute(studyID: study, key: "e\u{301}\u{7F}\t\"q\"\\", value: "a\u{0}😀b")
        let lines = try String(contentsOfFile: folder.path("j.log"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 9)
        let worker = try #require(lines[0].split(separator: "\"")[5...].first)
        func expected(_ fields: String) -> String { "{\"op_code\":" + fields.replacingOccurrences(of: "W", with: "\"worker_id\":\"\(worker)\"") + "}" }
        #expect(lines[0] == expected(#"0,W,"study_name":"\u00e9","directions":[1,2]"#))
        #expect(lines[1] == expected(#"2,W,"study_id":0,"user_attr":{"k":{"a":[1,2.0,null,NaN]}}"#))
        #expect(lines[2].hasPrefix(expected(#"4,W,"study_id":0,"datetime_start":"20"#).dropLast()))
        #expect(lines[3] == expected(#"5,W,"trial_id":0,"param_name":"n","param_value_internal":4.0,"distribution":"{\"name\": \"IntDistribution\", \"attributes\": {\"log\": true, \"step\": 1, \"low\": 1, \"high\": 8}}""#))
        #expect(lines[4] == expected(#"5,W,"trial_id":0,"param_name":"c","param_value_internal":1,"distribution":"{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"a\", 1.5, true]}}""#))
        #expect(lines[5] == expected(#"7,W,"trial_id":0,"step":3,"intermediate_value":NaN"#))
        #expect(lines[6] == expected(#"8,W,"trial_id":0,"user_attr":{"u":"\ud83d\ude00"}"#))
        #expect(lines[7].hasPrefix(expected(#"6,W,"trial_id":0,"state":1,"values":[0.5,Infinity],"datetime_complete":""#).dropLast()))
        #expect(lines[7].hasSuffix("+00:00\"}"))
        // As Python's json.dumps({"e\u0301\x7f\t\"q\"\\": "a\x00\U0001f600b"}) writes it.
        #expect(lines[8] == expected(#"3,W,"study_id":0,"system_attr":{"e\u0301\u007f\t\"q\"\\":"a\u0000\ud83d\ude00b"}"#))
        #expect(try JournalStorage(path: folder.path("j.log")).studySystemAttributes(id: study) == ["e\u{301}\u{7F}\t\"q\"\\": "a\u{0}😀b"])
    }

    @Test func timestampsAreUTCWithMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.617196)
        #expect(JournalTimestamp.format(date) == "2026-11-18T11:06:40.617196+00:00")
        #expect(JournalTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000+00:00")
        let parsed = try #require(JournalTimestamp.parse("2026-11-18T11:06:40.617196+00:00"))
        #expect(abs(parsed.timeIntervalSince(date)) < 1e-6)
        #expect(JournalTimestamp.parse("2026-11-18T13:06:40.617196+02:00") == parsed)
        #expect(JournalTimestamp.parse("2026-11-18 11:06:40.617196Z") == parsed)
        #expect(JournalTimestamp.parse("2026-11-18T11:06:40.6171969+0000") == parsed)
        #expect(JournalTimestamp.parse("2026-11-19T09:46") == JournalTimestamp.parse("2026-11-19T09:46:00"))
        for bad in ["", "2026-13-01T00:00:00", "2026-11-19T25:00:00", "yesterday", "2026-11-19T09:46:40+00:00 "] {
            #expect(JournalTimestamp.parse(bad) == nil, "\(bad)")
        }
    }

    // MARK: Bad input

    /// Each bad line is reported with the file and its line number, by a new storage and by one already
    /// open, and the file is left as it was.
    @Test(arguments: [
        ("this is not json", "not JSON"),
        (#"{"worker_id":"w","study_name":"x","directions":[1]}"#, "no field \"op_code\""),
        (#"{"op_code":42,"worker_id":"w"}"#, "op_code 42 is not an operation"),
        (#"{"op_code":0,"worker_id":"w","study_name":"x","directions":[7]}"#, "\"directions\" holds 7"),
        (#"{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"x","param_value_internal":0.5,"distribution":"{}"}"#, "\"distribution\" is not a distribution"),
        (#"{"op_code":6,"worker_id":"w","trial_id":0,"state":9,"values":null}"#, "not a trial state"),
        (#"{"op_code":8,"worker_id":"w","trial_id":0,"user_attr":{"a":1,"b":2}}"#, "exactly one key"),
        ("", "not JSON"),
    ])
    func badLineIsAnErrorNamingFileAndLine(_ line: String, _ reason: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("j.log")
        let writer = try JournalStorage(path: path)
        let study = try writer.createStudy(name: "s", directions: [.minimize])
        _ = try writer.createTrial(studyID: study, template: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data((line + "\n").utf8))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        func check(_ body: () throws -> Void) {
            do {
                try body()
                Issue.record("no error for \(line)")
            } catch let StorageError.invalidJournal(errorPath, number, why) {
                #expect(errorPath == path && number == 3)
                #expect(why.contains(reason), "\(why)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        check { _ = try JournalStorage(path: path) }
        check { _ = try writer.trials(studyID: study) }
        check { _ = try writer.createTrial(studyID: study, template: nil) }
        do { _ = try JournalStorage(path: path) } catch {
            #expect(error.localizedDescription.contains("\(path), line 3"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// A last line without its newline is being written: readers leave it for later (as Optuna's do), and a
    /// writer refuses to append after it, writing nothing; once it is complete, both go on.
    @Test func incompleteLastLineIsLeftForLater() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("j.log")
        let writer = try JournalStorage(path: path)
        let study = try writer.createStudy(name: "s", directions: [.minimize])
        let full = #"{"op_code":4,"worker_id":"python-1","study_id":0,"datetime_start":"2026-01-02T03:04:05.000006+00:00"}"#
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(full.prefix(40).utf8))
        let reader = try JournalStorage(path: path)
        #expect(try reader.trials(studyID: study).isEmpty)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try writer.createTrial(studyID: study, template: nil)
            Issue.record("appended after an incomplete line")
        } catch let StorageError.invalidJournal(errorPath, number, why) {
            #expect(errorPath == path && number == 2 && why.contains("no newline"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        handle.write(Data((full.dropFirst(40) + "\n").utf8))
        try handle.close()
        let trials = try reader.trials(studyID: study)
        #expect(trials.count == 1 && trials[0].datetimeStart == JournalTimestamp.parse("2026-01-02T03:04:05.000006Z"))
        #expect(try writer.createTrial(studyID: study, template: nil).number == 1)
    }

    @Test func notAJournalFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let csv = folder.path("data.csv")
        try "x,y\n1,2\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: StorageError.invalidJournal(path: csv, line: 1, reason: "not JSON (invalid JSON at byte 0: expected a value)")) {
            try JournalStorage(path: csv)
        }
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "x,y\n1,2\n")
        // A database has no newline to end its first line: it is no journal being written either.
        let database = folder.path("study.db")
        let header = Data("SQLite format 3\u{0}".utf8) + Data(repeating: 7, count: 3 << 20)
        try header.write(to: URL(fileURLWithPath: database))
        #expect(throws: StorageError.invalidJournal(path: database, line: 1, reason: "not JSON (the file's last line starts with 0x53, not '{', and has no newline at its end)")) {
            try JournalStorage(path: database)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == header)
        #expect(throws: StorageError.self) { try JournalStorage(path: folder.url.path) }
        #expect(throws: StorageError.self) { try JournalStorage(path: folder.path("missing/j.log")) }
        #expect(throws: StorageError.self) { try JournalStorage(path: folder.path("j.log"), lockGracePeriod: 0) }
    }

    @Test func shrunkenFileIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("j.log")
        let storage = try JournalStorage(path: path)
        _ = try storage.createStudy(name: "s", directions: [.minimize])
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.self) { try storage.allStudies() }
    }

    /// A line longer than one read (a 1.2 MB attribute) is read whole, by the writer and by another reader.
    @Test func longLinesSpanReads() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("j.log")
        let writer = try JournalStorage(path: path, durability: .none)
        let reader = try JournalStorage(path: path)
        let study = try writer.createStudy(name: "s", directions: [.minimize])
        let long = String(repeating: "x0 + ", count: 240_000)
        for index in 0..<2 {
            let trial = try writer.createTrial(studyID: study, template: nil)
            try writer.setTrialUserAttribute(trialID: trial.id, key: "expression", value: .string(long + "\(index)"))
        }
        let trials = try reader.trials(studyID: study)
        #expect(trials.map { $0.userAttributes["expression"]?.stringValue?.suffix(1) } == ["0", "1"])
        #expect(try JournalStorage(path: path).trials(studyID: study) == trials)
    }

    // MARK: Replay rules

    /// Lines that are invalid where they stand (as Python's writers leave them: a duplicate study name, a write
    /// to a finished trial, an incompatible distribution, a second RUNNING claim) change nothing.
    @Test func invalidOperationsAreSkippedOnReplay() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("j.log")
        let float = #"{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.0, \"high\": 1.0, \"log\": false}}"#
        let int = #"{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, \"step\": 1, \"low\": 0, \"high\": 3}}"#
        let start = #""datetime_start":"2026-01-02T03:04:05.000006+00:00""#
        let lines = [
            #"{"op_code":0,"worker_id":"p","study_name":"s","directions":[1]}"#,
            #"{"op_code":0,"worker_id":"q","study_name":"s","directions":[2]}"#,
            #"{"op_code":4,"worker_id":"p","study_id":0,\#(start)}"#,
            #"{"op_code":4,"worker_id":"p","study_id":0,\#(start),"state":4,"value":null,"values":null,"distributions":{},"params":{},"user_attrs":{},"system_attrs":{},"intermediate_values":{}}"#,
            #"{"op_code":5,"worker_id":"p","trial_id":0,"param_name":"x","param_value_internal":0.5,"distribution":"\#(float)"}"#,
            #"{"op_code":5,"worker_id":"q","trial_id":1,"param_name":"x","param_value_internal":1.0,"distribution":"\#(int)"}"#,
            #"{"op_code":6,"worker_id":"q","trial_id":1,"state":0,"values":null,\#(start)}"#,
            #"{"op_code":6,"worker_id":"p","trial_id":1,"state":0,"values":null,"datetime_start":"2027-01-01T00:00:00.000000+00:00"}"#,
            #"{"op_code":6,"worker_id":"p","trial_id":0,"state":1,"values":[0.25],"datetime_complete":"2026-01-02T03:04:06.000000+00:00"}"#,
            #"{"op_code":7,"worker_id":"p","trial_id":0,"step":1,"intermediate_value":1.0}"#,
            #"{"op_code":10,"worker_id":"r","trial_ids":[0]}"#,
            #"{"op_code":3,"worker_id":"p","study_id":5,"system_attr":{"k":1}}"#,
            #"{"op_code":4,"worker_id":"p","study_id":5,\#(start)}"#,
            #"{"op_code":1,"worker_id":"p","study_id":0}"#,
            #"{"op_code":0,"worker_id":"q","study_name":"s","directions":[2]}"#,
            #"{"op_code":4,"worker_id":"q","study_id":1,\#(start)}"#,
            #"{"op_code":8,"worker_id":"q","trial_id":1,"user_attr":{"after":"delete"}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let storage = try JournalStorage(path: path)
        #expect(try storage.allStudies().map(\.name) == ["s"])
        let study = try storage.studyID(named: "s")
        #expect(try study == 1 && storage.studyDirections(id: study) == [.maximize])
        // Trial ids count across studies: the new study's first trial is id 2, number 0.
        let trials = try storage.trials(studyID: study)
        #expect(trials.map(\.id) == [2] && trials.map(\.number) == [0])
        #expect(throws: StorageError.self) { try storage.trial(id: 0) }

        // The same file before the delete: check the skipped operations.
        let prefix = lines[..<13].joined(separator: "\n") + "\n"
        try prefix.write(toFile: path, atomically: true, encoding: .utf8)
        let before = try JournalStorage(path: path)
        let zero = try before.trial(id: 0), one = try before.trial(id: 1)
        #expect(zero.state == .complete && zero.values == [0.25] && zero.intermediateValues.isEmpty)
        #expect(zero.params == ["x": .double(0.5)])
        #expect(one.state == .running && one.params.isEmpty)  // the int distribution was incompatible
        #expect(one.datetimeStart == JournalTimestamp.parse("2026-01-02T03:04:05.000006Z"))  // the first claim won
        #expect(try before.studyDirections(id: 0) == [.minimize] && before.allStudies().count == 1)
        #expect(try before.studySystemAttributes(id: 0).isEmpty)
    }
}

/// Everything a storage shows of its studies, for comparing two readers of one journal.
func snapshot(_ storage: any StudyStorage) throws -> [String] {
    try storage.allStudies().map { summary in
        let trials = try storage.trials(studyID: summary.id).map { trial in
            "\(trial.id) \(trial.number) \(trial.state) \(trial.values.map { $0.map(pythonFloatRepr) } ?? []) \(trial.params.sorted { $0.key < $1.key }) \(trial.intermediateValues.sorted { $0.key < $1.key }.map { "\($0.key):\(pythonFloatRepr($0.value))" }) \(JSONValue.object(trial.userAttributes).jsonText) \(JSONValue.object(trial.systemAttributes).jsonText) \(trial.datetimeStart?.timeIntervalSince1970 ?? -1) \(trial.datetimeComplete?.timeIntervalSince1970 ?? -1)"
        }
        return "\(summary.id) \(summary.name) \(summary.directions) \(JSONValue.object(summary.userAttributes).jsonText) \(JSONValue.object(summary.systemAttributes).jsonText) \(trials)"
    }
}
