import Foundation
import Synchronization

/// A running trial, handed to the objective (Optuna's `Trial`): it suggests parameter values,
/// takes intermediate values, and answers whether to prune.
public final class Trial: @unchecked Sendable {
    public let study: Study
    /// The storage's id of the trial.
    public let id: Int
    /// The trial's number within its study.
    public let number: Int

    private struct LocalState {
        var cached: FrozenTrial
        var relativeSearchSpace: [String: ParameterDistribution]?
        var relativeParams: [String: Double]?
        /// The distributions the objective asked for (with a sampling server, the trial may hold more).
        var suggested: [String: ParameterDistribution] = [:]
        /// With a sampling server: attributes set since the ask, sent with the tell, and the pruner's
        /// answer to the last report.
        var pendingUserAttributes: [String: JSONValue] = [:]
        var pendingSystemAttributes: [String: JSONValue] = [:]
        var serverSaysPrune = false
    }

    private let local: Mutex<LocalState>
    private let fixedParams: [String: JSONValue]
    /// Set when the study's storage runs the sampler and the pruner (`ServerSampledStorage`).
    private let server: (any ServerSampledStorage)?

    init(study: Study, id: Int) throws {
        self.study = study
        self.id = id
        let frozen = try study.storage.trial(id: id)
        self.number = frozen.number
        self.fixedParams = frozen.systemAttributes["fixed_params"]?.objectValue ?? [:]
        self.local = Mutex(LocalState(cached: frozen))
        self.server = nil
        let view = try study.pruner.samplerView(of: study, for: frozen)
        try study.sampler.beforeTrial(study: view, trial: frozen)
    }

    /// A trial a sampling server started; its parameters so far came with the ask.
    init(study: Study, asked: ServerAskedTrial) {
        self.study = study
        self.id = asked.id
        self.number = asked.number
        self.fixedParams = [:]
        self.server = study.storage as? any ServerSampledStorage
        var frozen = FrozenTrial(id: asked.id, number: asked.number, state: .running, datetimeStart: Date())
        for (name, distribution) in asked.distributions {
            guard let value = asked.internalParams[name] else { continue }
            frozen.distributions[name] = distribution
            frozen.params[name] = distribution.externalValue(of: value)
        }
        self.local = Mutex(LocalState(cached: frozen))
    }

    // MARK: Suggesting

    /// A float in [low, high], log-scaled with `log`, on the grid `low + k*step` with `step`.
    public func suggestFloat(_ name: String, _ low: Double, _ high: Double, step: Double? = nil, log: Bool = false) throws -> Double {
        let distribution = ParameterDistribution.float(try FloatDistribution(low: low, high: high, log: log, step: step, name: name))
        return try suggest(name, distribution).doubleValue!
    }

    /// An integer in [low, high] on the grid `low + k*step`, log-scaled with `log`.
    public func suggestInt(_ name: String, _ low: Int, _ high: Int, step: Int = 1, log: Bool = false) throws -> Int {
        let distribution = ParameterDistribution.int(try IntDistribution(low: low, high: high, log: log, step: step, name: name))
        return try suggest(name, distribution).intValue!
    }

    /// One of `choices` (strings, integers, doubles or booleans).
    public func suggestCategorical<Choice: CategoricalChoice>(_ name: String, _ choices: [Choice]) throws -> Choice {
        let distribution = ParameterDistribution.categorical(try CategoricalDistribution(choices: choices.map(\.parameterValue), name: name))
        return Choice(parameterValue: try suggest(name, distribution))!
    }

    /// A value of any distribution. Suggesting a name again with the same distribution returns the same
    /// value; with another distribution it throws `DistributionError.incompatible`.
    public func suggest(_ name: String, _ distribution: ParameterDistribution) throws -> ParameterValue {
        if let value = try local.withLock({ state -> ParameterValue? in
            guard let existing = state.cached.distributions[name] else { return nil }
            guard existing == distribution else {
                throw DistributionError.incompatible(name: name, existing: existing.description, requested: distribution.description)
            }
            state.suggested[name] = distribution
            return state.cached.params[name]
        }) {
            return value
        }
        if let server {
            let internalValue = try server.suggestParameter(trialID: id, name: name, distribution: distribution)
            let external = distribution.externalValue(of: internalValue)
            local.withLock { state in
                state.cached.distributions[name] = distribution
                state.cached.params[name] = external
                state.suggested[name] = distribution
            }
            return external
        }

        let internalValue: Double
        if let fixed = fixedParams[name] {
            guard let value = ParameterValue(json: fixed),
                  let fixedValue = try? distribution.internalValue(of: Self.coerce(value, to: distribution), name: name)
            else {
                throw DistributionError.fixedValueOutOfDomain(name: name, value: fixed.jsonText, distribution: distribution.description)
            }
            internalValue = fixedValue
        } else if let single = distribution.singleInternalValue {
            internalValue = single
        } else if let relative = try relativeValue(name: name, distribution: distribution) {
            internalValue = relative
        } else {
            let frozen = local.withLock { $0.cached }
            let view = try study.pruner.samplerView(of: study, for: frozen)
            internalValue = try study.sampler.sampleIndependent(study: view, trial: frozen, name: name, distribution: distribution)
        }
        guard distribution.contains(internalValue: internalValue) else {
            throw DistributionError.valueOutOfDomain(name: name, value: pythonFloatRepr(internalValue), distribution: distribution.description)
        }
        try study.storage.setTrialParameter(trialID: id, name: name, internalValue: internalValue, distribution: distribution)
        let external = distribution.externalValue(of: internalValue)
        local.withLock { state in
            state.cached.distributions[name] = distribution
            state.cached.params[name] = external
            state.suggested[name] = distribution
        }
        return external
    }

