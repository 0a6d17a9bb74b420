/// An action space, as Gymnasium's `Discrete(n)` and `Box(low, high)`.
public enum ActionSpace: Sendable, Equatable, CustomStringConvertible {
    /// Actions 0..<count.
    case discrete(Int)
    /// Real vectors with per-component bounds.
    case box(low: [Double], high: [Double])

    /// The number of discrete actions, or nil for a box.
    public var discreteCount: Int? {
        if case .discrete(let n) = self { return n }
        return nil
    }

    /// The dimension of a box, or nil for a discrete space.
    public var boxDimension: Int? {
        if case .box(let low, _) = self { return low.count }
        return nil
    }

    public var description: String {
        switch self {
        case .discrete(let n): return "Discrete(\(n))"
        case .box(let low, let high): return "Box(\(low), \(high))"
        }
    }
}

/// An action as decoded from outside (a JSON file, a Python bridge, a policy's output).
public enum ActionValue: Sendable, Equatable, CustomStringConvertible {
    case discrete(Int)
    case continuous([Double])

    public var description: String {
        switch self {
        case .discrete(let a): return "\(a)"
        case .continuous(let v): return "\(v)"
        }
    }
}
