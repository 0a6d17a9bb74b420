import Foundation

/// How numbers read on charts and tables: four significant digits, as `%.4g` writes them.
public enum ValueFormat {
    /// `value` with at most four significant digits (`0.001235`, `1.235e+06`); `nan`, `inf`, `-inf` for the rest.
    public static func short(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", value)
    }

    /// `value` exactly, as Swift writes the shortest text that reads back to the same number.
    public static func exact(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}
