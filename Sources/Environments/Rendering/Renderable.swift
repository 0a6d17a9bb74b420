import Foundation

/// An environment that draws itself as an Atari-like RGB frame.
public protocol Renderable {
    /// The current frame.
    func render() -> Frame
    /// The colour of each object type in rendered frames (what an extractor segments by).
    static var objectColours: [Int: RGB] { get }
}

extension Renderable {
    /// Writes the current frame as a PNG file.
    /// - Throws: `EnvironmentError.invalidFile` when the file cannot be written.
    public func writePNG(_ path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(render().png)) else {
            throw EnvironmentError.invalidFile(path, "cannot write the frame")
        }
    }
}

extension Pong: Renderable {
    /// Atari Pong's colours.
    public static let background = RGB(144, 72, 17), wall = RGB(236, 236, 236)
    public static let objectColours: [Int: RGB] = [0: RGB(92, 186, 92), 1: RGB(236, 236, 236), 2: RGB(213, 130, 74)]

    /// Walls above and below the court, the two paddles, and the ball while in play.
    public func render() -> Frame {
        var frame = Frame(width: Self.screenWidth, height: Self.screenHeight, fill: Self.background)
        let p = parameters
        frame.fillRectangle(x: 0, y: p.courtTop - 10, width: 160, height: 10, Self.wall)
        frame.fillRectangle(x: 0, y: p.courtBottom, width: 160, height: 16, Self.wall)
        frame.fillRectangle(x: Self.enemyX, y: enemyY, width: Self.paddleWidth, height: p.paddleHeight, Self.objectColours[2]!)
        frame.fillRectangle(x: Self.playerX, y: playerY, width: Self.paddleWidth, height: p.paddleHeight, Self.objectColours[0]!)
        if ballVisible {
            frame.fillRectangle(x: ballX, y: ballY, width: Self.ballWidth, height: Self.ballHeight, Self.objectColours[1]!)
        }
        return frame
    }
}

extension Freeway: Renderable {
    public static let road = RGB(142, 142, 142), kerb = RGB(170, 170, 170)
    public static let objectColours: [Int: RGB] = [0: RGB(252, 252, 84), 1: RGB(210, 164, 74)]

    /// The road, the lane kerbs, the cars and the chicken.
    public func render() -> Frame {
        var frame = Frame(width: 160, height: 210, fill: Self.road)
        frame.fillRectangle(x: 0, y: Self.laneTop - 2, width: 160, height: 2, Self.kerb)
        frame.fillRectangle(x: 0, y: Self.laneTop + Double(Self.laneCount) * Self.laneHeight, width: 160, height: 2, Self.kerb)
        for lane in 0..<Self.laneCount {
            frame.fillRectangle(x: carX[lane], y: Self.carY(lane), width: Self.carWidth, height: Self.carHeight, Self.objectColours[1]!)
        }
        frame.fillRectangle(x: Self.chickenX, y: chickenY, width: Self.chickenWidth, height: Self.chickenHeight, Self.objectColours[0]!)
        return frame
    }
}
