@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import StudyEngine
import Testing

/// What users store is shown as text, never run; only the dashboard's own files are served; bad storage
/// content gets error answers, never a crash.
@Suite struct DashboardSafetyTests {
    static let payload = DashboardFixture.hostileName

    func hostileStorage() throws -> any StudyStorage {
        let storage = InMemoryStorage()
        let id = try storage.createStudy(name: Self.payload, directions: [.minimize])
        try storage.setStudyUserAttribute(studyID: id, key: "<img src=x onerror=alert(2)>", value: "</script><script>alert(3)</script>")
        let name = "<b onmouseover=alert(4)>lr</b>"
        let lr = try FloatDistribution(low: 0.001, high: 1, log: true)
        let choice = try CategoricalDistribution(choices: ["<i>a</i>", "\"quoted\" & 'single'"])
        for number in 0..<30 {
            let tree: JSONValue = ["label": "<svg onload=alert(5)>", "children": [["label": "x0&x1", "children": []]]]
            _ = try storage.createTrial(studyID: id, template: FrozenTrial(
                state: .complete, values: [Double(number % 7) + 0.5], datetimeStart: Date(), datetimeComplete: Date(),
                params: [name: .double(0.001 * Double(number + 1)), "kind": choice.choices[number % 2]],
                distributions: [name: .float(lr), "kind": .categorical(choice)],
                userAttributes: ["expression": ["text": "<script>alert(6)</script>", "latex": "\\frac{<}{>}", "size": 2, "tree": tree],
                                 "note\u{1}": "control\u{0}chars\u{1F}", "html": "<iframe src=javascript:alert(7)>"],
                intermediateValues: [0: 1, 1: 0.5]))
        }
        return storage
    }

    @Test func hostileStringsAreEscapedInEveryChartAndAnswer() async throws {
        let storage = try hostileStorage()
        var uris = ChartKind.allCases.map { "/api/studies/0/charts/\($0.rawValue).svg" }
        uris += ["/api/studies/0/trials/3/charts/expression.svg", "/api/studies/0/trials/3/charts/intermediate.svg",
                 "/api/studies/0/charts/contour.svg?x=kind&y=%3Cb%20onmouseover%3Dalert(4)%3Elr%3C%2Fb%3E"]
        let answers = try await DashboardTestClient(storage: storage).get(uris)
        for (uri, answer) in zip(uris, answers) {
            #expect(answer.status == .ok, "\(uri): \(answer.body.prefix(200))")
            let check = SVGCheck.parse(answer.body)
            #expect(check != nil, "\(uri) is not well-formed")
            // No element but the chart's own: the payloads' tags never become elements.
            for tag in ["script", "img", "iframe", "b", "i", "foreignObject"] {
                #expect(check?.count(tag) == 0, "\(uri) holds <\(tag)>")
                #expect(!answer.body.contains("<\(tag) ") && !answer.body.contains("<\(tag)>"), "\(uri) holds raw <\(tag)>")
            }
            #expect(!answer.body.contains("<svg onload"))
            #expect(!answer.body.contains("\u{1}") && !answer.body.contains("\u{0}"))
        }
        // The name is drawn as text, exactly.
        let history = try #require(SVGCheck.parse(answers[0].body))
        #expect(history.texts.contains("Optimisation history: \(Self.payload)"))
        #expect(answers[0].body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let tree = try #require(SVGCheck.parse(answers[8].body))
        #expect(tree.texts.contains("<svg onload=alert(5)>") && tree.texts.contains("x0&x1"))
    }

