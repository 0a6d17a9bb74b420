import Foundation
import SymbolicRegression

/// ../shared/data/sr/manifest.json: the problems, their files and families.
struct SRManifest {
    static let defaultFolder: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return here.deletingLastPathComponent().appendingPathComponent("shared/data/sr").path
    }()

    struct Problem {
        var name: String
        var family: String
        var split: String
        var train: String
        var test: String
        var largeTrain: String?

        /// The 10,000 rows bench_throughput.py uses: Nguyen's large train file, Feynman's train + test files.
        func throughputRows() throws -> Dataset {
            if let largeTrain { return try CSVDataset.read(path: largeTrain) }
            let a = try CSVDataset.read(path: train), b = try CSVDataset.read(path: test)
            return try Dataset(columns: zip(a.columns, b.columns).map { $0 + $1 }, target: a.target! + b.target!,
                               featureNames: a.featureNames, targetName: a.targetName)
        }
    }

    let problems: [String: Problem]
    let order: [String]

    init(folder: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw BenchError("bad manifest in \(folder)") }
        var problems: [String: Problem] = [:], order: [String] = []
        for split in ["public", "heldout"] {
            for entry in root[split] as? [[String: Any]] ?? [] {
                guard let name = entry["name"] as? String, let train = entry["train"] as? String, let test = entry["test"] as? String else { continue }
                problems[name] = Problem(name: name, family: entry["family"] as? String ?? "", split: split,
                                         train: folder + "/" + train, test: folder + "/" + test,
                                         largeTrain: (entry["large_train"] as? String).map { folder + "/" + $0 })
                order.append(name)
            }
        }
        self.problems = problems
        self.order = order
    }

    func problem(_ name: String) throws -> Problem {
        guard let problem = problems[name] else { throw BenchError("unknown problem '\(name)': known are \(order.joined(separator: ", "))") }
        return problem
    }

    /// sr_common.select: names, or public/heldout/all with an optional ':family'.
    func select(_ spec: String) throws -> [String] {
        var names: [String] = []
        for item in spec.split(separator: ",").map(String.init) {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            if ["public", "heldout", "all"].contains(parts[0]) {
                let family = parts.count > 1 ? parts[1] : nil
                names += order.filter { (parts[0] == "all" || problems[$0]!.split == parts[0]) && (family == nil || problems[$0]!.family == family) }
            } else {
                names.append(try problem(item).name)
            }
        }
        return names
    }
}

/// CPU used by other processes while a measurement ran (as sr_common.load_start/load_stop).
struct SRLoad {
    var wall: Double
    var busy: Double
    var own: Double

    static func busyJiffies() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first else { return 0 }
        let values = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        guard values.count >= 5 else { return 0 }
        return values.reduce(0, +) - values[3] - values[4]
    }

    static func start() -> SRLoad { SRLoad(wall: Clock.wall(), busy: busyJiffies(), own: Clock.processCPU()) }

    static func stop(_ start: SRLoad) -> (foreignShare: Double, loadAfter: Double) {
        let wall = Clock.wall() - start.wall
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let busy = (busyJiffies() - start.busy) / hz
        let own = Clock.processCPU() - start.own
        let cpus = Double(ProcessInfo.processInfo.activeProcessorCount)
        return (max(0, (busy - own) / (wall * cpus)), Clock.loadAverage()[0])
    }
}

/// The trees operon_probe.py exported: postfix tokens (`x0:WEIGHT`, `c:VALUE`, operator names), one tree a line.
struct OperonTreeFile {
    var programs: [Program]
    /// Sum of Operon's tree lengths (its node count: a weighted variable is one node).
    var operonLength: Int

    static let functionSet = try! FunctionSet(["add", "sub", "mul", "div", "sin", "cos", "log", "sqrt"])

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var programs: [Program] = [], length = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let tokens = line.split(separator: " ").map(String.init)
            length += tokens.count
            programs.append(try Self.program(tokens))
        }
        self.programs = programs
        self.operonLength = length
    }

    static func program(_ tokens: [String]) throws -> Program {
        var stack: [[Node]] = []
        let names = ["add": BuiltinOperator.add, "sub": .sub, "mul": .mul, "div": .div, "sin": .sin, "cos": .cos,
                     "logabs": .log, "sqrtabs": .sqrt]
        for token in tokens {
            if token.hasPrefix("c:") {
                stack.append([.constant(Double(token.dropFirst(2))!)])
            } else if token.hasPrefix("x"), let colon = token.firstIndex(of: ":") {
                let index = Int(token[token.index(after: token.startIndex)..<colon])!
                let weight = Double(token[token.index(after: colon)...])!
                stack.append(weight == 1 ? [.feature(index)] : [.function(.mul), .constant(weight), .feature(index)])
            } else {
                let parts = token.split(separator: "/")
                guard let op = names[String(parts[0])] else { throw BenchError("unknown Operon token '\(token)'") }
                let arity = parts.count > 1 ? Int(parts[1])! : op.arity
                // Operon's postfix puts the first argument nearest the operator.
                var args: [[Node]] = []
                for _ in 0..<arity { args.append(stack.removeLast()) }
                var combined = args[0]
                for arg in args.dropFirst() { combined = [.function(op)] + combined + arg }
                stack.append(arity == 1 ? [.function(op)] + args[0] : combined)
            }
        }
        guard stack.count == 1 else { throw BenchError("a tree did not reduce to one expression") }
        return try Program.validated(stack[0])
    }

    /// Compares with Operon's outputs (first, middle, last row) of the first trees; returns how many agree
    /// within 1e-3 relative (protected division and log differ from Operon's plain ones on rare rows).
    func verify(against path: String, data: Dataset) throws -> (trees: Int, agree: Int) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (0, 0) }
        let exact = ExactEvaluator(functionSet: Self.functionSet)
        var trees = 0, agree = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 6, let index = Int(fields[0]), index < programs.count, fields[1] == "1" else { continue }
            let expected = fields[3...5].compactMap { Double($0) }
            let rows = [0, data.rowCount / 2, data.rowCount - 1]
            let got = try rows.map { try exact.value(programs[index], features: data.row($0)) }
            trees += 1
            if zip(expected, got).allSatisfy({ abs($0 - $1) <= 1e-3 * max(1, abs($0)) }) { agree += 1 }
        }
        return (trees, agree)
    }
}

/// Times the fast evaluator (with the linear-scaling R2 fused in) on given programs.
enum TreeTiming {
    static func run(_ programs: [Program], data: Dataset, threads: Int, blockSize: Int) throws -> (wall: Double, cpu: Double, checksum: Double) {
        let evaluator = try PopulationEvaluator(data: data, functionSet: OperonTreeFile.functionSet, metric: .r2,
                                                linearScaling: true, threads: threads, blockSize: blockSize)
        _ = evaluator.scores(Array(programs.prefix(256)))
        let wall0 = Clock.wall(), cpu0 = Clock.processCPU()
        let scores = evaluator.scores(programs)
        let wall = Clock.wall() - wall0, cpu = Clock.processCPU() - cpu0
        return (wall, cpu, scores.reduce(0) { $0 + ($1.isFinite ? $1 : 0) })
    }
}
