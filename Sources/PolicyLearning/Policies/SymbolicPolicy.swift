import Environments
import Foundation
import StudyEngine
import SymbolicRegression

/// A policy made of symbolic programs over the features of a DiffSES object-level state: what a `distill`
/// trial finds, what `finetune` improves and what `export` writes out.
///
/// Its JSON form (`Codable`, the trial's user attribute `policy`) holds the featurizer, the decoding, the
/// feature names and each program as a JSON tree (`{"op":"gt","args":[{"feature":3,"name":"ball_y"},...]}`,
/// constants exact), so another language can rebuild the features and act the same. Programs use built-in
/// operators only.
public struct SymbolicPolicy: Codable, Sendable, Equatable {
    public var featurizer: Featurizer
    public var decoding: ActionDecoding
    /// One program per output of the decoding (`decoding.programCount`).
    public var programs: [Program]
    /// The names of the programs' inputs (the featurizer's names).
    public var featureNames: [String]

    /// A policy; throws `SymbolicPolicyError` when the program count does not match the decoding, a program is
    /// invalid, reads a feature the featurizer does not make, or uses a custom operator.
    public init(featurizer: Featurizer, decoding: ActionDecoding, programs: [Program]) throws {
        try decoding.validate()
        guard programs.count == decoding.programCount else {
            throw SymbolicPolicyError.invalid("the decoding needs \(decoding.programCount) program(s), got \(programs.count)")
        }
        for (index, program) in programs.enumerated() {
            guard program.isValid else { throw SymbolicPolicyError.invalid("program \(index) is not one complete tree") }
            guard program.maxFeatureIndex < featurizer.featureCount else {
                throw SymbolicPolicyError.invalid("program \(index) reads feature \(program.maxFeatureIndex), the featurizer makes \(featurizer.featureCount)")
            }
            guard program.nodes.allSatisfy({ !$0.isFunction || $0.builtin != nil }) else {
                throw SymbolicPolicyError.invalid("program \(index) uses a custom operator: policies hold built-in operators only")
            }
        }
        self.featurizer = featurizer
        self.decoding = decoding
        self.programs = programs
        self.featureNames = featurizer.featureNames
    }

    /// Every built-in operator, to read and write programs' JSON trees.
    static let allOperators = try! FunctionSet(builtins: BuiltinOperator.allCases)

    enum CodingKeys: String, CodingKey {
        case featurizer, decoding, programs, featureNames = "feature_names"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let trees = try c.decode([JSONValue].self, forKey: .programs)
        var programs: [Program] = []
        for (index, tree) in trees.enumerated() {
            do { programs.append(try ProgramJSON.parse(tree.jsonText, functionSet: Self.allOperators)) } catch {
                throw DecodingError.dataCorruptedError(forKey: .programs, in: c, debugDescription: "program \(index): \(error.localizedDescription)")
            }
        }
        do {
            try self.init(featurizer: try c.decode(Featurizer.self, forKey: .featurizer),
                          decoding: try c.decode(ActionDecoding.self, forKey: .decoding), programs: programs)
        } catch let error as SymbolicPolicyError {
            throw DecodingError.dataCorruptedError(forKey: .programs, in: c, debugDescription: error.localizedDescription)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(featurizer, forKey: .featurizer)
        try c.encode(decoding, forKey: .decoding)
        try c.encode(featureNames, forKey: .featureNames)
        let trees = try programs.map { try JSONValue.parse(ProgramJSON.string($0, functionSet: Self.allOperators, featureNames: featureNames)) }
        try c.encode(trees, forKey: .programs)
    }

