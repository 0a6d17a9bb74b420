import Hummingbird

/// Every route of the dashboard, in one place. All are GET: the dashboard never changes storage, so any
/// other method finds no route.
enum DashboardRoutes {
    static func router(api: DashboardAPI, pages: PageFiles) -> Router<BasicRequestContext> {
        let router = Router()

        // Pages: the HTML is static, its scripts read the API. A page of an unknown study or trial is a 404.
        router.get("/") { request, _ in try pages.response("index.html", requested: request.uri.path) }
        router.get("/studies/:study") { request, context in
            try await api.requireStudy(try context.parameters.require("study"))
            return try pages.response("study.html", requested: request.uri.path)
        }
        router.get("/studies/:study/trials/:number") { request, context in
            try await api.requireStudy(try context.parameters.require("study"), trial: try context.parameters.require("number"))
            return try pages.response("trial.html", requested: request.uri.path)
        }
        router.get("/static/:file") { request, context in
            try pages.response(try context.parameters.require("file"), requested: request.uri.path)
        }

        // The JSON API and the charts.
        let apiRoutes = router.group("api")
        apiRoutes.get("studies") { _, _ in try await api.studies() }
        apiRoutes.get("studies/:study") { _, context in try await api.study(try context.parameters.require("study")) }
        apiRoutes.get("studies/:study/trials") { request, context in
            try await api.trials(try context.parameters.require("study"), parameters: query(request))
        }
        apiRoutes.get("studies/:study/trials/:number") { _, context in
            try await api.trial(try context.parameters.require("study"), number: try context.parameters.require("number"))
        }
        apiRoutes.get("studies/:study/importance") { request, context in
            try await api.importance(try context.parameters.require("study"), parameters: query(request))
        }
        apiRoutes.get("studies/:study/charts/:chart") { request, context in
            try await api.chart(try context.parameters.require("study"), file: try context.parameters.require("chart"),
                                parameters: query(request))
        }
        apiRoutes.get("studies/:study/trials/:number/charts/:chart") { request, context in
            try await api.trialChart(try context.parameters.require("study"), number: try context.parameters.require("number"),
                                     file: try context.parameters.require("chart"), parameters: query(request))
        }
        return router
    }

    /// The query's parameters, percent-decoded; the first of a repeated name counts.
    static func query(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where parameters[String(key)] == nil {
            parameters[String(key)] = String(value)
        }
        return parameters
    }
}
