/// How a program of a generation was made (gplearn's `parents` record).
public enum Origin: Sendable, Equatable {
    case initial
    case crossover(parent: Int, donor: Int)
    case subtreeMutation(parent: Int)
    case hoistMutation(parent: Int)
    case pointMutation(parent: Int)
    case reproduction(parent: Int)
    /// The offspring broke a bloat limit and the parent was copied instead.
    case bloatRejected(parent: Int)
    /// One of the previous generation's best, copied unchanged (`elitism`).
    case elite(parent: Int)
}

/// A program of a population with its fitness.
public struct Individual: Sendable {
    public var program: Program
    /// The metric's value on the in-bag rows (after linear scaling when it is on).
    public var rawFitness: Double
    /// The raw fitness with the parsimony penalty, used by tournaments.
    public var fitness: Double
    /// The metric on the out-of-bag rows (nil when `maxSamples` is 1).
    public var oobFitness: Double?
    public var origin: Origin
    /// Offset and scale of the linear scaling (0 and 1 when it is off).
    public var scaling: (offset: Double, scale: Double)

    public var length: Int { program.length }
}
