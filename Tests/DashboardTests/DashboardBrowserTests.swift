import Foundation
import StudyEngine
import TestSupport
import Testing

/// The pages in a real browser: the real `symstudy dashboard` serves a study of 2,000 trials and headless
/// Chromium loads each page, runs its scripts and dumps the DOM they built; screenshots are kept.
@Suite(.serialized) struct DashboardBrowserTests {
    static let trialCount = 2_000

    @Test func pagesRenderStudiesChartsTablesAndExpressionsInChromium() throws {
        let chromium = try Chromium.locate()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-browser-\(UUID().uuidString)")
        let shots = folder.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let (url, storage) = try Self.makeStorage(in: folder)
        let id = try DashboardFixture.addStudy(to: storage, trials: Self.trialCount, runningTrials: 2)
        let hostile = try storage.createStudy(name: DashboardFixture.hostileName, directions: [.minimize])
        _ = try storage.createTrial(studyID: hostile, template: FrozenTrial(state: .complete, values: [1]))

        let server = try DashboardProcess(storage: url)
        defer { server.stop() }
        #expect(server.base.hasPrefix("http://127.0.0.1:"), "listens on loopback unless told: \(server.base)")
        let complete = try storage.trials(studyID: id, states: [.complete])
        let best = complete.max { $0.value! < $1.value! }!

        let index = try chromium.dumpDOM(server.base + "/")
        #expect(index.contains("class=\"study-link\">gp-distill</a>"))
        #expect(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile name is shown as text")
        #expect(!index.contains("<script>alert(1)"))
        #expect(Self.count("<tr data-study=", in: index) == 2)
        #expect(index.contains("complete \(complete.count)"))
        #expect(index.contains("(trial \(best.number))"))

        let study = try chromium.dumpDOM(server.base + "/studies/\(id)")
        #expect(study.contains("<h1 id=\"study-name\">gp-distill</h1>"))
        for title in ["Optimisation history: gp-distill", "Intermediate values: gp-distill", "Parallel coordinates: gp-distill",
                      "Slice: gp-distill", "Contour: gp-distill (mutation x parsimony)", "Parameter importances (PED-ANOVA): gp-distill",
                      "Empirical distribution: gp-distill", "Pareto front: gp-distill"] {
            #expect(study.contains(">\(title)</text>"), "missing chart \(title)")
        }
        #expect(Self.count("<svg", in: study) >= 8 + 10, "8 charts and 10 expression trees")
        #expect(study.contains("class=\"best-line\""))
        #expect(Self.count("class=\"curve state-pruned\"", in: study) == (try storage.trialCount(studyID: id, states: [.pruned])))
        #expect(Self.count("<tr data-number=", in: study) == 50)
        #expect(study.contains("\(Self.trialCount) of \(Self.trialCount) trials"))
        #expect(Self.count("class=\"card expression-card\"", in: study) == 10)
        #expect(study.contains("class=\"tree-node\""))
        #expect(study.contains(Self.escaped(best.userAttributes["expression"]!.objectValue!["text"]!.stringValue!)))

        let trial = try chromium.dumpDOM(server.base + "/studies/\(id)/trials/\(best.number)")
        #expect(trial.contains("Trial \(best.number) of gp-distill"))
        #expect(Self.count("<tr><td>", in: trial) >= 4 + 3, "4 parameters and the user attributes")
        #expect(trial.contains("Intermediate values: trial \(best.number)"))
        #expect(trial.contains("class=\"tree-node\""))
        #expect(trial.contains("symstudy export 'gp-distill' --trial \(best.number) --format python"))

        let hostilePage = try chromium.dumpDOM(server.base + "/studies/\(hostile)")
        #expect(hostilePage.contains("<h1 id=\"study-name\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        #expect(!hostilePage.contains("<script>alert(1)"))

        for (name, path) in [("studies", "/"), ("study", "/studies/\(id)"), ("trial", "/studies/\(id)/trials/\(best.number)")] {
            let file = shots.appendingPathComponent("\(name).png")
            try chromium.screenshot(server.base + path, to: file.path, height: name == "study" ? 5200 : 1400)
            let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            #expect(size > 20_000, "\(name) screenshot is \(size) bytes")
        }
        print("dashboard screenshots: \(shots.path)")
    }

