/// One object of the DiffSES object-level state: a type id, a position and a velocity.
///
/// Games use screen pixels (x to the right, y downwards, the object's top-left corner, as OCAtari reports);
/// classic control uses the bodies' physical coordinates in the environment's own units. Velocities are
/// per step. `width` and `height` are the object's size where it has one on screen (0 otherwise); they are
/// not part of the DiffSES record.
public struct ObjectState: Sendable, Equatable, Codable {
    public var type: Int
    public var x: Double
    public var y: Double
    public var xVelocity: Double
    public var yVelocity: Double
    public var width: Double
    public var height: Double

    public init(type: Int, x: Double, y: Double, xVelocity: Double = 0, yVelocity: Double = 0,
                width: Double = 0, height: Double = 0) {
        self.type = type
        self.x = x
        self.y = y
        self.xVelocity = xVelocity
        self.yVelocity = yVelocity
        self.width = width
        self.height = height
    }

    enum CodingKeys: String, CodingKey {
        case type, x = "x_position", y = "y_position", xVelocity = "x_velocity", yVelocity = "y_velocity"
        case width, height
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(Int.self, forKey: .type)
        x = try c.decode(Double.self, forKey: .x)
        y = try c.decode(Double.self, forKey: .y)
        xVelocity = try c.decodeIfPresent(Double.self, forKey: .xVelocity) ?? 0
        yVelocity = try c.decodeIfPresent(Double.self, forKey: .yVelocity) ?? 0
        width = try c.decodeIfPresent(Double.self, forKey: .width) ?? 0
        height = try c.decodeIfPresent(Double.self, forKey: .height) ?? 0
    }

    /// Encodes the DiffSES fields only (`type`, `x_velocity`, `y_velocity`, `x_position`, `y_position`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(xVelocity, forKey: .xVelocity)
        try c.encode(yVelocity, forKey: .yVelocity)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
    }
}
