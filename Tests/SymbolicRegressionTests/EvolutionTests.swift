import Foundation
import Testing
@testable import SymbolicRegression

@Suite struct EvolutionTests {
    static func data(rows: Int = 300, seed: UInt64 = 1, _ f: ([Double]) -> Double = { $0[0] * $0[0] + $0[0] }) throws -> Dataset {
        var rng = RandomSource(seed: seed)
        let x = (0..<rows).map { _ in [rng.uniform(-1, 1), rng.uniform(-1, 1)] }
        return try Dataset(rows: x, target: x.map(f))
    }

    static func parameters(_ configure: (inout GPParameters) -> Void = { _ in }) -> GPParameters {
        var p = GPParameters()
        p.populationSize = 300
        p.generations = 5
        p.randomState = 42
        configure(&p)
        return p
    }

    @Test func sameSeedGivesTheSameProgramWithAnyThreadCount() throws {
        let data = try Self.data()
        let one = SymbolicRegressor(parameters: Self.parameters())
        try one.fit(data)
        let again = SymbolicRegressor(parameters: Self.parameters())
        try again.fit(data)
        let threaded = SymbolicRegressor(parameters: Self.parameters { $0.threads = 2 })
        try threaded.fit(data)
        #expect(one.program == again.program)
        #expect(one.program == threaded.program)
        #expect(one.runDetails.map(\.bestFitness) == threaded.runDetails.map(\.bestFitness))
        let other = SymbolicRegressor(parameters: Self.parameters { $0.randomState = 43 })
        try other.fit(data)
        #expect(other.runDetails.map(\.averageFitness) != one.runDetails.map(\.averageFitness))
    }

    @Test func runDetailsAndTableFollowGplearn() throws {
        let regressor = SymbolicRegressor(parameters: Self.parameters { $0.stoppingCriteria = -1 })
        try regressor.fit(try Self.data())
        let details = regressor.runDetails
        #expect(details.map(\.generation) == [0, 1, 2, 3, 4])
        #expect(details.allSatisfy { $0.bestOOBFitness.isNaN && $0.averageLength >= 1 })
        let header = GenerationRecord.tableHeader.split(separator: "\n")
        #expect(header[0] == "    |   Population Average    |             Best Individual              |")
        #expect(header[2] == " Gen   Length          Fitness   Length          Fitness      OOB Fitness  Time Left")
        let line = details[0].tableLine(totalGenerations: 5)
        #expect(line.count == header[2].count)
        #expect(line.hasPrefix("   0 "))
        #expect(line.contains("N/A"))
        // The reported best is the population's best raw fitness (MAE: lowest).
        let population = regressor.population.map(\.rawFitness)
        #expect(details.last!.bestFitness == population.min())
    }

    @Test func callbackStopsTheRunAndSeesEachGeneration() throws {
        var seen: [Int] = []
        let regressor = SymbolicRegressor(parameters: Self.parameters { $0.generations = 10 })
        try regressor.fit(try Self.data()) { report in
            seen.append(report.record.generation)
            return report.record.generation == 2 ? .stop : .proceed
        }
        #expect(seen == [0, 1, 2])
        #expect(regressor.stopReason == .callback)
        #expect(regressor.runDetails.count == 3)
    }

    @Test func stoppingCriteriaEndsEarly() throws {
        let regressor = SymbolicRegressor(parameters: Self.parameters { $0.generations = 20; $0.stoppingCriteria = 0.5 })
        try regressor.fit(try Self.data())
        #expect(regressor.stopReason == .stoppingCriteria)
        #expect(regressor.runDetails.last!.bestFitness <= 0.5)
    }

    @Test func warmStartContinuesThePopulation() throws {
        let data = try Self.data()
        let regressor = SymbolicRegressor(parameters: Self.parameters { $0.generations = 3; $0.warmStart = true })
        try regressor.fit(data)
        regressor.parameters.generations = 6
        try regressor.fit(data)
        #expect(regressor.runDetails.map(\.generation) == [0, 1, 2, 3, 4, 5])
        // gplearn's warm start gives the same run as a fit of all the generations at once.
        let straight = SymbolicRegressor(parameters: Self.parameters { $0.generations = 6 })
        try straight.fit(data)
        #expect(straight.program == regressor.program)
        regressor.parameters.generations = 2
        #expect(throws: GPParameterError.self) { try regressor.fit(data) }
    }

    @Test func maxSamplesGivesOutOfBagFitness() throws {
        let regressor = SymbolicRegressor(parameters: Self.parameters { $0.maxSamples = 0.7; $0.stoppingCriteria = -1 })
        try regressor.fit(try Self.data())
        #expect(regressor.runDetails.allSatisfy { $0.bestOOBFitness.isFinite })
        #expect(regressor.population.allSatisfy { $0.oobFitness != nil })
        #expect(regressor.runDetails[0].tableLine(totalGenerations: 5).contains("N/A") == false)
    }

    @Test func parsimonyPenalisesLength() throws {
        for parsimony in [Parsimony.fixed(0.01), .auto] {
            let regressor = SymbolicRegressor(parameters: Self.parameters { $0.parsimonyCoefficient = parsimony; $0.generations = 2 })
            try regressor.fit(try Self.data())
            let individual = regressor.population[0]
            if case .fixed(let c) = parsimony {
                #expect(Swift.abs(individual.fitness - (individual.rawFitness + c * Double(individual.length))) < 1e-12)
            }
        }
    }

