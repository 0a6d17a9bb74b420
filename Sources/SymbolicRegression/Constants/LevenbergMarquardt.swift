import CGSL

/// Fits a program's constants (and, with linear scaling, an offset and a scale) to a target by least
/// squares with GSL's Levenberg-Marquardt trust-region solver (`gsl_multifit_nlinear`), the Jacobian
/// coming from reverse-mode differentiation over the program.
public struct LevenbergMarquardt: Sendable {
    public let functionSet: FunctionSet

    public init(functionSet: FunctionSet) {
        self.functionSet = functionSet
        cgsl_disable_error_handler()
    }

    /// The fitted program (constants replaced), its offset and scale (0 and 1 without linear scaling), the
    /// sum of squared residuals, and the number of residual and Jacobian evaluations made.
    public struct Result: Sendable {
        public var program: Program
        public var offset: Double
        public var scale: Double
        public var squaredError: Double
        public var residualEvaluations: Int
        public var jacobianEvaluations: Int
    }

    /// Fits on `columns` (feature columns of `rows` rows) and `target`; returns nil when there is nothing to fit
    /// (no constants and no scaling) or fewer rows than parameters.
    public func fit(_ program: Program, columns: [[Double]], target: [Double], linearScaling: Bool,
                    iterations: Int, initialScaling: (offset: Double, scale: Double) = (0, 1)) -> Result? {
        let constants = program.constants
        let parameterCount = constants.count + (linearScaling ? 2 : 0)
        let rows = target.count
        guard parameterCount > 0, rows >= parameterCount, iterations > 0 else { return nil }
        let problem = Problem(program: program, columns: columns, target: target, linearScaling: linearScaling,
                              gradient: ProgramGradient(functionSet: functionSet))
        let context = Unmanaged.passRetained(problem)
        defer { context.release() }

        var fdf = gsl_multifit_nlinear_fdf()
        fdf.f = { x, params, f in
            let problem = Unmanaged<Problem>.fromOpaque(params!).takeUnretainedValue()
            return problem.residuals(x!, f!)
        }
        fdf.df = { x, params, jacobian in
            let problem = Unmanaged<Problem>.fromOpaque(params!).takeUnretainedValue()
            return problem.jacobian(x!, jacobian!)
        }
        fdf.fvv = nil
        fdf.n = rows
        fdf.p = parameterCount
        fdf.params = context.toOpaque()

        var settings = cgsl_multifit_nlinear_default_parameters()
        guard let workspace = gsl_multifit_nlinear_alloc(cgsl_multifit_nlinear_trust(), &settings, rows, parameterCount) else { return nil }
        defer { gsl_multifit_nlinear_free(workspace) }
        let start = gsl_vector_alloc(parameterCount)!
        defer { gsl_vector_free(start) }
        for (k, value) in constants.enumerated() { gsl_vector_set(start, k, value) }
        if linearScaling {
            gsl_vector_set(start, constants.count, initialScaling.offset)
            gsl_vector_set(start, constants.count + 1, initialScaling.scale)
        }
        guard gsl_multifit_nlinear_init(start, &fdf, workspace) == Int32(GSL_SUCCESS) else { return nil }
        let initialError = problem.lastSquaredError
        for _ in 0..<iterations {
            let status = gsl_multifit_nlinear_iterate(workspace)
            if status != Int32(GSL_SUCCESS) { break }
            var info: Int32 = 0
            if gsl_multifit_nlinear_test(1e-8, 1e-8, 0, &info, workspace) == Int32(GSL_SUCCESS) { break }
        }
        let position = gsl_multifit_nlinear_position(workspace)!
        var values = (0..<parameterCount).map { gsl_vector_get(position, $0) }
        guard values.allSatisfy(\.isFinite) else { return nil }
        var fitted = program
        fitted.constants = Array(values.prefix(constants.count))
        let offset = linearScaling ? values[constants.count] : 0
        let scale = linearScaling ? values[constants.count + 1] : 1
        values.removeAll()
        let error = problem.squaredError(of: fitted, offset: offset, scale: scale)
        guard error.isFinite, error <= initialError else { return nil }
        return Result(program: fitted, offset: offset, scale: scale, squaredError: error,
                      residualEvaluations: problem.residualEvaluations, jacobianEvaluations: problem.jacobianEvaluations)
    }

    /// The state the C callbacks read through their context pointer.
    final class Problem {
        var program: Program
        let columns: [[Double]]
        let target: [Double]
        let linearScaling: Bool
        let gradient: ProgramGradient
        let constantCount: Int
        var residualEvaluations = 0
        var jacobianEvaluations = 0
        var lastSquaredError = Double.infinity

        init(program: Program, columns: [[Double]], target: [Double], linearScaling: Bool, gradient: ProgramGradient) {
            self.program = program
            self.columns = columns
            self.target = target
            self.linearScaling = linearScaling
            self.gradient = gradient
            self.constantCount = program.constants.count
        }

        func load(_ x: UnsafePointer<gsl_vector>) -> (offset: Double, scale: Double) {
            program.constants = (0..<constantCount).map { gsl_vector_get(x, $0) }
            guard linearScaling else { return (0, 1) }
            return (gsl_vector_get(x, constantCount), gsl_vector_get(x, constantCount + 1))
        }

        func squaredError(of program: Program, offset: Double, scale: Double) -> Double {
            let values = ExactEvaluator(functionSet: gradient.functionSet).forward(program, columns: columns, rows: target.count).values[0]
            var sum = 0.0
            for row in target.indices { let r = offset + scale * values[row] - target[row]; sum += r * r }
            return sum
        }

        func residuals(_ x: UnsafePointer<gsl_vector>, _ f: UnsafeMutablePointer<gsl_vector>) -> Int32 {
            let (offset, scale) = load(x)
            let values = ExactEvaluator(functionSet: gradient.functionSet).forward(program, columns: columns, rows: target.count).values[0]
            residualEvaluations += 1
            var sum = 0.0
            for row in target.indices {
                let r = offset + scale * values[row] - target[row]
                guard r.isFinite else { return Int32(GSL_EDOM) }
                gsl_vector_set(f, row, r)
                sum += r * r
            }
            if lastSquaredError == .infinity { lastSquaredError = sum }
            return Int32(GSL_SUCCESS)
        }

        func jacobian(_ x: UnsafePointer<gsl_vector>, _ j: UnsafeMutablePointer<gsl_matrix>) -> Int32 {
            let (_, scale) = load(x)
            let (values, jacobian, constants) = gradient.jacobian(program, columns: columns, rows: target.count)
            jacobianEvaluations += 1
            for row in target.indices {
                for k in 0..<constants {
                    let value = scale * jacobian[row * constants + k]
                    gsl_matrix_set(j, row, k, value.isFinite ? value : 0)
                }
                if linearScaling {
                    gsl_matrix_set(j, row, constants, 1)
                    gsl_matrix_set(j, row, constants + 1, values[row])
                }
            }
            return Int32(GSL_SUCCESS)
        }
    }
}
