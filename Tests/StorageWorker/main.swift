// A worker process for the storage tests: runs trials of one study in an SQLite or PostgreSQL storage,
// as one of several processes sharing it.
//
//   symstudy-storage-worker sqlite PATH|postgres URL STUDY TRIALS THREADS
import Foundation
import StudyEngine

let arguments = CommandLine.arguments
guard arguments.count == 6, let trials = Int(arguments[4]), let threads = Int(arguments[5]) else {
    FileHandle.standardError.write("usage: symstudy-storage-worker sqlite PATH|postgres URL STUDY TRIALS THREADS\n".data(using: .utf8)!)
    exit(2)
}
do {
    let storage: any StudyStorage = arguments[1] == "postgres"
        ? try PostgresStorage(url: arguments[2]) : try SQLiteStorage(path: arguments[2])
    let pid = Int(ProcessInfo.processInfo.processIdentifier)
    let study = try Study.load(name: arguments[3], storage: storage, sampler: RandomSampler(seed: UInt64(pid)))
    try study.optimize(nTrials: trials, jobs: threads, catching: .none) { trial in
        let x = try trial.suggestFloat("x", -1, 1)
        let k = try trial.suggestInt("k", 0, 9)
        let c = try trial.suggestCategorical("c", ["p", "q"])
        try trial.report(x, step: 0)
        try trial.setUserAttribute("pid", .int(pid))
        return x * x + Double(k) + (c == "p" ? 0 : 1)
    }
} catch {
    FileHandle.standardError.write("worker \(ProcessInfo.processInfo.processIdentifier): \(error.localizedDescription)\n".data(using: .utf8)!)
    exit(1)
}
