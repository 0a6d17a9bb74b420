/// Constant fitting inside a run: each generation the best share of the population gets a few
/// Levenberg-Marquardt steps on a fixed row subsample, and the fitted constants replace the old ones when they
/// score better (Lamarckian learning).
struct ConstantOptimizer {
    let settings: ConstantFitting
    let solver: LevenbergMarquardt
    let columns: [[Double]]
    let target: [Double]
    let linearScaling: Bool

    init(settings: ConstantFitting, functionSet: FunctionSet, data: Dataset, target: [Double], linearScaling: Bool, seed: UInt64) {
        self.settings = settings
        self.solver = LevenbergMarquardt(functionSet: functionSet)
        self.linearScaling = linearScaling
        var rows = Array(0..<data.rowCount)
        if rows.count > settings.maxRows {
            var rng = RandomSource(seed: seed ^ 0x5EED_C0DE)
            rows.shuffle(using: &rng)
            rows = Array(rows.prefix(settings.maxRows)).sorted()
        }
        self.columns = data.columns.map { column in rows.map { column[$0] } }
        self.target = rows.map { target[$0] }
    }

    /// Improves the best `share` of `population` in place; adds the node evaluations spent to `evaluations` and
    /// returns them (residual and Jacobian passes, each counted as program length x rows).
    func improve(_ population: inout [Individual], fitness: FitnessFunction, greaterIsBetter: Bool, threads: Int,
                 evaluations: inout Double) -> Double {
        let count = Int((settings.share * Double(population.count)).rounded(.up))
        guard count > 0 else { return 0 }
        let order = population.indices.sorted {
            let a = population[$0].rawFitness, b = population[$1].rawFitness
            return greaterIsBetter ? a > b : a < b
        }
        var chosen: [Int] = []
        var seen = Set<Program>()
        for index in order where chosen.count < count {
            let program = population[index].program
            if program.nodes.contains(where: { $0.kind == .constant }) || linearScaling, seen.insert(program).inserted {
                chosen.append(index)
            }
        }
        let snapshot = population
        var results = [Individual?](repeating: nil, count: chosen.count)
        var spent = [Double](repeating: 0, count: chosen.count)
        results.withUnsafeMutableBufferPointer { out in
            spent.withUnsafeMutableBufferPointer { cost in
                nonisolated(unsafe) let out = out, cost = cost
                ParallelLoop.run(count: chosen.count, threads: threads, chunk: 1) { worker, slot in
                    let individual = snapshot[chosen[slot]]
                    guard let fit = solver.fit(individual.program, columns: columns, target: target,
                                               linearScaling: linearScaling, iterations: settings.iterations,
                                               initialScaling: individual.scaling) else { return }
                    cost[slot] = Double(fit.residualEvaluations + 2 * fit.jacobianEvaluations) * Double(individual.length * target.count)
                    let score = fitness.score(fit.program, inBag: nil, worker: worker)
                    let better = greaterIsBetter ? score.raw > individual.rawFitness : score.raw < individual.rawFitness
                    guard better else { return }
                    var improved = individual
                    improved.program = fit.program
                    improved.rawFitness = score.raw
                    improved.fitness = score.raw
                    improved.oobFitness = score.oob
                    improved.scaling = score.scaling
                    out[slot] = improved
                }
            }
        }
        var total = 0.0
        for (slot, index) in chosen.enumerated() {
            total += spent[slot]
            if let improved = results[slot] {
                population[index] = improved
                evaluations += Double(improved.length * fitness.rows)
            }
        }
        return total
    }
}
