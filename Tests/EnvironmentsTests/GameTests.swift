@testable import Environments
import Foundation
import Testing

/// A policy that follows the ball with the paddle's centre (a plain scripted player, for tests).
func followBall(_ pong: Pong) -> Int {
    guard pong.ballVisible else { return 0 }
    let centre = pong.playerY + pong.parameters.paddleHeight / 2, ball = pong.ballY + Pong.ballHeight / 2
    return ball < centre - 2 ? 1 : ball > centre + 2 ? 2 : 0
}

@Suite struct PongTests {
    @Test func geometryAndTypesFollowOCAtari() {
        let pong = Pong(seed: 1)
        let objects = pong.objects
        #expect(objects.map(\.type) == [0, 1, 2])
        #expect(objects[0].x == 140 && objects[2].x == 16)
        #expect(objects[0].width == 4 && objects[0].height == 15 && objects[1].width == 2 && objects[1].height == 4)
        #expect(Pong.aleActions == [0, 2, 3])
        let frame = pong.render()
        #expect(frame.width == 160 && frame.height == 210)
    }

    @Test func pointsAreScoredAndTheGameEndsAt21() {
        var pong = Pong(seed: 2)
        var total = 0.0, steps = 0, done = false
        while !done {
            let t = pong.step(0)  // a player that never moves loses most points
            total += t.reward
            done = t.terminated
            steps += 1
        }
        #expect(pong.playerScore == 21 || pong.enemyScore == 21)
        #expect(total == Double(pong.playerScore - pong.enemyScore))
        #expect(pong.enemyScore == 21)
    }

    @Test func followingTheBallReturnsIt() {
        var pong = Pong(seed: 3)
        for _ in 0..<2000 { _ = pong.step(followBall(pong)) }
        #expect(pong.enemyScore == 0, "the follower misses no ball: \(pong.playerScore)-\(pong.enemyScore)")
    }

    @Test func parametersAreCheckedAndChangeTheGame() throws {
        var parameters = PongParameters()
        parameters.paddleHeight = 1
        #expect(throws: EnvironmentError.self) { try Pong(parameters: parameters) }
        parameters = PongParameters()
        parameters.paddleHeight = 30
        parameters.ballSpeed = 6
        let pong = try Pong(seed: 0, parameters: parameters)
        #expect(pong.objects[0].height == 30)
        #expect(abs(pong.ballVX) == 6)
    }

    @Test func stateRoundTripsThroughSetState() throws {
        var a = Pong(seed: 4)
        for _ in 0..<37 { _ = a.step(2) }
        var b = Pong(seed: 99)
        try b.setState(a.state)
        #expect(b.objects == a.objects)
        #expect(b.observation == a.observation)
    }
}

@Suite struct FreewayTests {
    @Test func walkingUpScoresAndCarsHitTheChicken() {
        var game = Freeway(seed: 1)
        var score = 0.0, hits = 0, done = false
        while !done {
            let before = game.chickenY
            let t = game.step(1)
            if game.chickenY > before { hits += 1 }
            score += t.reward
            done = t.done
        }
        #expect(score >= 5, "always UP crosses several times: \(score)")
        #expect(hits > 0, "cars push the chicken back")
        #expect(game.objects.count == 11 && game.objects[0].type == 0)
    }

    @Test func carVelocitiesStayTheLaneSpeedsThroughWraps() {
        var game = Freeway(seed: 3)
        var wraps = 0
        for _ in 0..<400 {
            let before = game.carX
            _ = game.step(0)
            wraps += zip(before, game.carX).filter { abs($1 - $0) > 80 }.count
            let cars = game.objects.dropFirst()
            #expect(zip(cars, game.laneSpeeds).allSatisfy { $0.xVelocity == $1 }, "\(cars.map(\.xVelocity)) vs \(game.laneSpeeds)")
        }
        #expect(wraps > 0, "the run saw cars wrap around the screen")
    }
}

@Suite struct RenderingTests {
    @Test func pngChecksumsAreTheStandardOnes() {
        #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func pngHoldsTheFramesPixelsInStoredBlocks() throws {
        let frame = Pong(seed: 5).render()
        let png = frame.png
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Walk the chunks, check each CRC, collect IDAT, inflate the stored blocks.
        var offset = 8, idat: [UInt8] = []
        var types: [String] = []
        while offset < png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(png[(offset + 8)..<(offset + 8 + length)])
            let crc = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(crc == PNGEncoder.crc32(Array(type.utf8) + body), "\(type) CRC")
            if type == "IDAT" { idat += body }
            types.append(type)
            offset += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        var raw: [UInt8] = [], i = 2, final = false
        while !final {
            final = idat[i] & 1 == 1
            let n = Int(idat[i + 1]) | Int(idat[i + 2]) << 8
            raw += idat[(i + 5)..<(i + 5 + n)]
            i += 5 + n
        }
        #expect(raw.count == (160 * 3 + 1) * 210)
        #expect(Array(raw[(1 + 100 * 481)..<(481 + 100 * 481)]) == Array(frame.pixels[(100 * 480)..<(101 * 480)]))
        #expect(idat[i...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == PNGEncoder.adler32(raw))
    }
}

/// The classical extractor against the game's true objects over a long rollout: precision and recall at least
/// 0.99, mean position error under 1 pixel (the figures).
@Suite struct ObjectExtractorTests {
    @Test func pongObjectsAreRecoveredFromFrames() {
        var pong = Pong(seed: 6)
        var extractor = ObjectExtractor.pong()
        var generator = SeededGenerator(seed: 6)
        var score = ExtractionScore()
        for _ in 0..<5000 {
            // Mostly follow the ball, sometimes act at random, so the rollout visits misses and returns.
            let action = generator.nextUnit() < 0.3 ? Int(generator.next() % 3) : followBall(pong)
            let t = pong.step(action)
            score.add(extracted: extractor.extract(pong.render()), truth: pong.objects)
            if t.done { pong.reset(); extractor.resetTracking() }
        }
        print("Pong extractor over 5000 frames: \(score)")
        #expect(score.precision >= 0.99)
        #expect(score.recall >= 0.99)
        #expect(score.meanPositionError < 1)
    }

    /// A car partly off screen shows only its visible part.
    static func visiblePart(_ o: ObjectState) -> ObjectState? {
        var v = o
        v.x = max(0, o.x)
        return min(160, o.x + o.width) > v.x ? v : nil
    }

    @Test func freewayObjectsAreRecoveredFromFrames() {
        var game = Freeway(seed: 7)
        var extractor = ObjectExtractor.freeway()
        var score = ExtractionScore()
        for step in 0..<500 {
            _ = game.step(step % 5 == 0 ? 0 : 1)
            score.add(extracted: extractor.extract(game.render()), truth: game.objects.compactMap(Self.visiblePart))
        }
        print("Freeway extractor over 500 frames: \(score)")
        #expect(score.precision >= 0.99)
        #expect(score.recall >= 0.99)
        #expect(score.meanPositionError < 1)
    }
}
