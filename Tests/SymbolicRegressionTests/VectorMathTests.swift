import Foundation
import Testing
@testable import SymbolicRegression

/// The vectorised kernels against the C library over their whole input range.
@Suite struct VectorMathTests {
    typealias Kernel = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

    static func apply(_ kernel: Kernel, _ x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        // Batches as the evaluator uses them, so the range check applies per batch.
        x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                var start = 0
                while start < x.count {
                    let n = Swift.min(256, x.count - start)
                    kernel(input.baseAddress! + start, output.baseAddress! + start, n)
                    start += n
                }
            }
        }
        return out
    }

    static let specials: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 1e30, -1e30, Float.greatestFiniteMagnitude,
                                    Float.leastNonzeroMagnitude, Float.leastNormalMagnitude, 8192, -8192, 8193, 1e5]

    static func sweep(_ low: Float, _ high: Float, _ count: Int) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    @Test func sinAndCosWithinAbsoluteErrorOfTheCLibrary() {
        let x = Self.sweep(-8192, 8192, 400_001) + Self.sweep(-4, 4, 100_001)
        for (name, kernel, reference) in [("sin", VectorMath.sin as Kernel, { Foundation.sin($0) } as (Float) -> Float),
                                          ("cos", VectorMath.cos, { Foundation.cos($0) })] {
            let got = Self.apply(kernel, x)
            var worst: Float = 0
            for i in x.indices { worst = Swift.max(worst, Swift.abs(got[i] - reference(x[i]))) }
            #expect(worst < 2.5e-7, "\(name): worst absolute error \(worst) on |x| <= 8192")
            let special = Self.apply(kernel, Self.specials)
            for (i, value) in Self.specials.enumerated() {
                let expected = reference(value)
                #expect(expected.isNaN ? special[i].isNaN : Swift.abs(special[i] - expected) < 2.5e-7, "\(name)(\(value)) = \(special[i]), C library \(expected)")
            }
        }
    }

    @Test func tanWithinRelativeErrorOfTheCLibrary() {
        let x = Self.sweep(-100, 100, 200_001) + Self.specials
        let got = Self.apply(VectorMath.tan, x)
        var worst: Float = 0
        for i in x.indices {
            let expected = Foundation.tan(x[i])
            if expected.isNaN { #expect(got[i].isNaN); continue }
            worst = Swift.max(worst, Swift.abs(got[i] - expected) / Swift.max(1, Swift.abs(expected)))
        }
        #expect(worst < 1e-5, "tan: worst relative error \(worst)")
    }

    @Test func expWithinRelativeErrorOfTheCLibrary() {
        let x = Self.sweep(-87, 88.7, 300_001) + [0, -0.0, 1e-30, -1e-30]
        let got = Self.apply(VectorMath.exp, x)
        var worst: Float = 0
        for i in x.indices { worst = Swift.max(worst, Swift.abs(got[i] - Foundation.exp(x[i])) / Foundation.exp(x[i])) }
        #expect(worst < 3e-7, "exp: worst relative error \(worst) on [-87, 88.7]")
        let edges: [Float] = [.infinity, -.infinity, .nan, 89, 1e30, -88, -1e30, -200]
        let special = Self.apply(VectorMath.exp, edges)
        for (i, value) in edges.enumerated() {
            let expected = Foundation.exp(value)
            if expected.isNaN { #expect(special[i].isNaN) } else if expected.isInfinite { #expect(special[i] == expected) } else {
                #expect(Swift.abs(special[i] - expected) < 3e-38, "exp(\(value)) = \(special[i]), C library \(expected)")
            }
        }
    }

    @Test func logWithinRelativeErrorOfTheCLibraryIncludingDenormalsAndSpecials() {
        var x: [Float] = (0..<400_001).map { Float(Foundation.pow(10.0, -44.8 + 83.3 * Double($0) / 400_000)) }
        x += Self.sweep(0.5, 2, 100_001) + [Float.leastNonzeroMagnitude, Float.leastNormalMagnitude, 1, Float.greatestFiniteMagnitude]
        let got = Self.apply(VectorMath.log, x)
        var worst: Float = 0
        for i in x.indices {
            let expected = Foundation.log(x[i])
            worst = Swift.max(worst, Swift.abs(got[i] - expected) / Swift.max(1, Swift.abs(expected)))
        }
        #expect(worst < 2e-7, "log: worst error \(worst) (relative, absolute below 1)")
        let special = Self.apply(VectorMath.log, [0, -0.0, -1, .infinity, -.infinity, .nan])
        #expect(special[0] == -.infinity && special[1] == -.infinity)
        #expect(special[2].isNaN && special[4].isNaN && special[5].isNaN)
        #expect(special[3] == .infinity)
    }
}
