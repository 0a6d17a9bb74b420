import Foundation

/// Hand-written teachers, named as such: each maps the flat observation of its environment to an action.
public enum ScriptedTeacher: String, Sendable, Codable, CaseIterable {
    /// CartPole: push right when θ + θ̇ > 0.
    case cartPoleAngle = "cartpole-theta-plus-theta-dot"
    /// MountainCar: push in the direction of the velocity (pumps energy into the swing).
    case mountainCarVelocity = "mountaincar-follow-velocity"
    /// Acrobot: torque in the direction of θ̇2.
    case acrobotVelocity = "acrobot-follow-theta2-dot"
    /// Pendulum: pump energy while below the upright energy, PD control near the top.
    case pendulumEnergy = "pendulum-energy-pump-pd"
    /// Pong: predict where the ball meets the paddle's column and meet it with the paddle's end, so that the
    /// ball leaves steeply towards the side away from the opponent.
    case pongAim = "pong-aim-edge"
    /// Pong: keep the paddle's centre within 4 pixels of where the ball's centre will be 2 steps ahead (the
    /// rule of the DiffSES-format dataset, on native Pong); simple enough to distil into a small expression.
    case pongTrack = "pong-track-ball"

    /// The environment this teacher plays.
    public var environment: String {
        switch self {
        case .cartPoleAngle: return "CartPole-v1"
        case .mountainCarVelocity: return "MountainCar-v0"
        case .acrobotVelocity: return "Acrobot-v1"
        case .pendulumEnergy: return "Pendulum-v1"
        case .pongAim, .pongTrack: return "Pong"
        }
    }

    /// The default scripted teacher of an environment.
    public static func forEnvironment(_ id: String) -> ScriptedTeacher? { allCases.first { $0.environment == id } }

    /// The action for observation `o`.
    public func action(_ o: [Double]) -> Double {
        switch self {
        case .cartPoleAngle: return o[2] + o[3] > 0 ? 1 : 0
        case .mountainCarVelocity: return o[1] >= 0 ? 2 : 0
        case .acrobotVelocity: return o[5] > 0 ? 2 : 0
        case .pendulumEnergy:
            let theta = atan2(o[1], o[0]), thetaDot = o[2]
            if abs(theta) < 0.3 { return min(max(-(10 * theta + 2 * thetaDot), -2), 2) }
            return 0.5 * thetaDot * thetaDot + 15 * o[0] < 15 ? (thetaDot >= 0 ? 2 : -2) : 0
        case .pongAim: return Self.pongAction(o)
        case .pongTrack:
            let offset = o[5] + Self.ballHeight / 2 + 2 * o[7] - (o[1] + Self.paddleHeight / 2)
            return offset > 4 ? 2 : offset < -4 ? 1 : 0
        }
    }

    /// Native Pong's geometry as the aiming player assumes it (the defaults of `PongParameters`).
    static let courtTop = 34.0, courtBottom = 194.0, paddleHeight = 15.0, ballHeight = 4.0, meetX = 138.0
    static let paddleSpeed = 8.0

    static func pongAction(_ o: [Double]) -> Double {
        let paddleY = o[1], ballX = o[4], ballY = o[5], vx = o[6], vy = o[7], enemyCentre = o[9] + paddleHeight / 2
        let middle = (courtTop + courtBottom) / 2
        var target = middle - paddleHeight / 2
        if vx > 0 && ballX > 0 {
            // Unfold the wall bounces to find the ball's centre on the step it reaches the paddle's column.
            let steps = max(0, ((meetX - ballX) / vx).rounded(.up))
            let low = courtTop, span = courtBottom - ballHeight - courtTop
            var y = (ballY + vy * steps - low).truncatingRemainder(dividingBy: 2 * span)
            if y < 0 { y += 2 * span }
            if y > span { y = 2 * span - y }
            let ballCentre = low + y + ballHeight / 2
            // Of the paddle positions reachable on that step, take the one that still meets the ball and sends
            // it most steeply away from the opponent's side (the ball leaves at the angle of the contact point).
            let wanted: Double = enemyCentre < middle ? 1 : -1
            var best = paddleY, bestScore = -Double.infinity
            let reach = Int(steps) + 1
            for k in -reach...reach {
                let p = min(max(paddleY + Double(k) * paddleSpeed, courtTop), courtBottom - paddleHeight)
                let d = ballCentre - (p + paddleHeight / 2)
                guard abs(d) <= paddleHeight / 2 + ballHeight / 2 - 1 else { continue }
                let score = d * wanted + (d * wanted > 0 ? 100 : 0) - 0.01 * abs(Double(k))
                if score > bestScore { bestScore = score; best = p }
            }
            target = best
        } else if vx < 0 && ballX > 0 {
            target = ballY + ballHeight / 2 - paddleHeight / 2
        }
        if paddleY < target - paddleSpeed / 2 { return 2 }
        if paddleY > target + paddleSpeed / 2 { return 1 }
        return 0
    }
}