    /// An enqueued value read from JSON, in the type the distribution expects (JSON has one number type).
    private static func coerce(_ value: ParameterValue, to distribution: ParameterDistribution) -> ParameterValue {
        switch (distribution, value) {
        case (.float, .int(let int)): return .double(Double(int))
        case (.int, .double(let double)) where double.rounded() == double: return .int(Int(double))
        default: return value
        }
    }

    /// The relative (jointly sampled) value of `name`, sampling the relative space on first use.
    private func relativeValue(name: String, distribution: ParameterDistribution) throws -> Double? {
        var relative = local.withLock { ($0.relativeSearchSpace, $0.relativeParams) }
        if relative.1 == nil {
            let frozen = local.withLock { $0.cached }
            let view = try study.pruner.samplerView(of: study, for: frozen)
            let space = try study.sampler.inferRelativeSearchSpace(study: view, trial: frozen)
            let params = space.isEmpty ? [:] : try study.sampler.sampleRelative(study: view, trial: frozen, searchSpace: space)
            local.withLock { state in
                state.relativeSearchSpace = space
                state.relativeParams = params
            }
            relative = (space, params)
        }
        guard let value = relative.1?[name], let relativeDistribution = relative.0?[name],
              relativeDistribution == distribution, distribution.contains(internalValue: value)
        else { return nil }
        return value
    }

    // MARK: Reporting and pruning

    /// Reports an intermediate objective value at `step` (e.g. a generation). A step reported twice
    /// keeps its first value, as in Optuna.
    public func report(_ value: Double, step: Int) throws {
        guard !study.isMultiObjective else { throw StudyError.multiObjectiveUnsupported("Trial.report") }
        guard step >= 0 else { throw StudyError.invalidArgument("The `step` argument is \(step) but cannot be negative.") }
        let already = local.withLock { $0.cached.intermediateValues[step] != nil }
        if already { return }
        if let server {
            let prune = try server.reportIntermediateValue(trialID: id, step: step, value: value)
            local.withLock { state in
                state.cached.intermediateValues[step] = value
                state.serverSaysPrune = prune
            }
            return
        }
        try study.storage.setTrialIntermediateValue(trialID: id, step: step, value: value)
        local.withLock { $0.cached.intermediateValues[step] = value }
    }

    /// True when the study's pruner says this trial should stop; the objective then throws `TrialPruned`.
    /// With a sampling server, the server's pruner answered with the last report.
    public func shouldPrune() throws -> Bool {
        guard !study.isMultiObjective else { throw StudyError.multiObjectiveUnsupported("Trial.shouldPrune") }
        if server != nil { return local.withLock { $0.serverSaysPrune } }
        return try study.pruner.prune(study: study, trial: try study.storage.trial(id: id))
    }

    // MARK: Attributes

    /// Sets a user attribute. With a sampling server, it is stored with the tell.
    public func setUserAttribute(_ key: String, _ value: JSONValue) throws {
        if server == nil { try study.storage.setTrialUserAttribute(trialID: id, key: key, value: value) }
        local.withLock { state in
            state.cached.userAttributes[key] = value
            if server != nil { state.pendingUserAttributes[key] = value }
        }
    }

    /// Sets a system attribute. With a sampling server, it is stored with the tell.
    public func setSystemAttribute(_ key: String, _ value: JSONValue) throws {
        if server == nil { try study.storage.setTrialSystemAttribute(trialID: id, key: key, value: value) }
        local.withLock { state in
            state.cached.systemAttributes[key] = value
            if server != nil { state.pendingSystemAttributes[key] = value }
        }
    }

    /// The attributes not yet stored (with a sampling server), cleared.
    func takePendingAttributes() -> (user: [String: JSONValue], system: [String: JSONValue]) {
        local.withLock { state in
            defer {
                state.pendingUserAttributes = [:]
                state.pendingSystemAttributes = [:]
            }
            return (state.pendingUserAttributes, state.pendingSystemAttributes)
        }
    }

    /// The distributions the objective suggested (not those a sampling server added unasked).
    var suggestedDistributions: [String: ParameterDistribution] { local.withLock { $0.suggested } }

    /// The parameters suggested so far.
    public var params: [String: ParameterValue] { local.withLock { $0.cached.params } }
    public var distributions: [String: ParameterDistribution] { local.withLock { $0.cached.distributions } }
    public var userAttributes: [String: JSONValue] { local.withLock { $0.cached.userAttributes } }
    public var systemAttributes: [String: JSONValue] { local.withLock { $0.cached.systemAttributes } }
    public var datetimeStart: Date? { local.withLock { $0.cached.datetimeStart } }

    /// The trial as this worker knows it (its parameters, intermediate values and attributes so far).
    public var snapshot: FrozenTrial { local.withLock { $0.cached } }
}
