// Placeholder until the TPE sampler lands: random sampling behind the TPE name.
import Synchronization

public final class TPESampler: Sampler {
    private let random: RandomSampler
    public init(seed: UInt64? = nil) { random = RandomSampler(seed: seed) }
    public func sampleIndependent(study: Study, trial: FrozenTrial, name: String, distribution: ParameterDistribution) throws -> Double {
        try random.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
    }
}
