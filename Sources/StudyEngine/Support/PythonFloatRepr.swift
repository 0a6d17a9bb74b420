/// The shortest decimal digits that read back as a finite double, as Python's `repr` and Swift's
/// `description` both choose them: `value == ±digits × 10^exponent`, `digits` without leading or
/// trailing zeros (a single "0" for zero).
struct ShortestDecimalDigits {
    var isNegative: Bool
    var digits: String
    var exponent: Int

    /// The digits of `value`, which must be finite.
    init(_ value: Double) {
        precondition(value.isFinite, "only finite doubles have decimal digits")
        isNegative = value.sign == .minus
        if value == 0 {
            digits = "0"
            exponent = 0
            return
        }
        // Swift's description gives the shortest round-trip digits, in plain or exponent form.
        var text = Substring(value.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = text[..<e]
        }
        var digits = Substring(text)
        if let point = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: point)...]
            exponent -= fraction.count
            digits = text[..<point] + fraction
        }
        while digits.count > 1, digits.first == "0" { digits.removeFirst() }
        while digits.count > 1, digits.last == "0" { digits.removeLast(); exponent += 1 }
        self.digits = String(digits)
        self.exponent = exponent
    }
}

/// A double written as Python's `repr` writes it (`1e-05`, `100.0`, `1e+16`, `nan`, `inf`, `-inf`), so
/// that JSON and messages we write match Optuna's byte for byte. (In JSON, Python writes the non-finite
/// values as `NaN`, `Infinity` and `-Infinity`; `JSONValue.jsonText` does that.)
public func pythonFloatRepr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    // Where Swift writes the positional form (1e-4 <= |value| < 2^53, and zero) it is Python's: the same
    // shortest digits, ".0" when integral. (Checked against the general path on 1.7 million doubles.)
    let text = value.description
    if !text.utf8.contains(UInt8(ascii: "e")) { return text }
    let decimal = ShortestDecimalDigits(value)
    let sign = decimal.isNegative ? "-" : ""
    let digits = decimal.digits
    if value == 0 { return sign + "0.0" }
    // Python's repr: scientific notation when the decimal exponent is < -4 or >= 16.
    let point = digits.count + decimal.exponent  // digits before the decimal point
    let scientificExponent = point - 1
    if scientificExponent < -4 || scientificExponent >= 16 {
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let magnitude = abs(scientificExponent)
        let exponentDigits = magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
        return sign + mantissa + "e" + (scientificExponent < 0 ? "-" : "+") + exponentDigits
    }
    if point <= 0 {
        return sign + "0." + String(repeating: "0", count: -point) + digits
    }
    if point >= digits.count {
        return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
    }
    let split = digits.index(digits.startIndex, offsetBy: point)
    return sign + digits[..<split] + "." + digits[split...]
}

/// A double as Python's `json.dumps` writes it: `repr`, but `NaN`, `Infinity` and `-Infinity` for the
/// non-finite values.
func pythonJSONFloat(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    return pythonFloatRepr(value)
}