    /// A worker adds trials while the study page is open: the page polls, sees the new revision and redraws
    /// its charts and table without reloading.
    @Test func studyPageRedrawsWhileAWorkerWrites() throws {
        let chromium = try Chromium.locate()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (url, storage) = try Self.makeStorage(in: folder)
        let id = try DashboardFixture.addStudy(to: storage, trials: 200, runningTrials: 0)
        // Every poll reads the storage, and the budget is long: Chromium runs timers ahead of real time, so the
        // page must poll for long enough in real time to see the worker's trials.
        let server = try DashboardProcess(storage: url, extra: ["--cache-seconds", "0"])
        defer { server.stop() }
        // The worker: another storage instance on the same file, as another process would open it.
        let worker = try StorageURL(parsing: url).open()
        let stop = ManagedAtomicFlag()
        let writer = Thread {
            var number = 0
            while !stop.isSet, number < 2_000 {
                _ = try? worker.createTrial(studyID: id, template: FrozenTrial(state: .complete, values: [0.5 + Double(number % 10) / 100],
                                                                               datetimeStart: Date(), datetimeComplete: Date()))
                number += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        writer.start()
        let dom = try chromium.dumpDOM(server.base + "/studies/\(id)", budget: 60_000)
        stop.set()
        while writer.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        let redraws = Self.attribute("data-redraws", in: dom).flatMap(Int.init) ?? 0
        print("live study page: \(redraws) redraws, the table shows \(Self.trialCountShown(in: dom) ?? 0) trials")
        #expect(redraws >= 2, "the page redrew \(redraws) times")
        let shown = Self.trialCountShown(in: dom) ?? 0
        #expect(shown > 200, "the table shows \(shown) trials")
        #expect(Self.attribute("data-revision", in: dom) != nil)
    }

    static func attribute(_ name: String, in dom: String) -> String? {
        guard let start = dom.range(of: name + "=\"") else { return nil }
        return String(dom[start.upperBound...].prefix { $0 != "\"" })
    }

    static func trialCountShown(in dom: String) -> Int? {
        guard let start = dom.range(of: "id=\"trial-count\" class=\"muted\">") else { return nil }
        return Int(dom[start.upperBound...].prefix { $0.isNumber })
    }

    /// An SQLite file, the default storage.
    static func makeStorage(in folder: URL) throws -> (url: String, storage: any StudyStorage) {
        let sqlite = "sqlite:///" + folder.appendingPathComponent("studies.db").path
        return (sqlite, try StorageURL(parsing: sqlite).open())
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// Debian's Chromium, headless. Tests that need it fail when it is missing (scripts/test.sh installs it).
struct Chromium {
    let path: String

    static func locate() throws -> Chromium {
        let candidates = [ProcessInfo.processInfo.environment["SYMSTUDY_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestEnvironment.Missing(description: "no Chromium: run scripts/test.sh (it installs Debian's chromium) or apt-get install chromium, or set SYMSTUDY_CHROMIUM")
        }
        return Chromium(path: path)
    }

    /// `budget` is virtual milliseconds: Chromium runs the page's timers (its polling) that far ahead, waiting
    /// for network answers in real time.
    private func arguments(_ extra: [String], budget: Int = 20_000) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
         "--user-data-dir=" + FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path,
         "--virtual-time-budget=\(budget)"] + extra
    }

    /// The DOM after the page's scripts ran.
    func dumpDOM(_ url: String, budget: Int = 20_000) throws -> String {
        let result = try TestProcess.run(URL(fileURLWithPath: path), arguments(["--dump-dom", url], budget: budget))
        guard result.status == 0, result.stdout.contains("</html>") else {
            throw TestEnvironment.Missing(description: "chromium --dump-dom \(url) exited \(result.status): \(result.stderr.suffix(800))")
        }
        return result.stdout
    }

    func screenshot(_ url: String, to file: String, height: Int) throws {
        let result = try TestProcess.run(URL(fileURLWithPath: path), arguments(["--window-size=1400,\(height)", "--screenshot=" + file, url]))
        guard result.status == 0 else {
            throw TestEnvironment.Missing(description: "chromium --screenshot \(url) exited \(result.status): \(result.stderr.suffix(800))")
        }
    }
}

/// `symstudy dashboard --port 0` in a child process, and the address it printed.
final class DashboardProcess {
    let process: Process
    let base: String

    init(storage: String, extra: [String] = []) throws {
        let output = Pipe()
        process = try TestProcess.start(TestProcess.product("symstudy"), ["dashboard", "--storage", storage, "--port", "0",
                                                                         "--pages", DashboardFixture.pagesFolder] + extra,
                                        stdout: output, stderr: FileHandle.standardError)
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("\n"), Date() < deadline, process.isRunning {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let start = text.range(of: "http://"), let end = text[start.lowerBound...].firstIndex(of: " ") else {
            process.terminate()
            throw TestEnvironment.Missing(description: "symstudy dashboard printed no address: \(text)")
        }
        base = String(text[start.lowerBound..<end]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }
}

/// A flag one thread sets and another reads.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