    @Test func hostileStringsAreJSONTextAndPagesNeverEmbedThem() async throws {
        let storage = try hostileStorage()
        let answers = try await DashboardTestClient(storage: storage).get(["/api/studies", "/api/studies/0", "/api/studies/0/trials/1", "/", "/studies/0"])
        for answer in answers[0...2] {
            #expect(answer.contentType.hasPrefix("application/json"))
            #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
        #expect(try answers[0].json.arrayValue?.first?.objectValue?["name"]?.stringValue == Self.payload)
        let trial = try #require(try answers[2].json.objectValue)
        #expect(trial["userAttributes"]?.objectValue?["html"]?.stringValue == "<iframe src=javascript:alert(7)>")
        #expect(trial["expression"]?.objectValue?["text"]?.stringValue == "<script>alert(6)</script>")
        // Pages are static: they never hold a stored string; their scripts put them in as text.
        for page in answers[3...4] {
            #expect(!page.body.contains("alert("))
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }

    @Test func onlyTheDashboardsOwnFilesAreServed() async throws {
        let attempts = [
            "/static/../Package.swift", "/static/..%2FPackage.swift", "/static/%2e%2e%2fPackage.swift",
            "/static/%2E%2E/%2E%2E/Package.swift", "/static/..%5cPackage.swift", "/static/....//Package.swift",
            "/static/%252e%252e%252fPackage.swift", "/static/.", "/static/..", "/static/", "/static//etc/passwd",
            "/static/%2Fetc%2Fpasswd", "/static/dashboard.css%00.html", "/..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
            "/static/..%c0%afPackage.swift", "/static/.hidden", "/dashboards/index.html", "/static/index.html/..",
        ]
        let answers = try await DashboardTestClient(storage: InMemoryStorage()).get(attempts + ["/static/dashboard.css"])
        for (uri, answer) in zip(attempts, answers) {
            #expect(answer.status == .notFound, "\(uri) answered \(answer.status)")
            #expect(answer.contentType.hasPrefix("application/json"), "\(uri)")
            #expect(!answer.body.contains("PackageDescription") && !answer.body.contains("root:"), "\(uri) leaked a file")
        }
        #expect(answers.last?.status == .ok)
    }

    @Test func servableNamesArePlain() {
        for name in ["dashboard.css", "study.js", "index.html", "a-b_c.1.js"] { #expect(PageFiles.isServable(name)) }
        for name in ["..", ".", ".env", "../x", "a/b", "a\\b", "x%2f", "", "é.js", "a b"] { #expect(!PageFiles.isServable(name), "\(name)") }
    }

    @Test func malformedExpressionsAndNonFiniteValuesDoNotBreakAnything() async throws {
        let storage = InMemoryStorage()
        let id = try storage.createStudy(name: "odd", directions: [.minimize])
        var deep: JSONValue = ["label": "x", "children": []]
        for _ in 0..<400 { deep = ["label": "neg", "children": [deep]] }
        let odd: [JSONValue] = [
            42, "just text", ["tree": ["label": 5, "children": "not a list"]], ["size": "big", "outputs": [1, ["name": 2]]],
            ["tree": deep], ["outputs": [["name": "left", "text": "x0", "tree": ["label": "x0"]], ["name": "right", "size": 3]]], [],
        ]
        let x = try FloatDistribution(low: 0, high: 1)
        for (number, expression) in odd.enumerated() {
            let values: [Double] = [[Double.nan], [Double.infinity], [-Double.infinity], [1], [2], [3], [4]][number]
            _ = try storage.createTrial(studyID: id, template: FrozenTrial(
                state: .complete, values: values, params: ["x": .double(Double(number) / 10)], distributions: ["x": .float(x)],
                userAttributes: ["expression": expression], intermediateValues: [0: .nan, 1: .infinity, 2: 1]))
        }
        var uris = ["/api/studies", "/api/studies/0", "/api/studies/0/trials?sort=value&order=desc", "/api/studies/0/importance"]
        uris += (0..<odd.count).map { "/api/studies/0/trials/\($0)" }
        uris += (0..<odd.count).map { "/api/studies/0/trials/\($0)/charts/expression.svg" }
        uris += ["/api/studies/0/trials/5/charts/expression.svg?output=1", "/api/studies/0/trials/5/charts/expression.svg?output=9",
                 "/api/studies/0/trials/0/charts/intermediate.svg"]
        uris += ChartKind.allCases.map { "/api/studies/0/charts/\($0.rawValue).svg" }
        let answers = try await DashboardTestClient(storage: storage).get(uris)
        for (uri, answer) in zip(uris, answers) {
            if uri.hasSuffix("output=9") {
                #expect(answer.status == .badRequest)
                continue
            }
            #expect(answer.status == .ok, "\(uri): \(answer.status) \(answer.body.prefix(200))")
            if answer.contentType.hasPrefix("image/svg") {
                #expect(SVGCheck.parse(answer.body) != nil, "\(uri) is not well-formed")
            } else {
                #expect((try? answer.json) != nil, "\(uri) is not JSON: \(answer.body.prefix(200))")
            }
        }
        let nan = try #require(try answers[4].json.objectValue)
        #expect(nan["values"] == ["NaN"])
        #expect(try answers[5].json.objectValue?["expression"]?.objectValue?["size"] == nil)
        // The deep tree is cut at ExpressionNode's depth limit instead of overflowing the stack.
        let deepSVG = try #require(SVGCheck.parse(answers[4 + odd.count + 4].body))
        #expect(deepSVG.count("rect") - 1 == 101)
        _ = id
    }

    @Test func unreadableStorageGetsErrorAnswersNotACrash() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("studies.log").path
        let storage = try JournalStorage(path: path)
        try DashboardFixture.addStudy(to: storage, trials: 5)
        // Another process appends garbage to the journal after the dashboard opened it.
        let badLine = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count + 1
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"op_code\": 99, \"this is\": not json\n\u{0}\u{1}garbage\n".utf8))
        try handle.close()
        let answers = try await DashboardTestClient(storage: storage).get(["/api/studies", "/api/studies/0", "/api/studies/0/charts/history.svg", "/"])
        // The journal's own error says which line is bad; the server goes on answering.
        for answer in answers[0...2] {
            #expect(answer.status == .serviceUnavailable, "\(answer.status) \(answer.body.prefix(200))")
            let message = try answer.json.objectValue?["error"]?.stringValue ?? ""
            #expect(message.hasPrefix("the storage could not be read") && message.contains("line \(badLine):"), "\(message)")
        }
        #expect(answers[3].status == .ok)
    }
}
