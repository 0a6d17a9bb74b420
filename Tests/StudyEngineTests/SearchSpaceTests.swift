import Testing
@testable import StudyEngine

@Suite struct SearchSpaceTests {
    static let unit = ParameterDistribution.float(try! FloatDistribution(low: 0, high: 1))
    static let wide = ParameterDistribution.float(try! FloatDistribution(low: 0, high: 2))

    static func trial(_ number: Int, _ state: TrialState, _ distributions: [String: ParameterDistribution]) -> FrozenTrial {
        FrozenTrial(number: number, state: state, distributions: distributions)
    }

    @Test func intersectionKeepsCommonEqualDistributions() {
        let trials = [
            Self.trial(0, .complete, ["a": Self.unit, "b": Self.unit, "c": Self.unit]),
            Self.trial(1, .pruned, ["a": Self.unit, "b": Self.wide]),
            Self.trial(2, .fail, ["z": Self.unit]),
            Self.trial(3, .running, ["q": Self.unit]),
        ]
        #expect(Set(IntersectionSearchSpace.intersection(of: trials, includePruned: true).keys) == ["a"])
        #expect(Set(IntersectionSearchSpace.intersection(of: trials, includePruned: false).keys) == ["a", "b", "c"])
        #expect(IntersectionSearchSpace.intersection(of: []).isEmpty)
    }

    @Test func intersectionFollowsAStudyIncrementally() throws {
        let study = try Study.create(sampler: RandomSampler(seed: 0), pruner: NopPruner())
        let space = IntersectionSearchSpace(includePruned: true)
        #expect(try space.calculate(study: study).isEmpty)
        let first = try study.ask()
        _ = try first.suggestFloat("a", 0, 1)
        _ = try first.suggestFloat("b", 0, 1)
        #expect(try space.calculate(study: study).isEmpty)  // still running
        try study.tell(first, value: 1)
        #expect(Set(try space.calculate(study: study).keys) == ["a", "b"])
        let second = try study.ask()
        _ = try second.suggestFloat("a", 0, 1)
        try study.tell(second, value: 1)
        #expect(Set(try space.calculate(study: study).keys) == ["a"])
    }

    @Test func groupsSplitByCoOccurrence() {
        var groups: [[String: ParameterDistribution]] = []
        GroupDecomposedSearchSpace.add(["x": Self.unit, "y": Self.unit, "z": Self.unit], to: &groups)
        GroupDecomposedSearchSpace.add(["x": Self.unit, "y": Self.unit], to: &groups)
        GroupDecomposedSearchSpace.add(["x": Self.unit, "w": Self.unit], to: &groups)
        #expect(groups.map { Set($0.keys) } == [["x"], ["y"], ["z"], ["w"]])
        // Adding a trial already seen changes nothing.
        let before = groups.map { Set($0.keys) }
        GroupDecomposedSearchSpace.add(["x": Self.unit, "y": Self.unit], to: &groups)
        #expect(groups.map { Set($0.keys) } == before)
    }

    @Test func groupsOfAConditionalStudy() throws {
        let study = try Study.create(sampler: RandomSampler(seed: 1), pruner: NopPruner())
        for index in 0..<6 {
            let trial = try study.ask()
            _ = try trial.suggestFloat("common", 0, 1)
            if index % 2 == 0 { _ = try trial.suggestFloat("even", 0, 1) } else { _ = try trial.suggestInt("odd", 0, 3) }
            try study.tell(trial, value: 0)
        }
        let groups = try GroupDecomposedSearchSpace(includePruned: true).calculate(study: study)
        #expect(Set(groups.map { Set($0.keys) }) == [["common"], ["even"], ["odd"]])
    }
}