    @Test func sampleWeightsAndParametersAreValidated() throws {
        let data = try Self.data()
        #expect(throws: GPParameterError.self) { try SymbolicRegressor(parameters: Self.parameters { $0.pCrossover = 0.99 }).fit(data) }
        #expect(throws: GPParameterError.self) { try SymbolicRegressor(parameters: Self.parameters { $0.maxSamples = 0 }).fit(data) }
        #expect(throws: DataError.self) { try SymbolicRegressor(parameters: Self.parameters()).fit(data, sampleWeight: [1, 2]) }
        let weighted = SymbolicRegressor(parameters: Self.parameters { $0.generations = 2 })
        try weighted.fit(data, sampleWeight: (0..<data.rowCount).map { Double($0 % 3) })
        #expect(weighted.program != nil)
    }

    @Test func classifierSeparatesTwoClasses() throws {
        var rng = RandomSource(seed: 8)
        let x = (0..<400).map { _ in [rng.uniform(-1, 1), rng.uniform(-1, 1)] }
        let labels = x.map { $0[0] + 0.5 * $0[1] > 0.1 ? "yes" : "no" }
        let classifier = SymbolicClassifier(parameters: Self.parameters { $0.generations = 8; $0.metric = .logLoss })
        try classifier.fit(try Dataset(rows: x), labels: labels)
        #expect(classifier.classes == ["no", "yes"])
        let predicted = try classifier.predict(try Dataset(rows: x))
        let accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
        #expect(accuracy > 0.9)
        let proba = try classifier.predictProbability(try Dataset(rows: x))
        #expect(proba.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(throws: DataError.self) { try SymbolicClassifier().fit(try Dataset(rows: x), labels: x.map { _ in "one" }) }
    }

    @Test func transformerKeepsTheLeastCorrelatedComponents() throws {
        let data = try Self.data(rows: 200) { $0[0] * $0[1] }
        let transformer = SymbolicTransformer(parameters: Self.parameters { $0.generations = 3; $0.metric = .pearson }, hallOfFame: 20, components: 5)
        try transformer.fit(data)
        #expect(transformer.components.count == 5)
        let features = try transformer.transform(data)
        #expect(features.count == 5 && features.allSatisfy { $0.count == 200 })
    }

    @Test func multiOutputFitsOneProgramPerOutput() throws {
        let data = try Self.data(rows: 200)
        let targets = [data.target!, data.columns[1].map { 2 * $0 }]
        let model = MultiOutputRegressor(parameters: Self.parameters { $0.generations = 4 })
        try model.fit(data, targets: targets)
        #expect(model.programs.count == 2)
        let outputs = try model.predict(data)
        #expect(outputs.count == 2 && outputs[1].count == 200)
    }

    @Test func paretoFrontIsNonDominated() throws {
        let regressor = SymbolicRegressor(parameters: Self.parameters())
        try regressor.fit(try Self.data())
        let entries = regressor.paretoFront.entries
        #expect(!entries.isEmpty)
        for (a, b) in zip(entries, entries.dropFirst()) { #expect(a.length < b.length && a.error > b.error) }
    }

    @Test func elitesAreTheStableSortsPrefixAndTheParetoFrontKeepsTheFirstOfEquals() throws {
        var rng = RandomSource(seed: 5)
        // Few distinct values: many ties, which a stable sort keeps in index order.
        let individuals = (0..<200).map { _ in
            Individual(program: Program([.feature(0)]), rawFitness: 0, fitness: Double(rng.integer(below: 12)),
                       oobFitness: nil, origin: .initial, scaling: (0, 1))
        }
        for greater in [true, false] {
            let sorted = individuals.indices.sorted {
                greater ? individuals[$0].fitness > individuals[$1].fitness : individuals[$0].fitness < individuals[$1].fitness
            }
            for count in [0, 1, 5, 17, 200, 250] {
                #expect(GeneticEngine.best(count, of: individuals, greater) == Array(sorted.prefix(count)))
            }
        }
        // A generation enters the front as inserting each of its programs in order would, ties included.
        for sign in [1.0, -1.0] {
            var front = ParetoFront(), oneByOne = ParetoFront()
            for generation in 0..<6 {
                let individuals = (0..<150).map { index in
                    Individual(program: Program([Node](repeating: .constant(Double(index)), count: 1 + rng.integer(below: 9))),
                               rawFitness: rng.integer(below: 30) == 0 ? .infinity : Double(rng.integer(below: 8)) - Double(generation),
                               fitness: 0, oobFitness: nil, origin: .reproduction(parent: index), scaling: (0, 1))
                }
                front.insert(generation: individuals, sign: sign)
                for individual in individuals {
                    oneByOne.insert(.init(program: individual.program, error: -sign * individual.rawFitness,
                                          rawFitness: individual.rawFitness, scaling: individual.scaling))
                }
                #expect(front.entries.map(\.length) == oneByOne.entries.map(\.length))
                #expect(front.entries.map(\.error) == oneByOne.entries.map(\.error))
                #expect(front.entries.map(\.program) == oneByOne.entries.map(\.program))
            }
        }
    }
}
