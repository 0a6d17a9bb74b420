/// The physical parameters of `Pong`, settable so that a policy can be tested on a changed game. Defaults
/// follow Atari Pong as OCAtari reports it (160×210 screen, paddles 4×15 at x = 140 and 16, ball 2×4), with
/// speeds in pixels per step (ALE v5 steps are 4 frames).
public struct PongParameters: Sendable, Equatable, Codable {
    /// Pixels the player's paddle moves per UP or DOWN step.
    public var paddleSpeed = 8.0
    /// Paddle height (both paddles), pixels.
    public var paddleHeight = 15.0
    /// Horizontal ball speed, pixels per step.
    public var ballSpeed = 4.0
    /// Largest vertical ball speed, reached when the ball meets a paddle's end.
    public var maxBallVerticalSpeed = 8.0
    /// Top and bottom of the court (the inner edges of the walls), pixels.
    public var courtTop = 34.0
    public var courtBottom = 194.0
    /// Largest speed of the scripted opponent, pixels per step.
    public var opponentSpeed = 4.0
    /// Chance per step that the opponent reacts to the ball (1 = every step).
    public var opponentSkill = 0.8
    /// Points that end the game.
    public var pointsToWin = 21
    /// Steps after which the episode is truncated.
    public var maxSteps = 27_000
    /// Steps the ball stays out of play after a point (absent from the objects, as in Atari Pong).
    public var serveDelay = 0

    public init() {}

    /// Checks every parameter.
    /// - Throws: `EnvironmentError.invalidParameter` naming the parameter and its valid range.
    public func validated() throws -> PongParameters {
        func check(_ ok: Bool, _ what: String) throws {
            if !ok { throw EnvironmentError.invalidParameter("Pong", what) }
        }
        try check(paddleSpeed > 0 && paddleSpeed <= 50, "paddleSpeed must be in (0, 50], not \(paddleSpeed)")
        try check(paddleHeight >= 2 && paddleHeight <= 100, "paddleHeight must be in [2, 100], not \(paddleHeight)")
        try check(ballSpeed > 0 && ballSpeed <= 12, "ballSpeed must be in (0, 12], not \(ballSpeed)")
        try check(maxBallVerticalSpeed >= 0 && maxBallVerticalSpeed <= 20, "maxBallVerticalSpeed must be in [0, 20], not \(maxBallVerticalSpeed)")
        try check(courtTop >= 0 && courtBottom <= 210 && courtBottom - courtTop >= paddleHeight + 8,
                  "courtTop (\(courtTop)) and courtBottom (\(courtBottom)) must lie in [0, 210] and leave room for a paddle")
        try check(opponentSpeed >= 0 && opponentSpeed <= 50, "opponentSpeed must be in [0, 50], not \(opponentSpeed)")
        try check(opponentSkill >= 0 && opponentSkill <= 1, "opponentSkill must be in [0, 1], not \(opponentSkill)")
        try check(pointsToWin >= 1, "pointsToWin must be at least 1, not \(pointsToWin)")
        try check(maxSteps >= 1, "maxSteps must be at least 1, not \(maxSteps)")
        try check(serveDelay >= 0, "serveDelay must be at least 0, not \(serveDelay)")
        return self
    }
}
