import Foundation

/// A trial a sampling server has just started: its ids and every parameter it already holds (those the
/// server sampled for the search space of the ask, and those fixed when it was enqueued).
public struct ServerAskedTrial: Sendable, Hashable {
    public var id: Int
    public var number: Int
    /// Parameter values in internal representation, by name.
    public var internalParams: [String: Double]
    public var distributions: [String: ParameterDistribution]
    /// Seconds between heartbeats the server expects from the worker running the trial.
    public var heartbeatInterval: Double?

    public init(id: Int, number: Int, internalParams: [String: Double] = [:],
                distributions: [String: ParameterDistribution] = [:], heartbeatInterval: Double? = nil) {
        self.id = id
        self.number = number
        self.internalParams = internalParams
        self.distributions = distributions
        self.heartbeatInterval = heartbeatInterval
    }
}

/// A storage behind a server that runs the study's sampler and pruner itself (symstudy's study service,
/// `grpc://`). `Study.ask`, `Trial.suggest`, `Trial.report`, `Trial.shouldPrune` and `Study.tell` use these
/// calls instead of the study's own sampler and pruner, so that a trial costs a worker two calls (ask, tell)
/// plus one per reported step, and parallel workers are kept apart by the server's sampler (TPE's constant
/// liar sees every running trial of the study). The sampler and pruner are the server's for the study, not
/// the `Study` object's.
public protocol ServerSampledStorage: StudyStorage {
    /// Starts a trial (the oldest enqueued one, else a new one) and samples every parameter of `searchSpace`.
    /// With `heartbeats`, the worker promises to beat (`HeartbeatStorage.recordHeartbeat`) while it runs the
    /// trial, and the server fails the trial when it stops; without, the trial runs until told (`symstudy ask`
    /// and a later `symstudy tell`). With `maxTrials`, no new trial is created once the study has that many
    /// (in any state): then nil (an enqueued trial is still taken).
    func askTrial(studyID: Int, searchSpace: [String: ParameterDistribution], maxTrials: Int?,
                  heartbeats: Bool) throws -> ServerAskedTrial?
    /// Samples one parameter of a running trial that the ask did not cover; returns its internal value.
    func suggestParameter(trialID: Int, name: String, distribution: ParameterDistribution) throws -> Double
    /// Records an intermediate value; returns whether the study's pruner stops the trial.
    func reportIntermediateValue(trialID: Int, step: Int, value: Double) throws -> Bool
    /// Finishes a trial as `Study.tell` does (nil state: COMPLETE when the values are valid, else FAIL), after
    /// setting the given attributes; returns the trial as stored. With `skipIfFinished`, a finished trial is
    /// returned unchanged.
    func tellTrial(trialID: Int, state: TrialState?, values: [Double]?, userAttributes: [String: JSONValue],
                   systemAttributes: [String: JSONValue], skipIfFinished: Bool) throws -> FrozenTrial
}
