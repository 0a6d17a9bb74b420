/// Proposes parameter values for trials (Optuna's `BaseSampler`).
///
/// A sampler answers three questions: which part of the search space it models jointly
/// (`inferRelativeSearchSpace`), values for that part (`sampleRelative`), and a value for any other
/// parameter (`sampleIndependent`). Values are in internal representation (a categorical's choice index).
/// Samplers iterate parameters in name order, so that the same seed gives the same sequence.
public protocol Sampler: AnyObject, Sendable {
    /// The distributions this sampler samples jointly for `trial`.
    func inferRelativeSearchSpace(study: Study, trial: FrozenTrial) throws -> [String: ParameterDistribution]
    /// Values for the relative search space, by parameter name, in internal representation.
    /// A parameter left out is sampled by `sampleIndependent` when suggested.
    func sampleRelative(study: Study, trial: FrozenTrial, searchSpace: [String: ParameterDistribution]) throws -> [String: Double]
    /// A value for one parameter outside the relative search space, in internal representation.
    func sampleIndependent(study: Study, trial: FrozenTrial, name: String, distribution: ParameterDistribution) throws -> Double
    /// Called when a trial starts, before any parameter is sampled.
    func beforeTrial(study: Study, trial: FrozenTrial) throws
    /// Called when a trial ends, before its state is stored.
    func afterTrial(study: Study, trial: FrozenTrial, state: TrialState, values: [Double]?) throws
}

extension Sampler {
    public func inferRelativeSearchSpace(study: Study, trial: FrozenTrial) throws -> [String: ParameterDistribution] { [:] }
    public func sampleRelative(study: Study, trial: FrozenTrial, searchSpace: [String: ParameterDistribution]) throws -> [String: Double] { [:] }
    public func beforeTrial(study: Study, trial: FrozenTrial) throws {}
    public func afterTrial(study: Study, trial: FrozenTrial, state: TrialState, values: [Double]?) throws {}
}
