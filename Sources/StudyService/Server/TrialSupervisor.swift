import Foundation
import Synchronization

/// Knows, for every running trial the server has seen, what keeps it alive, and which trials have lost
/// their worker:
/// - a trial asked through symstudy's API by a worker that beats lives while it beats (`gracePeriod`);
/// - a trial started through Optuna's API (whose client sends nothing while the objective runs) lives while
///   the connection that started it, or last touched it, is open, and `connectionGracePeriod` after;
/// - a running trial found in storage when the server starts (its worker may be retrying against the new
///   server) gets the longer of the two grace periods to be claimed by a beat or a call.
/// Trials asked without heartbeats (`symstudy ask`, told later by another process) are not supervised.
final class TrialSupervisor: Sendable {
    enum Keeper: Sendable, Equatable {
        case heartbeat
        case connection(Int)
        case adopted
    }

    struct Entry: Sendable {
        var studyID: Int?
        var keeper: Keeper
        /// Monotonic seconds when the keeper last showed life.
        var lastSeen: Double
    }

    let gracePeriod: Double
    let connectionGracePeriod: Double
    private let connections: ConnectionRegistry
    private let entries = Mutex<[Int: Entry]>([:])

    init(connections: ConnectionRegistry, gracePeriod: Double, connectionGracePeriod: Double) {
        self.connections = connections
        self.gracePeriod = gracePeriod
        self.connectionGracePeriod = connectionGracePeriod
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// A worker beat for the trial (or asked it with heartbeats on).
    func beat(trialID: Int, studyID: Int?) {
        let now = Self.now()
        entries.withLock { entries in
            let known = entries[trialID]?.studyID
            entries[trialID] = Entry(studyID: studyID ?? known, keeper: .heartbeat, lastSeen: now)
        }
    }

    /// A call from `peer` started the trial: the trial lives with that connection.
    func tie(trialID: Int, studyID: Int?, peer: String) {
        guard let connection = connections.connection(forPeer: peer) else { return }
        let now = Self.now()
        entries.withLock { entries in
            let known = entries[trialID]?.studyID
            entries[trialID] = Entry(studyID: studyID ?? known, keeper: .connection(connection), lastSeen: now)
        }
    }

    /// A call from `peer` wrote to the trial: a connection-kept or adopted trial moves to that connection
    /// (the worker reconnected); a heartbeat-kept one is left to its beats.
    func touch(trialID: Int, peer: String) {
        entries.withLock { entries in
            guard var entry = entries[trialID], entry.keeper != .heartbeat,
                  let connection = connections.connection(forPeer: peer) else { return }
            entry.keeper = .connection(connection)
            entry.lastSeen = Self.now()
            entries[trialID] = entry
        }
    }

    /// The trial finished: nothing to watch.
    func release(trialID: Int) {
        _ = entries.withLock { $0.removeValue(forKey: trialID) }
    }

    /// Watches running trials found in storage at start.
    func adopt(trialID: Int, studyID: Int) {
        let now = Self.now()
        entries.withLock { entries in
            if entries[trialID] == nil { entries[trialID] = Entry(studyID: studyID, keeper: .adopted, lastSeen: now) }
        }
    }

    func isSupervised(_ trialID: Int) -> Bool { entries.withLock { $0[trialID] != nil } }

    /// Removes and returns the trials whose keeper has been gone longer than its grace period.
    func takeStale() -> [(trialID: Int, studyID: Int?)] {
        let now = Self.now()
        return entries.withLock { entries in
            var stale: [(Int, Int?)] = []
            for (trialID, var entry) in entries {
                let grace: Double
                switch entry.keeper {
                case .heartbeat:
                    grace = gracePeriod
                case .connection(let id):
                    if connections.isOpen(id) {
                        entry.lastSeen = now
                        entries[trialID] = entry
                        continue
                    }
                    grace = connectionGracePeriod
                case .adopted:
                    grace = max(gracePeriod, connectionGracePeriod)
                }
                if now - entry.lastSeen > grace { stale.append((trialID, entry.studyID)) }
            }
            for (trialID, _) in stale { entries[trialID] = nil }
            return stale
        }
    }
}
