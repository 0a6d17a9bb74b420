/// An object-level Pong against a scripted opponent, with Atari Pong's geometry and OCAtari's object types,
/// so that a policy learnt here can be run on the real game through the bridge (`ocatari:Pong-v5`).
///
/// Actions: 0 NOOP, 1 UP, 2 DOWN (ALE's 0, 2, 3: `aleAction`). Reward +1 when the opponent misses, −1 when
/// the player misses; the game ends when a side reaches `pointsToWin` (terminated) or after `maxSteps`
/// (truncated). Objects (OCAtari's, top-left corners in screen pixels, velocities as the difference from the
/// previous step): Player 0 (x = 140), Ball 1, Enemy 2 (x = 16). The flat observation is the three objects'
/// (x, y, x-velocity, y-velocity) in that order; an absent ball (during `serveDelay`) reads as zeros.
public struct Pong: Environment {
    public typealias Action = Int

    /// Fixed geometry of the screen and the paddles' columns.
    public static let screenWidth = 160, screenHeight = 210
    public static let playerX = 140.0, enemyX = 16.0, paddleWidth = 4.0, ballWidth = 2.0, ballHeight = 4.0
    /// ALE's action ids for NOOP, UP, DOWN.
    public static let aleActions = [0, 2, 3]

    public private(set) var parameters: PongParameters
    public var playerY = 0.0, enemyY = 0.0
    public var ballX = 0.0, ballY = 0.0, ballVX = 0.0, ballVY = 0.0
    public private(set) var playerScore = 0, enemyScore = 0
    /// Steps until the ball is served again (0: in play).
    public private(set) var servePause = 0
    var previous = (playerY: 0.0, enemyY: 0.0, ballX: 0.0, ballY: 0.0, ballVisible: false)
    public private(set) var elapsedSteps = 0
    var generator = SeededGenerator(seed: 0)

    /// - Throws: `EnvironmentError.invalidParameter` for parameters out of range.
    public init(seed: UInt64 = 0, parameters: PongParameters) throws {
        self.parameters = try parameters.validated()
        reset(seed: seed)
    }

    public init(seed: UInt64 = 0) {
        parameters = PongParameters()
        reset(seed: seed)
    }

    /// ALE's id of a native action.
    public static func aleAction(_ action: Int) -> Int { aleActions[action] }

    public var id: String { "Pong" }
    public var actionSpace: ActionSpace { .discrete(3) }
    public var observationCount: Int { 12 }
    public var stateLayout: [String] {
        ["player_y", "enemy_y", "ball_x", "ball_y", "ball_vx", "ball_vy", "player_score", "enemy_score", "serve_pause",
         "previous_player_y", "previous_enemy_y", "previous_ball_x", "previous_ball_y", "previous_ball_visible"]
    }
    public var maxEpisodeSteps: Int { parameters.maxSteps }
    public var ballVisible: Bool { servePause == 0 }

    public mutating func reset(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        reset()
    }

    public mutating func reset() {
        let middle = ((parameters.courtTop + parameters.courtBottom - parameters.paddleHeight) / 2).rounded()
        playerY = middle
        enemyY = middle
        playerScore = 0
        enemyScore = 0
        elapsedSteps = 0
        serve(towardsPlayer: generator.next() & 1 == 0)
        servePause = 0
        previous = (playerY, enemyY, ballX, ballY, true)
    }

    /// Puts the ball in the middle, moving towards one side with a random vertical speed.
    mutating func serve(towardsPlayer: Bool) {
        ballX = Double(Self.screenWidth) / 2 - Self.ballWidth / 2
        ballY = ((parameters.courtTop + parameters.courtBottom - Self.ballHeight) / 2).rounded()
        ballVX = towardsPlayer ? parameters.ballSpeed : -parameters.ballSpeed
        let choices = [-1.0, -0.5, 0.5, 1.0]
        ballVY = (choices[Int(generator.next() % 4)] * parameters.maxBallVerticalSpeed).rounded()
        servePause = parameters.serveDelay
    }

