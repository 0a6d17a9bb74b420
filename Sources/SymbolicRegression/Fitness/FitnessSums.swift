/// The sums the evaluator accumulates in the same pass as the program's output, from which every fused metric
/// follows: weighted counts, absolute and squared errors, and the moments of the prediction `p` (shifted by
/// `shift`, the program's first output) against the centred target `yc`.
struct FitnessSums {
    var weight = 0.0
    var absoluteError = 0.0
    var squaredError = 0.0
    var p = 0.0
    var pp = 0.0
    var py = 0.0
    var y = 0.0
    var yy = 0.0
    /// Weighted count of rows whose rounded, clamped prediction equals the target (`Metric.roundedAccuracy`).
    var hits = 0.0
    var shift = 0.0

    /// The part of `self` not in `other` (out-of-bag sums from the total and the in-bag ones).
    func subtracting(_ other: FitnessSums) -> FitnessSums {
        var r = FitnessSums()
        r.weight = weight - other.weight
        r.absoluteError = absoluteError - other.absoluteError
        r.squaredError = squaredError - other.squaredError
        r.p = p - other.p
        r.pp = pp - other.pp
        r.py = py - other.py
        r.y = y - other.y
        r.yy = yy - other.yy
        r.hits = hits - other.hits
        r.shift = shift
        return r
    }

    var meanAbsoluteError: Double { absoluteError / weight }
    var meanSquaredError: Double { squaredError / weight }
    /// Variance of the target (weighted, population).
    var targetVariance: Double {
        let mean = y / weight
        return max(0, yy / weight - mean * mean)
    }
    var predictionVariance: Double {
        let mean = p / weight
        return max(0, pp / weight - mean * mean)
    }
    var covariance: Double { py / weight - (p / weight) * (y / weight) }

    /// Pearson's correlation, 0 when either side is constant (gplearn's convention).
    var correlation: Double {
        let vp = predictionVariance, vy = targetVariance
        guard vp > 0, vy > 0 else { return 0 }
        let r = covariance / (vp * vy).squareRoot()
        return r.isFinite ? Swift.min(1, Swift.max(-1, r)) : 0
    }

    /// 1 - SSE/SST of the raw prediction.
    var r2: Double {
        let sst = targetVariance * weight
        guard sst > 0 else { return squaredError == 0 ? 1 : 0 }
        return 1 - squaredError / sst
    }

    /// R2 after the best affine map a + b p (least squares): the squared correlation.
    var scaledR2: Double { let r = correlation; return r * r }
    /// Mean squared error after the best affine map.
    var scaledMeanSquaredError: Double { targetVariance * (1 - scaledR2) }

    /// The least-squares scale and offset of `a + b * p` (for the final program).
    var scaling: (offset: Double, scale: Double) {
        let vp = predictionVariance
        guard vp > 0 else { return (y / weight, 0) }
        let b = covariance / vp
        return (y / weight - b * (p / weight + shift), b)
    }
}
