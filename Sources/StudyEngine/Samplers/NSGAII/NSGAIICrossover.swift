/// How NSGA-II makes a child from parents in the numerical part of the search space (Optuna's
/// `BaseCrossover`).
///
/// Parents are points of the transformed space: one coordinate per float or int parameter, in parameter
/// name order, log-scaled for log parameters (Optuna's `_SearchSpaceTransform` with its defaults). The
/// bounds are that space's bounds (widened by half a step for stepped and int parameters). A child
/// outside the bounds is allowed: the sampler maps it back to values and retries with other parents when
/// a value falls outside its distribution. Categorical parameters never reach a crossover: the sampler
/// always crosses them uniformly.
public protocol NSGAIICrossover: Sendable {
    /// How many parents one child takes (2, or 3 for SPX and UNDX).
    var parentCount: Int { get }
    /// A child of `parents` (`parentCount` points of equal length), drawing from `random`.
    /// `isMultiObjective` lets SBX and VSBX pick their default distribution index as Optuna does.
    func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                   random: RandomSource) -> [Double]
}
