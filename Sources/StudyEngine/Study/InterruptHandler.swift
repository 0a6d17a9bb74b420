import Foundation
import Synchronization

/// Ctrl-C and SIGTERM for a process running `optimize`: the first Ctrl-C stops the study from starting more
/// trials and lets the running ones finish; a second Ctrl-C, or SIGTERM, records the running trials of this
/// process as FAIL (`fail_reason` says why) and exits (130 for SIGINT, 143 for SIGTERM). Either way the study
/// stays consistent: no trial of this process is left RUNNING.
public final class InterruptHandler: @unchecked Sendable {
    // Written once in init, then only read.
    private let sources: [any DispatchSourceSignal]
    private let interrupts = Atomic(0)

    /// Installs the handler for `study` until `cancel()`; `say` prints a line for the user (standard error).
    public init(study: Study, say: @escaping @Sendable (String) -> Void = { InterruptHandler.printToStandardError($0) }) {
        let queue = DispatchQueue(label: "symstudy.interrupts")
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (source, signalNumber) in zip(sources, [SIGINT, SIGTERM]) {
            source.setEventHandler { [self] in
                let count = self.interrupts.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
                if signalNumber == SIGINT, count == 1 {
                    study.stop()
                    say("interrupted: no new trials start; the running ones finish. Press Ctrl-C again to fail them and quit.")
                    return
                }
                let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
                let failed = InterruptHandler.failRunningTrials(of: study, reason: "the worker was interrupted (\(name))")
                say("\(name): \(failed) running trial(s) recorded as FAIL; quitting")
                exit(signalNumber == SIGINT ? 130 : 143)
            }
            source.resume()
        }
    }

    /// Restores the default signal actions.
    public func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// Sets every trial this process is running for `study` to FAIL; returns how many it failed.
    @discardableResult
    public static func failRunningTrials(of study: Study, reason: String) -> Int {
        let ids = study.rootStudy.activeTrialIDs.withLock { $0 }
        var failed = 0
        for id in ids.sorted() {
            try? study.storage.setTrialSystemAttribute(trialID: id, key: "fail_reason", value: .string(reason))
            if (try? study.storage.setTrialState(trialID: id, state: .fail, values: nil)) == true { failed += 1 }
        }
        return failed
    }

    public static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
