/// Python's `decimal.Decimal` arithmetic in its default context (28 significant digits, rounding half
/// to even), on numbers made from the shortest digits of doubles as `Decimal(str(x))` makes them.
/// Optuna's float step rules (`_adjust_discrete_uniform_high`, `FloatDistribution.single`) compute in
/// it, so we do too, to accept and reject exactly the steps Optuna accepts and adjusts.
///
/// Operations return nil when an exact intermediate needs more than 38 digits (bounds whose magnitudes
/// differ by more than about 10^20); callers then fall back to binary arithmetic.
struct PythonDecimal: Comparable {
    /// Signed coefficient; the value is `coefficient × 10^exponent`.
    var coefficient: Int128
    var exponent: Int

    static let precision = 28
    private static let precisionLimit: Int128 = power(28)

    static func power(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<n { result *= 10 }
        return result
    }

    init(coefficient: Int128, exponent: Int) {
        self.coefficient = coefficient
        self.exponent = exponent
    }

    /// `Decimal(str(value))` for a finite double.
    init(_ value: Double) {
        let digits = ShortestDecimalDigits(value)
        let magnitude = Int128(digits.digits)!
        self.init(coefficient: digits.isNegative ? -magnitude : magnitude, exponent: digits.exponent)
    }

    /// The exact integer `value` (as an int distribution's bounds are).
    init(integer value: Int) { self.init(coefficient: Int128(value), exponent: 0) }

    /// The nearest double (`float(decimal)`).
    var doubleValue: Double { Double("\(coefficient)e\(exponent)")! }

    /// Rounded to 28 significant digits, half to even, as the default context rounds every result.
    func rounded() -> PythonDecimal {
        var result = self
        var dropped: Int128 = 0  // the last digit removed
        var sticky = false  // any non-zero digit removed before it
        while result.coefficient.magnitude >= Self.precisionLimit.magnitude {
            if dropped != 0 { sticky = true }
            dropped = result.coefficient % 10
            result.coefficient /= 10
            result.exponent += 1
        }
        let digit = dropped.magnitude
        if digit > 5 || (digit == 5 && (sticky || result.coefficient % 2 != 0)) {
            result.coefficient += result.coefficient < 0 || (result.coefficient == 0 && dropped < 0) ? -1 : 1
        }
        return result
    }

    /// Both coefficients at the smaller exponent, or nil when that overflows.
    private static func aligned(_ a: PythonDecimal, _ b: PythonDecimal) -> (Int128, Int128, Int)? {
        let exponent = min(a.exponent, b.exponent)
        func scale(_ x: PythonDecimal) -> Int128? {
            let shift = x.exponent - exponent
            guard shift <= 38 else { return x.coefficient == 0 ? 0 : nil }
            let (product, overflow) = x.coefficient.multipliedReportingOverflow(by: power(shift))
            return overflow ? nil : product
        }
        guard let scaledA = scale(a), let scaledB = scale(b) else { return nil }
        return (scaledA, scaledB, exponent)
    }

    static func subtracting(_ a: PythonDecimal, _ b: PythonDecimal) -> PythonDecimal? {
        guard let (x, y, exponent) = aligned(a, b) else { return nil }
        let (difference, overflow) = x.subtractingReportingOverflow(y)
        return overflow ? nil : PythonDecimal(coefficient: difference, exponent: exponent).rounded()
    }

    static func adding(_ a: PythonDecimal, _ b: PythonDecimal) -> PythonDecimal? {
        guard let (x, y, exponent) = aligned(a, b) else { return nil }
        let (sum, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : PythonDecimal(coefficient: sum, exponent: exponent).rounded()
    }

    /// `a // b` and `a % b` (quotient truncated toward zero, remainder with the sign of `a`).
    static func quotientAndRemainder(_ a: PythonDecimal, _ b: PythonDecimal) -> (quotient: PythonDecimal, remainder: PythonDecimal)? {
        guard b.coefficient != 0, let (x, y, exponent) = aligned(a, b) else { return nil }
        let (quotient, remainder) = x.quotientAndRemainder(dividingBy: y)
        return (PythonDecimal(coefficient: quotient, exponent: 0), PythonDecimal(coefficient: remainder, exponent: exponent))
    }

    static func multiplying(_ a: PythonDecimal, _ b: PythonDecimal) -> PythonDecimal? {
        let (product, overflow) = a.coefficient.multipliedReportingOverflow(by: b.coefficient)
        return overflow ? nil : PythonDecimal(coefficient: product, exponent: a.exponent + b.exponent).rounded()
    }

    var isZero: Bool { coefficient == 0 }

    static func < (a: PythonDecimal, b: PythonDecimal) -> Bool {
        guard let difference = subtracting(a, b) else { return a.doubleValue < b.doubleValue }
        return difference.coefficient < 0
    }

    static func == (a: PythonDecimal, b: PythonDecimal) -> Bool {
        guard let difference = subtracting(a, b) else { return a.doubleValue == b.doubleValue }
        return difference.coefficient == 0
    }
}
