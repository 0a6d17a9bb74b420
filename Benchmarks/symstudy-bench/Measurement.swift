import Foundation
import Synchronization

/// Process CPU time and wall time, read together.
struct Clock {
    /// CPU seconds used by this process so far (every thread), as Python's `time.process_time`.
    static func processCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// Monotonic wall seconds.
    static func wall() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// The 1, 5 and 15 minute load averages.
    static func loadAverage() -> [Double] {
        var loads = [Double](repeating: 0, count: 3)
        _ = getloadavg(&loads, 3)
        return loads
    }
}

enum Statistics {
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid])
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}

/// Writes a JSON document (from `JSONSerialization`-compatible values) to `path`, creating folders.
func writeJSON(_ object: Any, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: url)
    FileHandle.standardError.write("wrote \(path)\n".data(using: .utf8)!)
}

/// Facts about the machine and the run, as the Optuna harnesses record them.
func environmentInfo() -> [String: Any] {
    var cpuModel = "unknown"
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
        cpuModel = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? cpuModel
    }
    return [
        "tool": "symstudy-bench",
        "cpu_model": cpuModel,
        "cpu_count": ProcessInfo.processInfo.activeProcessorCount,
        "timestamp": ISO8601DateFormatter().string(from: Date()),
    ]
}

/// Result rows gathered from worker threads (JSON-like values are not `Sendable`, hence the lock).
final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [[String: Any]] = []

    /// Adds a row and returns how many there are now.
    @discardableResult
    func append(_ row: [String: Any]) -> Int {
        lock.lock()
        defer { lock.unlock() }
        rows.append(row)
        return rows.count
    }

    var all: [[String: Any]] {
        lock.lock()
        defer { lock.unlock() }
        return rows
    }
}

/// How long a cache line takes to go from one core to another and back, in nanoseconds (two threads handing
/// an atomic counter to each other `rounds` times; the median of `samples` tries). On a virtual machine the
/// host may put the two vCPUs on one core complex (~100 ns) or on two (~400-500 ns), which decides how well
/// work that hands data between threads scales; the benchmark records it beside every 2-thread figure.
func coreRoundTripNanoseconds(rounds: Int = 20_000, samples: Int = 5) -> Double {
    final class Baton: @unchecked Sendable { let value = Atomic<Int>(0) }
    var results: [Double] = []
    for _ in 0..<samples {
        let baton = Baton()
        let partner = Thread {
            for round in 0..<rounds {
                while baton.value.load(ordering: .acquiring) != 2 * round + 1 {}
                baton.value.store(2 * round + 2, ordering: .releasing)
            }
        }
        partner.start()
        // The partner has started once it answers the first hand-over; time the rest.
        baton.value.store(1, ordering: .releasing)
        while baton.value.load(ordering: .acquiring) != 2 {}
        let start = Clock.wall()
        for round in 1..<rounds {
            baton.value.store(2 * round + 1, ordering: .releasing)
            while baton.value.load(ordering: .acquiring) != 2 * round + 2 {}
        }
        results.append((Clock.wall() - start) / Double(rounds - 1) * 1e9)
    }
    return Statistics.median(results)
}
