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
