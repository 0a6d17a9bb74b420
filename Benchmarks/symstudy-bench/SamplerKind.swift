import StudyEngine

/// The samplers the benchmark compares, named as in Optuna's harness (`common.py`).
enum SamplerKind: String, CaseIterable, Sendable {
    case tpe, tpe_indep, random

    func make(seed: UInt64) -> any Sampler {
        switch self {
        case .tpe: return TPESampler(seed: seed)
        case .tpe_indep: return TPESampler(seed: seed, multivariate: false)
        case .random: return RandomSampler(seed: seed)
        }
    }

    /// The sampler as Optuna names it, for a study server that samples (`grpc://`).
    var specification: (String, [String: JSONValue]) {
        switch self {
        case .tpe: return ("TPESampler", [:])
        case .tpe_indep: return ("TPESampler", ["multivariate": false])
        case .random: return ("RandomSampler", [:])
        }
    }

    /// The specification of the sampler named `name` (as `parse` reads it) with `seed`.
    static func specification(_ name: String, seed: UInt64) throws -> SamplerSpecification {
        let (className, options) = try parse(name)[0].specification
        return SamplerSpecification(name: className, options: options.merging(["seed": .int(Int(seed))]) { $1 })
    }

    static func parse(_ list: String) throws -> [SamplerKind] {
        try list.split(separator: ",").map { name in
            guard let kind = SamplerKind(rawValue: String(name)) else {
                throw BenchError("unknown sampler '\(name)'; choose from \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
