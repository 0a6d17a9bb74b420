import Foundation
import StudyEngine

/// Any executable as a study's objective, so studies can tune what symstudy does not know.
///
/// ```yaml
/// objective:
///   kind: command
///   command: [python3, train.py]     # or one string, run by /bin/sh -c
///   working_directory: .             # default: the study file's folder
///   environment: {CUDA_VISIBLE_DEVICES: "0"}
///   timeout: 600                     # seconds per run; the run fails after it
/// ```
///
/// The program gets the trial's parameters as a JSON object on standard input and as environment variables
/// (`SYMSTUDY_PARAMS` holds the JSON, `SYMSTUDY_PARAM_<NAME>` each value, plus `SYMSTUDY_TRIAL_NUMBER` and
/// `SYMSTUDY_SEED`). Each line it prints that is one number is an intermediate value (steps 0, 1, 2, ...),
/// or `STEP VALUE`; its last line is the final value (several numbers for several objectives: `value`,
/// `value_1`, ...). Other lines are ignored. When the pruner stops the trial the program gets SIGTERM.
public struct CommandObjective: TrialObjective {
    public var command: [String]
    public var workingDirectory: URL
    public var environment: [String: String]
    public var timeout: Double?

    public var metrics: [String] { ["value"] + (1..<16).map { "value_\($0)" } }
    public var defaultTargets: [StudyDefinition.Target] { [.init(metric: "value", direction: .minimize)] }
    public var parameters: [String: String] { [:] }

    public init(command: [String], workingDirectory: URL, environment: [String: String] = [:], timeout: Double? = nil) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
    }

    static func read(_ section: YAMLValue, definition: StudyDefinition) throws -> CommandObjective {
        let commandNode = try section.required("command")
        let command: [String]
        if commandNode.isSequence {
            command = try commandNode.items().map { try $0.string() }
            guard !command.isEmpty else { throw commandNode.error("the command list is empty") }
        } else {
            command = ["/bin/sh", "-c", try commandNode.string()]
        }
        let directoryNode = try section.optional("working_directory")
        let directory = try directoryNode.map { definition.resolve(try $0.string()) } ?? definition.folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw (directoryNode ?? section).error("the working directory \(directory.path) does not exist")
        }
        var environment: [String: String] = [:]
        if let node = try section.optional("environment") {
            for (key, value) in try node.entries() { environment[key] = try value.plainText() }
        }
        let timeout = try section.optional("timeout").map { try $0.double() }
        _ = try section.optional("kind")
        try section.finish()
        return CommandObjective(command: command, workingDirectory: directory, environment: environment, timeout: timeout)
    }

    public func run(_ context: ObjectiveContext) throws -> ObjectiveOutcome {
        let paramsJSON = JSONValue.object(context.parameters.mapValues(\.jsonValue)).jsonText
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["SYMSTUDY_PARAMS"] = paramsJSON
        env["SYMSTUDY_TRIAL_NUMBER"] = String(context.trialNumber)
        env["SYMSTUDY_SEED"] = String(context.seed)
        for (name, value) in context.parameters {
            let key = "SYMSTUDY_PARAM_" + name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            env[String(key)] = value.stringValue ?? value.jsonValue.jsonText
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0].contains("/") ? command[0] : "/usr/bin/env")
        process.arguments = command[0].contains("/") ? Array(command.dropFirst()) : command
        process.currentDirectoryURL = workingDirectory
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw ObjectiveError.failed("cannot start \(command.joined(separator: " ")): \(error.localizedDescription)")
        }
        // A program that never reads its input may have quit already: a broken pipe is not an error here.
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data(paramsJSON.utf8))
        try? input.fileHandleForWriting.close()

        let stderrTail = StderrTail(errors.fileHandleForReading)
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        let watchdog = deadline.map { Watchdog(process: process, deadline: $0) }
        var lastNumbers: [Double]?
        var lastLine = ""
        var step = 0
        var pruned = false
        var held: [Double]?  // the latest value line: an intermediate value once another line follows it
        var pending = Data()
        let handle = output.fileHandleForReading
        func take(_ line: String) {
            guard !line.isEmpty else { return }
            lastLine = line
            lastNumbers = Self.numbers(in: line)
            guard let numbers = lastNumbers else { return }
            if let previous = held, !pruned {
                if previous.count == 2, previous[0] >= 0, previous[0] == previous[0].rounded() { step = Int(previous[0]) }
                if context.report(step, previous.last!) {
                    pruned = true
                    process.terminate()
                }
                step += 1
            }
            held = numbers.count <= 2 ? numbers : nil
        }
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                take(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self).trimmingCharacters(in: .whitespaces))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        take(String(decoding: pending, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        process.waitUntilExit()
        watchdog?.cancel()
        if pruned { throw TrialPruned() }
        if watchdog?.fired == true {
            throw ObjectiveError.failed("\(command.joined(separator: " ")) ran longer than its timeout of \(timeout!) s")
        }
        guard process.terminationStatus == 0 else {
            throw ObjectiveError.failed("\(command.joined(separator: " ")) exited with status \(process.terminationStatus): \(stderrTail.text)")
        }
        guard let final = lastNumbers, !final.isEmpty else {
            throw ObjectiveError.failed("the last line of \(command.joined(separator: " ")) must be the final value, not '\(lastLine)'")
        }
        var metrics: [String: Double] = [:]
        for (index, value) in final.enumerated() { metrics[index == 0 ? "value" : "value_\(index)"] = value }
        return ObjectiveOutcome(metrics: metrics)
    }

    /// The numbers of a line made only of numbers, else nil.
    static func numbers(in line: String) -> [Double]? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        guard !fields.isEmpty else { return nil }
        var values: [Double] = []
        for field in fields {
            guard let value = Double(field) else { return nil }
            values.append(value)
        }
        return values
    }
}

/// Keeps the last few kilobytes of a child's standard error, for the failure message.
private final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.lock()
                data.append(chunk)
                if data.count > 4096 { data.removeFirst(data.count - 4096) }
                lock.unlock()
            }
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Terminates a process that runs past its deadline.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private(set) var fired = false

    init(process: Process, deadline: Date) {
        Thread.detachNewThread { [self] in
            while Date() < deadline {
                Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
                lock.lock()
                let stop = cancelled
                lock.unlock()
                if stop { return }
            }
            lock.lock()
            if !cancelled, process.isRunning {
                fired = true
                process.terminate()
            }
            lock.unlock()
        }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }
}

extension YAMLValue {
    /// A scalar as text, whatever its type (for environment variables).
    func plainText() throws -> String {
        switch try plain() {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return String(value)
        default: throw error("expected a single value")
        }
    }
}
