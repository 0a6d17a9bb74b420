import Foundation
import StudyEngine

/// Studies for the dashboard's tests, written through the real storage API: a GP-like study whose trials hold
/// parameters, intermediate values (some pruned), and expressions in the convention of issue 13.
enum DashboardFixture {
    /// The repository's `dashboards/` folder.
    static let pagesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("dashboards").path

    static let hostileName = "<script>alert(1)</script>"

    /// A SplitMix64 generator: the fixture is the same for the same seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The expression attribute of a trial: `x0 * c + x1` style trees of growing size.
    static func expression(size: Int, constant: Double) -> JSONValue {
        var node: JSONValue = ["label": "x0", "children": []]
        var text = "x0"
        var latex = "x_{0}"
        var nodes = 1
        var variable = 1
        while nodes + 2 <= size {
            let leaf: JSONValue = variable % 2 == 0 ? ["label": .string(ValueText.constant(constant)), "children": []]
                : ["label": .string("x\(variable % 3)"), "children": []]
            let leafText = variable % 2 == 0 ? ValueText.constant(constant) : "x\(variable % 3)"
            let op = variable % 3 == 0 ? "mul" : "add"
            node = ["label": .string(op), "children": [node, leaf]]
            text = "(\(text) \(op == "mul" ? "*" : "+") \(leafText))"
            latex = op == "mul" ? "\\left(\(latex)\\right) \\cdot \(leafText)" : "\(latex) + \(leafText)"
            nodes += 2
            variable += 1
        }
        return ["text": .string(text), "latex": .string(latex), "size": .int(nodes), "tree": node]
    }

    enum ValueText {
        static func constant(_ value: Double) -> String { String(format: "%.3f", value) }
    }

    /// Adds a single-objective study of `trials` trials to `storage`; returns its id.
    @discardableResult
    static func addStudy(to storage: any StudyStorage, name: String = "gp-distill", trials: Int, seed: UInt64 = 7,
                         runningTrials: Int = 1) throws -> Int {
        let id = try storage.createStudy(name: name, directions: [.maximize])
        try storage.setStudyUserAttribute(studyID: id, key: "objective", value: "distill")
        var random = Generator(state: seed)
        let population = try IntDistribution(low: 100, high: 2000, log: true)
        let mutation = try FloatDistribution(low: 0.01, high: 0.5)
        let parsimony = try FloatDistribution(low: 1e-5, high: 1e-1, log: true)
        let operators = try CategoricalDistribution(choices: ["basic", "trig", "full"])
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        for number in 0..<trials {
            let p = Int(exp(Double.random(in: log(100)...log(2000), using: &random)))
            let m = Double.random(in: 0.01...0.5, using: &random)
            let c = exp(Double.random(in: log(1e-5)...log(1e-1), using: &random))
            let o = Int.random(in: 0..<3, using: &random)
            // Fidelity grows with population and falls with parsimony pressure; noise on top.
            let noise = Double.random(in: -0.04...0.04, using: &random)
            let growth: Double = 0.35 * (log(Double(p)) - log(100.0)) / (log(2000.0) - log(100.0))
            let penalty: Double = 0.8 * c + 0.1 * abs(m - 0.2)
            let quality: Double = 0.55 + growth - penalty + (o == 1 ? 0.03 : 0) + noise
            var intermediate: [Int: Double] = [:]
            let steps = 20
            let pruned = number % 5 == 3
            let failed = number % 97 == 50
            let running = number >= trials - runningTrials
            let lastStep = pruned ? 4 + number % 8 : (running ? 6 : steps - 1)
            for step in 0...lastStep { intermediate[step] = quality * (1 - exp(-Double(step + 1) / 5)) }
            let state: TrialState = running ? .running : failed ? .fail : pruned ? .pruned : .complete
            let size = 3 + 2 * ((number * 7 + o) % 12)
            var attributes: [String: JSONValue] = ["generations": .int(lastStep + 1), "seed": .int(number)]
            if state == .complete { attributes["expression"] = expression(size: size, constant: quality) }
            let begin = start.addingTimeInterval(Double(number) * 3)
            let template = FrozenTrial(
                state: state, values: state == .complete ? [quality] : nil, datetimeStart: begin,
                datetimeComplete: state.isFinished ? begin.addingTimeInterval(2.5) : nil,
                params: ["population": .int(p), "mutation": .double(m), "parsimony": .double(c), "operators": operators.choices[o]],
                distributions: ["population": .int(population), "mutation": .float(mutation), "parsimony": .float(parsimony),
                                "operators": .categorical(operators)],
                userAttributes: attributes, intermediateValues: intermediate)
            _ = try storage.createTrial(studyID: id, template: template)
        }
        return id
    }

    /// Adds a two-objective study (fidelity up, size down) with a few trials.
    @discardableResult
    static func addMultiObjectiveStudy(to storage: any StudyStorage, name: String = "fidelity-vs-size", trials: Int = 40) throws -> Int {
        let id = try storage.createStudy(name: name, directions: [.maximize, .minimize])
        try storage.setStudySystemAttribute(studyID: id, key: "study:metric_names", value: ["fidelity", "size"])
        var random = Generator(state: 11)
        let depth = try IntDistribution(low: 2, high: 8)
        for _ in 0..<trials {
            let d = Int.random(in: 2...8, using: &random)
            let fidelity = 1 - 1 / Double(d) + Double.random(in: -0.05...0.05, using: &random)
            let size = Double(2 * d + Int.random(in: 0...6, using: &random))
            _ = try storage.createTrial(studyID: id, template: FrozenTrial(
                state: .complete, values: [fidelity, size], datetimeStart: Date(), datetimeComplete: Date(),
                params: ["depth": .int(d)], distributions: ["depth": .int(depth)],
                userAttributes: ["expression": expression(size: Int(size), constant: fidelity)]))
        }
        return id
    }
}
