import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import StudyEngine
import Testing

/// The JSON API and the charts, driven in-process over a real journal file.
@Suite struct DashboardAPITests {
    let folder: URL
    let storage: any StudyStorage

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        storage = try JournalStorage(path: folder.appendingPathComponent("studies.log").path)
        try DashboardFixture.addStudy(to: storage, trials: 120)
        try DashboardFixture.addMultiObjectiveStudy(to: storage)
        _ = try storage.createStudy(name: "empty", directions: [.minimize])
    }

    var client: DashboardTestClient { DashboardTestClient(storage: storage) }

    @Test func studiesListsEveryStudyWithCountsBestAndExpression() async throws {
        let answer = try await client.get("/api/studies")
        #expect(answer.status == .ok)
        #expect(answer.contentType.hasPrefix("application/json"))
        let studies = try #require(try answer.json.arrayValue)
        #expect(studies.map { $0.objectValue?["name"]?.stringValue } == ["gp-distill", "fidelity-vs-size", "empty"])
        let first = try #require(studies[0].objectValue)
        #expect(first["trialCount"]?.intValue == 120)
        let counts = try #require(first["counts"]?.objectValue)
        #expect(counts["PRUNED"]?.intValue == 24)
        #expect(counts["RUNNING"]?.intValue == 1)
        #expect(counts.values.compactMap(\.intValue).reduce(0, +) == 120)
        // The best value is the largest complete value (the study maximises), with its expression.
        let trials = try storage.trials(studyID: 0, states: [.complete])
        let best = trials.max { $0.value! < $1.value! }!
        let bestJSON = try #require(first["best"]?.objectValue)
        #expect(bestJSON["number"]?.intValue == best.number)
        #expect(bestJSON["values"]?.arrayValue?.first?.doubleValue == best.value)
        #expect(bestJSON["expression"]?.stringValue?.hasPrefix("(") == true)
        #expect(first["lastActivity"]?.stringValue?.hasPrefix("2026-01-01T") == true)
        #expect(studies[1].objectValue?["paretoSize"]?.intValue ?? 0 > 0)
        #expect(studies[2].objectValue?["best"] == nil || studies[2].objectValue?["best"] == .null)
    }

    @Test func studyDetailDescribesParametersTopExpressionsAndRevision() async throws {
        let detail = try #require(try await client.get("/api/studies/0").json.objectValue)
        #expect(detail["parameters"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } == ["mutation", "operators", "parsimony", "population"])
        let operators = detail["parameters"]!.arrayValue![1].objectValue!
        #expect(operators["choices"]?.arrayValue?.compactMap(\.stringValue) == ["basic", "trig", "full"])
        let top = try #require(detail["topExpressions"]?.arrayValue)
        #expect(top.count == 10)
        let values = top.compactMap { $0.objectValue?["values"]?.arrayValue?.first?.doubleValue }
        #expect(values == values.sorted(by: >))
        #expect(top[0].objectValue?["expression"]?.objectValue?["tree"]?.objectValue?["label"] != nil)
        #expect(detail["hasIntermediateValues"] == .bool(true))
        // A new trial changes the revision the pages poll.
        let before = detail["revision"]?.stringValue
        _ = try storage.createTrial(studyID: 0, template: nil)
        let after = try await client.get("/api/studies/0").json.objectValue?["revision"]?.stringValue
        #expect(before != nil && after != nil && before != after)
    }

    @Test func trialsTableSortsFiltersAndPages() async throws {
        let answers = try await client.get([
            "/api/studies/0/trials?sort=value&order=desc&limit=5",
            "/api/studies/0/trials?state=PRUNED&limit=500",
            "/api/studies/0/trials?q=operators%3Dtrig&limit=500",
            "/api/studies/0/trials?sort=param:population&offset=100&limit=50",
            "/api/studies/0/trials?sort=bogus",
            "/api/studies/0/trials?limit=100000",
        ])
        let top = try #require(try answers[0].json.objectValue)
        let rows = try #require(top["rows"]?.arrayValue)
        let values = rows.compactMap { $0.objectValue?["values"]?.arrayValue?.first?.doubleValue }
        #expect(values.count == 5 && values == values.sorted(by: >))
        let best = try storage.trials(studyID: 0, states: [.complete]).map { $0.value! }.max()
        #expect(values.first == best)
        let pruned = try #require(try answers[1].json.objectValue)
        #expect(pruned["matched"]?.intValue == 24)
        #expect(pruned["rows"]?.arrayValue?.allSatisfy { $0.objectValue?["state"]?.stringValue == "PRUNED" } == true)
        let trig = try #require(try answers[2].json.objectValue?["rows"]?.arrayValue)
        let expectedTrig = try storage.trials(studyID: 0).filter { $0.params["operators"] == "trig" }.count
        #expect(trig.count == expectedTrig && expectedTrig > 0)
        let paged = try #require(try answers[3].json.objectValue)
        #expect(paged["rows"]?.arrayValue?.count == 20)
        let populations = paged["rows"]!.arrayValue!.compactMap { Int($0.objectValue?["params"]?.objectValue?["population"]?.stringValue ?? "") }
        #expect(populations == populations.sorted())
        for answer in answers[4...] {
            #expect(answer.status == .badRequest)
            #expect(try answer.json.objectValue?["error"]?.stringValue?.contains("bad option") == true)
        }
    }

    @Test func trialDetailHoldsParamsIntermediateValuesExpressionAndExports() async throws {
        let complete = try #require(try storage.trials(studyID: 0, states: [.complete]).first)
        let detail = try #require(try await client.get("/api/studies/0/trials/\(complete.number)").json.objectValue)
        #expect(detail["state"]?.stringValue == "COMPLETE")
        #expect(detail["params"]?.arrayValue?.count == 4)
        #expect(detail["intermediateValues"]?.arrayValue?.count == 20)
        let expression = try #require(detail["expression"]?.objectValue)
        #expect(expression["text"]?.stringValue == complete.userAttributes["expression"]?.objectValue?["text"]?.stringValue)
        #expect(expression["latex"]?.stringValue?.contains("x_{0}") == true)
        let exports = try #require(detail["exports"]?.objectValue)
        #expect(exports["commands"]?.arrayValue?.first?.stringValue == "symstudy export 'gp-distill' --trial \(complete.number) --format python")
        #expect(detail["userAttributes"]?.objectValue?["generations"]?.intValue == 20)
        let svg = try await client.get("/api/studies/0/trials/\(complete.number)/charts/expression.svg")
        #expect(svg.contentType.hasPrefix("image/svg+xml"))
        let tree = try #require(SVGCheck.parse(svg.body))
        #expect(tree.count("rect") - 1 == complete.userAttributes["expression"]?.objectValue?["size"]?.intValue)
    }

    @Test func unknownStudiesAndTrialsAre404WithJSONErrors() async throws {
        let answers = try await client.get([
            "/api/studies/99", "/api/studies/abc", "/api/studies/-1/trials", "/api/studies/0/trials/100000",
            "/api/studies/0/trials/x", "/api/studies/0/charts/nope.svg", "/api/studies/99/charts/history.svg",
            "/studies/99", "/studies/0/trials/5000", "/api/nothing", "/no/such/page",
        ])
        for answer in answers {
            #expect(answer.status == .notFound)
            #expect(answer.contentType.hasPrefix("application/json"))
            #expect(try answer.json.objectValue?["error"]?.stringValue?.isEmpty == false)
        }
        #expect(try answers[0].json.objectValue?["error"]?.stringValue == "no study '99' in the storage")
    }

    @Test(arguments: ChartKind.allCases)
    func everyChartIsWellFormedSVG(kind: ChartKind) async throws {
        let answers = try await client.get(["/api/studies/0/charts/\(kind.rawValue).svg", "/api/studies/1/charts/\(kind.rawValue).svg",
                                            "/api/studies/2/charts/\(kind.rawValue).svg"])
        for answer in answers {
            #expect(answer.status == .ok)
            #expect(answer.contentType.hasPrefix("image/svg+xml"))
            #expect(SVGCheck.parse(answer.body) != nil, "\(kind) is not well-formed: \(answer.body.prefix(300))")
        }
        let chart = try #require(SVGCheck.parse(answers[0].body))
        let complete = try storage.trialCount(studyID: 0, states: [.complete])
        switch kind {
        case .history: #expect(chart.count("circle") == complete + 1) // one more in the legend
        case .intermediate: #expect(chart.count("polyline") == 120)
        case .parallel: #expect(chart.count("polyline") == complete)
        case .slice: #expect(chart.count("circle") == 4 * complete)
        case .contour: #expect(chart.count("rect") > 36 * 36)
        case .importance: #expect(chart.texts.contains("population"))
        case .edf: #expect(chart.count("polyline") == 1)
        case .pareto: #expect(chart.texts.contains { $0.hasPrefix("Pareto front (") })
        }
        // The empty study gets a chart that says why it is empty.
        #expect(try #require(SVGCheck.parse(answers[2].body)).count("text") == 2)
    }

    @Test func chartOptionsAreCheckedAndApplied() async throws {
        let answers = try await client.get([
            "/api/studies/0/charts/contour.svg?x=mutation&y=population",
            "/api/studies/0/charts/contour.svg?x=nope",
            "/api/studies/0/charts/history.svg?objective=3",
            "/api/studies/0/charts/importance.svg?method=magic",
            "/api/studies/0/importance?method=fanova",
            "/api/studies/1/charts/pareto.svg?objective=1&objective2=0",
            "/api/studies/0/charts/slice.svg?param=population",
        ])
        #expect(answers[0].status == .ok && answers[0].body.contains("mutation x population"))
        for answer in answers[1...3] { #expect(answer.status == .badRequest) }
        let importances = try #require(try answers[4].json.objectValue?["importances"]?.arrayValue)
        #expect(importances.count == 4)
        let total = importances.compactMap { $0.objectValue?["importance"]?.doubleValue }.reduce(0, +)
        #expect(abs(total - 1) < 1e-9)
        #expect(answers[5].status == .ok)
        #expect(try #require(SVGCheck.parse(answers[6].body)).count("g") >= 1)
        #expect(answers[6].body.contains(">population<") && !answers[6].body.contains(">mutation<"))
    }

    @Test func pagesAreServedWithAPolicyThatRunsNoInlineScript() async throws {
        let answers = try await client.get(["/", "/studies/0", "/studies/0/trials/3", "/static/dashboard.css", "/static/study.js"])
        for answer in answers { #expect(answer.status == .ok) }
        #expect(answers[0].body.contains("<table id=\"studies\""))
        #expect(answers[1].body.contains("data-chart=\"history\""))
        #expect(answers[2].body.contains("id=\"expression\""))
        for page in answers[0...2] {
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
        #expect(answers[3].contentType.hasPrefix("text/css"))
        #expect(answers[4].contentType.hasPrefix("text/javascript"))
    }

    @Test func nothingButGETIsAnswered() async throws {
        let before = try storage.allStudies().map(\.trialCount)
        for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
            let answers = try await client.get(["/api/studies", "/api/studies/0", "/api/studies/0/trials", "/api/studies/0/trials/1"],
                                               method: method)
            for answer in answers {
                #expect(answer.status == .notFound || answer.status == .methodNotAllowed)
                #expect(try answer.json.objectValue?["error"] != nil)
            }
        }
        #expect(try storage.allStudies().map(\.trialCount) == before)
    }
}