    /// The policy as JSON text (the user attribute `policy`).
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    /// Reads a policy's JSON text.
    public static func parse(_ text: String) throws -> SymbolicPolicy {
        do { return try JSONDecoder().decode(SymbolicPolicy.self, from: Data(text.utf8)) } catch let error as DecodingError {
            throw SymbolicPolicyError.invalid("not a symbolic policy's JSON: \(Self.describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }

    /// The programs' outputs for one feature vector.
    public func outputs(features: [Double]) -> [Double] {
        features.withUnsafeBufferPointer { input in programs.map { Self.evaluate($0, input) } }
    }

    /// The action for one feature vector (`featurizer.featureCount` values).
    public func act(features: [Double]) -> ActionValue {
        let outputs = self.outputs(features: features)
        return outputs.withUnsafeBufferPointer { decoding.decode($0) }
    }

    /// The action for one object-level state.
    public func act(state: [ObjectState]) -> ActionValue {
        act(features: featurizer.features(state))
    }

    /// The action for one state in the DiffSES dict form (`[{"type":0,"x_position":..,"y_position":..,
    /// "x_velocity":..,"y_velocity":..}, ...]`); a missing field counts as 0.
    public func act(state: [[String: Double]]) -> ActionValue {
        act(state: state.map { object in
            ObjectState(type: Int(object["type"] ?? -1), x: object["x_position"] ?? 0, y: object["y_position"] ?? 0,
                        xVelocity: object["x_velocity"] ?? 0, yVelocity: object["y_velocity"] ?? 0)
        })
    }

    /// The actions for many states, reusing one feature and one output buffer.
    public func actBatch(states: [[ObjectState]]) -> [ActionValue] {
        var features = [Double](repeating: 0, count: featurizer.featureCount)
        var outputs = [Double](repeating: 0, count: programs.count)
        var actions: [ActionValue] = []
        actions.reserveCapacity(states.count)
        for state in states {
            features.withUnsafeMutableBufferPointer { featurizer.write(state, into: $0) }
            actions.append(decide(features, &outputs))
        }
        return actions
    }

    /// The discrete actions for rows of features given as columns (`columns[feature][row]`); nil for a
    /// continuous decoding. What fidelity is measured with.
    public func discreteActions(columns: [[Double]], rows: Int) -> [Int]? {
        guard case .continuous = decoding else {
            var features = [Double](repeating: 0, count: columns.count)
            var outputs = [Double](repeating: 0, count: programs.count)
            var result = [Int](repeating: 0, count: rows)
            for row in 0..<rows {
                for feature in columns.indices { features[feature] = columns[feature][row] }
                features.withUnsafeBufferPointer { input in
                    outputs.withUnsafeMutableBufferPointer { out in
                        for p in programs.indices { out[p] = Self.evaluate(programs[p], input) }
                        result[row] = decoding.discrete(UnsafeBufferPointer(out)) ?? 0
                    }
                }
            }
            return result
        }
        return nil
    }

    /// The action for a feature buffer; `outputs` is scratch space of `programs.count` values.
    @inline(__always) func decide(_ features: [Double], _ outputs: inout [Double]) -> ActionValue {
        features.withUnsafeBufferPointer { input in
            outputs.withUnsafeMutableBufferPointer { out in
                for p in programs.indices { out[p] = Self.evaluate(programs[p], input) }
                return decoding.decode(UnsafeBufferPointer(out))
            }
        }
    }

    /// The exact (Double) value of a built-in-only program on one feature vector, with `BuiltinOperator`'s
    /// semantics; a stack on the stack, no heap allocation.
    @inline(__always) static func evaluate(_ program: Program, _ features: UnsafeBufferPointer<Double>) -> Double {
        let nodes = program.nodes
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: nodes.count) { stack in
            var top = 0
            for index in nodes.indices.reversed() {
                let node = nodes[index]
                switch node.kind {
                case .feature: stack[top] = features[node.featureIndex]; top += 1
                case .constant: stack[top] = node.value; top += 1
                case .function:
                    let arity = Int(node.arity)
                    let op = node.builtin ?? .add
                    // The first argument is the last pushed (prefix order read backwards).
                    let a = stack[top - 1]
                    let b = arity > 1 ? stack[top - 2] : 0
                    let c = arity > 2 ? stack[top - 3] : 0
                    let d = arity > 3 ? stack[top - 4] : 0
                    top -= arity
                    stack[top] = op.apply(a, b, c, d)
                    top += 1
                }
            }
            return stack[0]
        }
    }
}

/// A symbolic policy that cannot be made or read.
public enum SymbolicPolicyError: LocalizedError, Equatable, Sendable {
    case invalid(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let why): return "symbolic policy: \(why)"
        }
    }
}
