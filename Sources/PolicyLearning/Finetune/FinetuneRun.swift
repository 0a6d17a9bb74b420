import Environments
import Foundation
import StudyEngine
import SymbolicRegression

/// One fine-tuning run: scores the start policies, then runs the iterations (a GP generation and/or PPO
/// updates each, reporting the policy's mean return over fixed episodes), keeps the best policy seen and
/// scores it on the evaluation episodes.
struct FinetuneRun: Sendable {
    let environmentName: String
    let starts: [SymbolicPolicy]
    let teacher: Teacher?
    let teacherDataset: DistillDataset?
    let options: FinetuneOptions
    let evaluationSeeds: [UInt64]

    /// Runs in copies of `prototype`, the environment named `environmentName`.
    func run<E: Environment>(_ prototype: E, seed: UInt64, threads: Int, report: (Int, Double) -> Bool) throws -> FinetuneResult {
        let template = starts[0]
        for (index, start) in starts.enumerated().dropFirst() where start.decoding != template.decoding || start.featurizer != template.featurizer {
            throw FinetuneError.start("start policy \(index) has another decoding or featurizer than start policy 0; a run starts from policies of one kind")
        }
        let stepper = try PolicyStepper(policy: template, environment: prototype, environmentName: environmentName, teacher: teacher)
        let scorer = EpisodeScorer(prototype: prototype, stepper: stepper, expertWeight: options.expertWeight)
        let expert = try teacherDataset.map { try ExpertDataset($0, policy: template) }
        var generator = SeededGenerator(seed: seed)
        let reportSeeds = (0..<options.reportEpisodes).map { _ in generator.next() }
        var logStd = [Double](repeating: options.initialLogStd, count: stepper.head.logStdCount)

        // The best start on the evaluation episodes is where PPO begins and what `start_return` measures.
        let startScores = scorer.score(starts.map(\.programs), logStd: logStd, seeds: evaluationSeeds, threads: threads)
        let first = startScores.indices.max { startScores[$0].meanReturn < startScores[$1].meanReturn }!
        var current = starts[first].programs
        var best = (programs: current, value: scorer.score(current, logStd: logStd, seeds: reportSeeds, threads: threads).meanReturn)

        var evolution: ReturnEvolution<E>?
        if options.gp {
            let mutator = ExpressionMutator(operators: try options.operators(), featureCount: template.featureCount,
                                            constantRange: -1...1, constantNoise: options.constantNoise, maxLength: options.maxLength)
            evolution = ReturnEvolution(scorer: scorer, mutator: mutator, options: options, threads: threads, seed: generator.next(),
                                        expert: expert)
        }
        var ppo = options.ppo ? ConstantPPO(stepper: stepper, options: options, prototype: prototype, seed: generator.next(), expert: expert) : nil
        var history: [Double] = []
        let startPrograms = [starts[first].programs] + starts.indices.filter { $0 != first }.map { starts[$0].programs }
        for iteration in 0..<options.iterations {
            if evolution != nil {
                current = evolution!.generation(starts: startPrograms, logStd: logStd).programs
            }
            if ppo != nil {
                for _ in 0..<options.ppoUpdates { _ = try ppo!.update(&current) }
                logStd = ppo!.logStd
                evolution?.replaceBest(with: current)
            }
            let value = scorer.score(current, logStd: logStd, seeds: reportSeeds, threads: threads).meanReturn
            history.append(value)
            if value > best.value { best = (current, value) }
            if report(iteration, value) { throw TrialPruned() }
        }

        var policy = template
        let simplifier = Simplifier(functionSet: SymbolicPolicy.allOperators)
        policy.programs = best.programs.map { simplifier.simplify($0) }
        let final = scorer.score(policy.programs, logStd: logStd, seeds: evaluationSeeds, threads: threads)
        return FinetuneResult(policy: policy, start: starts[first], meanReturn: final.meanReturn,
                      startReturn: startScores[first].meanReturn, history: history, logStd: logStd)
    }
}

/// What a fine-tuning run found.
struct FinetuneResult: Sendable {
    var policy: SymbolicPolicy
    var start: SymbolicPolicy
    var meanReturn: Double
    var startReturn: Double
    /// The reported mean return of each iteration.
    var history: [Double]
    var logStd: [Double]
}

/// Runs a fine-tuning in the environment named at run time, specialised for its type.
struct FinetuneVisitor: EnvironmentVisitor {
    let run: FinetuneRun
    let seed: UInt64
    let threads: Int
    let report: (Int, Double) -> Bool

    func visit<E: Environment>(_ environment: E) throws -> FinetuneResult {
        try run.run(environment, seed: seed, threads: threads, report: report)
    }
}
