/// An object-level Freeway: a chicken (type 0) crosses ten lanes of cars (type 1) from the bottom of the
/// 160×210 screen to the top, +1 per crossing, for a fixed game time (`gameSteps`, then terminated). A car
/// that hits the chicken pushes it back down and stuns it for a few steps. Actions: 0 NOOP, 1 UP, 2 DOWN
/// (ALE's Freeway ids are the same). Cars of the top five lanes drive left, of the bottom five right, each
/// lane at its own speed; they wrap around the screen.
///
/// The flat observation is the chicken's (x, y, x-velocity, y-velocity) then each car's, top lane first.
public struct Freeway: Environment {
    public typealias Action = Int

    public static let chickenX = 44.0, chickenWidth = 6.0, chickenHeight = 8.0
    public static let carWidth = 8.0, carHeight = 8.0
    public static let laneCount = 10, laneTop = 23.0, laneHeight = 16.0
    /// The chicken's start (bottom) and goal (top) rows.
    public static let startY = 187.0, goalY = 19.0

    /// Pixels per step of the chicken.
    public var chickenSpeed = 3.0
    /// Pixels per step of each lane's cars, top lane first (negative: to the left).
    public var laneSpeeds: [Double] = [-1, -2, -3, -4, -5, 5, 4, 3, 2, 1]
    /// Steps of one game.
    public var gameSteps = 2048
    /// Steps the chicken cannot move after a hit, and pixels it is pushed back.
    public var stunSteps = 8, pushBack = 12.0

    public var chickenY = 0.0
    public var carX: [Double] = []
    public private(set) var score = 0
    public private(set) var stunned = 0
    var previousChickenY = 0.0
    var previousCarX: [Double] = []
    public private(set) var elapsedSteps = 0
    var generator = SeededGenerator(seed: 0)

    public init(seed: UInt64 = 0) { reset(seed: seed) }

    public var id: String { "Freeway" }
    public var actionSpace: ActionSpace { .discrete(3) }
    public var observationCount: Int { 4 * (1 + Self.laneCount) }
    public var stateLayout: [String] {
        ["chicken_y", "score", "stunned", "previous_chicken_y"] + (0..<Self.laneCount).map { "car\($0)_x" }
            + (0..<Self.laneCount).map { "previous_car\($0)_x" }
    }
    public var maxEpisodeSteps: Int { gameSteps }

    /// The top edge of lane `lane`'s cars.
    public static func carY(_ lane: Int) -> Double { laneTop + Double(lane) * laneHeight + (laneHeight - carHeight) / 2 }

    public mutating func reset(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        reset()
    }

    public mutating func reset() {
        chickenY = Self.startY
        previousChickenY = chickenY
        carX = (0..<Self.laneCount).map { _ in (generator.nextUnit() * 152).rounded() }
        previousCarX = carX
        score = 0
        stunned = 0
        elapsedSteps = 0
    }

    public mutating func step(_ action: Int) -> Transition {
        previousChickenY = chickenY
        for lane in 0..<Self.laneCount {
            previousCarX[lane] = carX[lane]
            var x = carX[lane] + laneSpeeds[lane]
            if x >= 160 { x -= 160 + Self.carWidth } else if x <= -Self.carWidth { x += 160 + Self.carWidth }
            carX[lane] = x
        }
        var reward = 0.0
        if stunned > 0 {
            stunned -= 1
        } else if action == 1 {
            chickenY -= chickenSpeed
        } else if action == 2 {
            chickenY = min(chickenY + chickenSpeed, Self.startY)
        }
        if chickenY <= Self.goalY {
            score += 1
            reward = 1
            chickenY = Self.startY
        } else if stunned == 0, let _ = (0..<Self.laneCount).first(where: hits) {
            stunned = stunSteps
            chickenY = min(chickenY + pushBack, Self.startY)
        }
        elapsedSteps += 1
        let over = elapsedSteps >= gameSteps
        return Transition(reward: reward, terminated: over, truncated: over)
    }

    func hits(_ lane: Int) -> Bool {
        let y = Self.carY(lane), x = carX[lane]
        return chickenY < y + Self.carHeight && chickenY + Self.chickenHeight > y
            && Self.chickenX < x + Self.carWidth && Self.chickenX + Self.chickenWidth > x
    }

    /// A car's x-velocity: its last move, not the jump of a wrap around the screen.
    func carVelocity(_ lane: Int) -> Double {
        let moved = carX[lane] - previousCarX[lane], period = 160 + Self.carWidth
        if moved > period / 2 { return moved - period }
        if moved < -period / 2 { return moved + period }
        return moved
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = Self.chickenX; buffer[1] = chickenY; buffer[2] = 0; buffer[3] = chickenY - previousChickenY
        for lane in 0..<Self.laneCount {
            let b = 4 * (lane + 1)
            buffer[b] = carX[lane]; buffer[b + 1] = Self.carY(lane); buffer[b + 2] = carVelocity(lane); buffer[b + 3] = 0
        }
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        objects.append(ObjectState(type: 0, x: Self.chickenX, y: chickenY, xVelocity: 0, yVelocity: chickenY - previousChickenY,
                                   width: Self.chickenWidth, height: Self.chickenHeight))
        for lane in 0..<Self.laneCount {
            objects.append(ObjectState(type: 1, x: carX[lane], y: Self.carY(lane), xVelocity: carVelocity(lane),
                                       yVelocity: 0, width: Self.carWidth, height: Self.carHeight))
        }
    }

    public var state: [Double] { [chickenY, Double(score), Double(stunned), previousChickenY] + carX + previousCarX }

    public mutating func setState(_ values: [Double]) throws {
        let v = try validatedState(values)
        chickenY = v[0]; score = Int(v[1]); stunned = max(0, Int(v[2])); previousChickenY = v[3]
        carX = Array(v[4..<(4 + Self.laneCount)])
        previousCarX = Array(v[(4 + Self.laneCount)...])
        elapsedSteps = 0
    }

    public func action(_ value: ActionValue) throws -> Int { try discreteAction(value) }
}
