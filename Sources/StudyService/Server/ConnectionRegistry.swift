import Foundation
import Synchronization

/// The client connections of a server, open and recently closed, by the peer text gRPC gives each call
/// (`ipv4:127.0.0.1:54321`), so that a trial can be tied to the connection of the worker that runs it.
final class ConnectionRegistry: Sendable {
    private struct State {
        var nextID = 0
        /// Peer text -> id of the connection currently open from that address and port.
        var current: [String: Int] = [:]
        /// Ids of open connections.
        var open: Set<Int> = []
    }

    private let state = Mutex(State())

    /// Records a connection just accepted; returns its id.
    @discardableResult
    func opened(peer: String) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.current[peer] = id
            state.open.insert(id)
            return id
        }
    }

    func closed(id: Int, peer: String) {
        state.withLock { state in
            state.open.remove(id)
            if state.current[peer] == id { state.current[peer] = nil }
        }
    }

    /// The open connection a call from `peer` arrived on (nil for transports that give no peer).
    func connection(forPeer peer: String) -> Int? {
        state.withLock { state in state.current[peer] }
    }

    func isOpen(_ id: Int) -> Bool { state.withLock { $0.open.contains(id) } }

    var openCount: Int { state.withLock { $0.open.count } }
}