    public mutating func step(_ action: Int) -> Transition {
        previous = (playerY, enemyY, ballX, ballY, ballVisible)
        let p = parameters
        let lowest = p.courtBottom - p.paddleHeight
        if action == 1 { playerY -= p.paddleSpeed } else if action == 2 { playerY += p.paddleSpeed }
        playerY = min(max(playerY, p.courtTop), lowest)
        moveOpponent()
        elapsedSteps += 1
        var reward = 0.0
        if servePause > 0 {
            servePause -= 1
        } else {
            ballX += ballVX
            ballY += ballVY
            if ballY < p.courtTop { ballY = 2 * p.courtTop - ballY; ballVY = -ballVY }
            let ballLowest = p.courtBottom - Self.ballHeight
            if ballY > ballLowest { ballY = 2 * ballLowest - ballY; ballVY = -ballVY }
            if ballVX > 0, ballX + Self.ballWidth >= Self.playerX, ballX < Self.playerX + Self.paddleWidth,
               overlaps(playerY) {
                bounce(off: playerY, towardsPlayer: false)
            } else if ballVX < 0, ballX <= Self.enemyX + Self.paddleWidth, ballX + Self.ballWidth > Self.enemyX,
                      overlaps(enemyY) {
                bounce(off: enemyY, towardsPlayer: true)
            } else if ballX >= Double(Self.screenWidth) {
                enemyScore += 1
                reward = -1
                serve(towardsPlayer: true)
            } else if ballX + Self.ballWidth <= 0 {
                playerScore += 1
                reward = 1
                serve(towardsPlayer: false)
            }
        }
        let terminated = playerScore >= p.pointsToWin || enemyScore >= p.pointsToWin
        return Transition(reward: reward, terminated: terminated, truncated: elapsedSteps >= p.maxSteps)
    }

    func overlaps(_ paddleY: Double) -> Bool {
        ballY + Self.ballHeight > paddleY && ballY < paddleY + parameters.paddleHeight
    }

    /// Reverses the ball; its vertical speed follows where it met the paddle (the ends give the steepest).
    mutating func bounce(off paddleY: Double, towardsPlayer: Bool) {
        let offset = ((ballY + Self.ballHeight / 2) - (paddleY + parameters.paddleHeight / 2)) / (parameters.paddleHeight / 2 + Self.ballHeight / 2)
        ballVY = (min(max(offset, -1), 1) * parameters.maxBallVerticalSpeed).rounded()
        ballVX = towardsPlayer ? parameters.ballSpeed : -parameters.ballSpeed
        ballX = towardsPlayer ? Self.enemyX + Self.paddleWidth : Self.playerX - Self.ballWidth
    }

    /// The scripted opponent: follows the ball's centre while the ball comes towards it, else drifts back to the
    /// middle; it reacts on a step with probability `opponentSkill`.
    mutating func moveOpponent() {
        let p = parameters
        guard p.opponentSkill >= 1 || generator.nextUnit() < p.opponentSkill else { return }
        let target = ballVX < 0 && ballVisible
            ? ballY + Self.ballHeight / 2 - p.paddleHeight / 2
            : (p.courtTop + p.courtBottom - p.paddleHeight) / 2
        let move = min(max(target - enemyY, -p.opponentSpeed), p.opponentSpeed)
        enemyY = min(max((enemyY + move).rounded(), p.courtTop), p.courtBottom - p.paddleHeight)
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = Self.playerX; buffer[1] = playerY; buffer[2] = 0; buffer[3] = playerY - previous.playerY
        if ballVisible {
            buffer[4] = ballX; buffer[5] = ballY
            buffer[6] = previous.ballVisible ? ballX - previous.ballX : 0
            buffer[7] = previous.ballVisible ? ballY - previous.ballY : 0
        } else {
            for i in 4..<8 { buffer[i] = 0 }
        }
        buffer[8] = Self.enemyX; buffer[9] = enemyY; buffer[10] = 0; buffer[11] = enemyY - previous.enemyY
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        objects.append(ObjectState(type: 0, x: Self.playerX, y: playerY, xVelocity: 0, yVelocity: playerY - previous.playerY,
                                   width: Self.paddleWidth, height: parameters.paddleHeight))
        if ballVisible {
            objects.append(ObjectState(type: 1, x: ballX, y: ballY,
                                       xVelocity: previous.ballVisible ? ballX - previous.ballX : 0,
                                       yVelocity: previous.ballVisible ? ballY - previous.ballY : 0,
                                       width: Self.ballWidth, height: Self.ballHeight))
        }
        objects.append(ObjectState(type: 2, x: Self.enemyX, y: enemyY, xVelocity: 0, yVelocity: enemyY - previous.enemyY,
                                   width: Self.paddleWidth, height: parameters.paddleHeight))
    }

    public var state: [Double] {
        [playerY, enemyY, ballX, ballY, ballVX, ballVY, Double(playerScore), Double(enemyScore), Double(servePause),
         previous.playerY, previous.enemyY, previous.ballX, previous.ballY, previous.ballVisible ? 1 : 0]
    }

    public mutating func setState(_ values: [Double]) throws {
        let v = try validatedState(values)
        (playerY, enemyY, ballX, ballY, ballVX, ballVY) = (v[0], v[1], v[2], v[3], v[4], v[5])
        playerScore = Int(v[6]); enemyScore = Int(v[7]); servePause = max(0, Int(v[8]))
        previous = (v[9], v[10], v[11], v[12], v[13] != 0)
        elapsedSteps = 0
    }

    public func action(_ value: ActionValue) throws -> Int { try discreteAction(value) }
}
