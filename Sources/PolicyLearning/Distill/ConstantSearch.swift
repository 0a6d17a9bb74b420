import Foundation
import SymbolicRegression

/// A derivative-free search over a program's constants that maximises a score such as fidelity, which is
/// piecewise constant in the constants (so gradients and Levenberg-Marquardt do not apply): a pattern search
/// that tries each constant scaled and shifted by a step, keeps any improvement, and halves the step when
/// nothing improves. Deterministic: no random choices.
public struct ConstantSearch: Sendable {
    /// Most score evaluations per program.
    public var budget: Int
    /// The first relative step (0.25: constants tried at 0.75x, 1.25x, and shifted by 0.25 x max(1, |c|)).
    public var initialStep: Double

    public init(budget: Int, initialStep: Double = 0.25) {
        self.budget = budget
        self.initialStep = initialStep
    }

    /// The program with its constants improved, and its score.
    public func improve(_ program: Program, score: (Program) -> Double) -> (program: Program, score: Double) {
        var best = program, bestScore = score(program), used = 1
        let positions = program.constantPositions
        guard !positions.isEmpty else { return (best, bestScore) }
        var step = initialStep
        while used < budget && step > 1e-4 {
            var improved = false
            for position in positions where used < budget {
                let c = best.nodes[position].value
                let magnitude = max(1, Swift.abs(c))
                for candidate in [c * (1 + step), c * (1 - step), c + step * magnitude, c - step * magnitude, c.rounded()] where used < budget && candidate != c {
                    var trial = best
                    trial.nodes[position].value = candidate
                    let value = score(trial)
                    used += 1
                    if value > bestScore {
                        best = trial
                        bestScore = value
                        improved = true
                        break
                    }
                }
            }
            if !improved { step /= 2 }
        }
        return (best, bestScore)
    }
}
