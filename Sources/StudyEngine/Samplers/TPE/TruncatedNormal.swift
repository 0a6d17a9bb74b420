import CGSL
import Foundation

/// The standard normal and truncated-normal functions TPE needs (Optuna's `_truncnorm.py`), accurate
/// in the tails: every probability that can underflow is handled as a logarithm.
enum TruncatedNormal {
    /// log(sqrt(2 pi)), the normaliser of the standard normal density.
    static let logSqrtTwoPi = 0.5 * Foundation.log(2 * Double.pi)

    /// Phi(x), the standard normal CDF, from erfc (accurate relative to its value in the left tail).
    @inline(__always)
    static func ndtr(_ x: Double) -> Double { 0.5 * erfc(-x * 0.70710678118654752440) }

    /// log Phi(x), accurate for every x: log1p in the right tail, GSL's log erfc far in the left tail
    /// (where Phi underflows; Optuna uses the asymptotic series there).
    static func logNdtr(_ x: Double) -> Double {
        if x > 0 { return log1p(-0.5 * erfc(x * 0.70710678118654752440)) }
        if x > -35 { return Foundation.log(0.5 * erfc(-x * 0.70710678118654752440)) }
        return -0.69314718055994530942 + gsl_sf_log_erfc(-x * 0.70710678118654752440)
    }

    /// log(Phi(b) - Phi(a)) for a <= b: the log of the standard normal mass on [a, b]. Works in the
    /// left tail by symmetry, as Optuna's `_log_gauss_mass` does.
    static func logGaussMass(_ a: Double, _ b: Double) -> Double {
        if b <= 0 { return leftTailLogMass(a, b) }
        if a > 0 { return leftTailLogMass(-b, -a) }
        // Central: 1 - Phi(a) - Phi(-b) without cancellation near 1.
        return log1p(-ndtr(a) - ndtr(-b))
    }

    /// log(Phi(b) - Phi(a)) for a <= b <= 0. While Phi(b) is a normal double (b > -37.5) the
    /// difference is taken directly: it loses no more than Optuna's log_diff(log_ndtr(b), log_ndtr(a)),
    /// whose exp(log Phi(a) - log Phi(b)) carries the same cancellation, and costs two erfcs and one
    /// log instead of two erfcs, three logs and an exp. Further out, the log-space form.
    @inline(__always)
    static func leftTailLogMass(_ a: Double, _ b: Double) -> Double {
        if b > -37.5 { return Foundation.log(ndtr(b) - ndtr(a)) }
        return logDifference(logNdtr(b), logNdtr(a))
    }

    /// log(exp(p) - exp(q)) for p >= q.
    @inline(__always)
    static func logDifference(_ p: Double, _ q: Double) -> Double {
        p + log1p(-Foundation.exp(q - p))
    }

    /// log(exp(p) + exp(q)).
    @inline(__always)
    static func logSum(_ p: Double, _ q: Double) -> Double {
        let high = max(p, q)
        if high == -.infinity { return -.infinity }
        return high + log1p(Foundation.exp(min(p, q) - high))
    }

    /// x with log Phi(x) = y (y <= 0), Optuna's `_ndtri_exp`: GSL's inverse CDF on exp(y), on the upper
    /// tail near y = 0, and Newton's method on `logNdtr` where exp(y) underflows.
    static func ndtriExp(_ y: Double) -> Double {
        if y >= 0 { return .infinity }
        if y > -1e-2 { return gsl_cdf_ugaussian_Qinv(-expm1(y)) }
        if y > -700 { return gsl_cdf_ugaussian_Pinv(Foundation.exp(y)) }
        if y == -.infinity { return -.infinity }
        // log Phi(x) ~ -x^2/2 - log(sqrt(2 pi)) - log(-x) far in the left tail; refine with Newton.
        var x = -(-2 * (y + logSqrtTwoPi)).squareRoot()
        for _ in 0..<100 {
            let logPhi = logNdtr(x)
            let logDensity = -0.5 * x * x - logSqrtTwoPi
            let dx = (logPhi - y) * Foundation.exp(logPhi - logDensity)
            x -= dx
            if abs(dx) < 1e-8 * abs(x) { break }
        }
        return x
    }

    /// The quantile q of the standard normal truncated to [a, b] (Optuna's `_truncnorm.ppf`).
    static func ppf(_ q: Double, _ a: Double, _ b: Double) -> Double {
        ppf(q, a, b, logMass: a == b ? .nan : logGaussMass(a, b))
    }

    /// `ppf(q, a, b)` given `logMass`, the value of `logGaussMass(a, b)`.
    static func ppf(_ q: Double, _ a: Double, _ b: Double, logMass: Double) -> Double {
        ppf(q, a, b, logMass: logMass, logTail: logNdtr(a < 0 ? a : -b))
    }

    /// `ppf(q, a, b, logMass:)` given `logTail`, the value of `logNdtr(a < 0 ? a : -b)`.
    static func ppf(_ q: Double, _ a: Double, _ b: Double, logMass: Double, logTail: Double) -> Double {
        if a == b { return .nan }
        if q == 0 { return a }
        if q == 1 { return b }
        if a < 0 {
            return ndtriExp(logSum(logTail, Foundation.log(q) + logMass))
        }
        return -ndtriExp(logSum(logTail, log1p(-q) + logMass))
    }

    /// The log density at x of N(mu, sigma) truncated to [low, high] (Optuna's `_truncnorm.logpdf`).
    static func logPdf(_ x: Double, mu: Double, sigma: Double, low: Double, high: Double) -> Double {
        let a = (low - mu) / sigma, b = (high - mu) / sigma
        if a == b { return .nan }
        if x < low || x > high { return -.infinity }
        let z = (x - mu) / sigma
        return -0.5 * z * z - logSqrtTwoPi - logGaussMass(a, b) - Foundation.log(sigma)
    }
}
