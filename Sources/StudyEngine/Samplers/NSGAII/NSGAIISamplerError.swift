import Foundation

/// Why an `NSGAIISampler` or one of its crossovers was rejected. The messages follow Optuna's.
public enum NSGAIISamplerError: LocalizedError, Equatable, Sendable {
    case populationTooSmall(populationSize: Int, minimum: Int, crossover: String)
    case probabilityOutOfRange(argument: String, value: Double)
    case invalidCrossoverArgument(crossover: String, argument: String, value: Double, valid: String)

    public var errorDescription: String? {
        switch self {
        case .populationTooSmall(let populationSize, let minimum, let crossover):
            return "NSGAIISampler: using \(crossover), the population size should be greater than or equal to \(minimum). The specified `populationSize` is \(populationSize)."
        case .probabilityOutOfRange(let argument, let value):
            return "NSGAIISampler: `\(argument)` must be a probability within [0.0, 1.0], but it is \(value)."
        case .invalidCrossoverArgument(let crossover, let argument, let value, let valid):
            return "\(crossover): the value of `\(argument)` must be \(valid), but it is \(value)."
        }
    }
}
