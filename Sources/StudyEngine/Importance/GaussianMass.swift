import Foundation

/// Log probability masses of the standard normal distribution, computed as Optuna's
/// `optuna/samplers/_tpe/_truncnorm.py` computes them (tails through `erfc`, an asymptotic series below -20),
/// so that PED-ANOVA's kernel masses agree with Optuna's to rounding.
enum GaussianMass {
    private static let squareRootOfTwo = 2.0.squareRoot()

    /// The standard normal CDF at `a`, accurate in both tails.
    static func cdf(_ a: Double) -> Double {
        let x = a / squareRootOfTwo
        if x < -1 / squareRootOfTwo { return 0.5 * erfc(-x) }
        if x < 1 / squareRootOfTwo { return 0.5 + 0.5 * erf(x) }
        return 1.0 - 0.5 * erfc(x)
    }

    /// The standard normal CDF at `a` as Optuna's vectorised `_ndtr` computes it (erf only).
    static func centralCDF(_ a: Double) -> Double {
        0.5 + 0.5 * erf(a / squareRootOfTwo)
    }

    /// log of the standard normal CDF at `a`.
    static func logCDF(_ a: Double) -> Double {
        if a > 6 { return -cdf(-a) }
        if a > -20 { return log(cdf(a)) }
        // Asymptotic expansion of log Phi(a) for very negative a.
        let logLeft = -0.5 * a * a - log(-a) - 0.5 * log(2 * Double.pi)
        var lastTotal = 0.0
        var rightHandSide = 1.0
        var numerator = 1.0
        var denominatorFactor = 1.0
        let denominatorConstant = 1 / (a * a)
        var sign = 1.0
        var term = 0
        while abs(lastTotal - rightHandSide) > Double.ulpOfOne {
            term += 1
            lastTotal = rightHandSide
            sign = -sign
            denominatorFactor *= denominatorConstant
            numerator *= Double(2 * term - 1)
            rightHandSide += sign * numerator * denominatorFactor
        }
        return logLeft + log(rightHandSide)
    }

    /// log of the standard normal probability of [a, b] (a <= b).
    static func logMass(_ a: Double, _ b: Double) -> Double {
        if b <= 0 { return logDifference(logCDF(b), logCDF(a)) }
        if a > 0 { return logDifference(logCDF(-a), logCDF(-b)) }
        return log1p(-centralCDF(a) - centralCDF(-b))
    }

    /// log(exp(p) - exp(q)) for p >= q.
    private static func logDifference(_ logP: Double, _ logQ: Double) -> Double {
        logP + log1p(-exp(logQ - logP))
    }
}
