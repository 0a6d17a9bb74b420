/// Colours for numbers: a perceptually ordered ramp (dark blue through teal to yellow, like viridis), sampled
/// from a few anchor colours and interpolated in RGB.
public enum ColorScale {
    private static let anchors: [(Double, Double, Double)] = [
        (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]

    /// The colour at `fraction` in [0, 1] (clamped; NaN gives grey), as `#rrggbb`.
    public static func color(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "#999999" }
        let t = min(max(fraction, 0), 1) * Double(anchors.count - 1)
        let index = min(Int(t), anchors.count - 2)
        let local = t - Double(index)
        let a = anchors[index], b = anchors[index + 1]
        return hex(a.0 + (b.0 - a.0) * local, a.1 + (b.1 - a.1) * local, a.2 + (b.2 - a.2) * local)
    }

    /// Fixed colours of trial states.
    public static let complete = "#1f77b4"
    public static let pruned = "#ff7f0e"
    public static let running = "#2ca02c"
    public static let failed = "#d62728"
    public static let waiting = "#7f7f7f"
    public static let best = "#d62728"
    public static let muted = "#bbbbbb"

    private static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = Array("0123456789abcdef")
        var out = "#"
        for component in [r, g, b] {
            let byte = Int(min(max(component.rounded(), 0), 255))
            out.append(digits[byte >> 4])
            out.append(digits[byte & 15])
        }
        return out
    }
}
