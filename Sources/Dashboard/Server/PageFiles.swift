import Foundation
import Hummingbird

/// The dashboard's pages, styles and scripts: the regular files directly inside the pages folder, read once
/// at start. Only these names are ever served, so no request path can reach another file (`..`, encoded
/// slashes and symbolic links find nothing).
struct PageFiles: Sendable {
    struct File: Sendable {
        var contentType: String
        var bytes: ByteBuffer
    }

    /// The pages every dashboard needs.
    static let requiredPages = ["index.html", "study.html", "trial.html"]

    let folder: String
    private let files: [String: File]

    /// Reads the folder; throws `DashboardError.pagesMissing` when it lacks a required page.
    init(folder: String) throws {
        self.folder = folder
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        var files: [String: File] = [:]
        for name in names where Self.isServable(name) {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let data = manager.contents(atPath: path) else { continue }
            files[name] = File(contentType: Self.contentType(of: name), bytes: ByteBuffer(data: data))
        }
        for page in Self.requiredPages where files[page] == nil {
            throw DashboardError.pagesMissing(folder: folder, file: page)
        }
        self.files = files
    }

    /// The file named `name`, if it is one of the dashboard's.
    func file(_ name: String) -> File? { files[name] }

    /// The response for `name`, or `DashboardError.notFound`.
    func response(_ name: String, requested path: String) throws -> Response {
        guard let file = files[name] else { throw DashboardError.notFound(path: path) }
        return HTTPAnswer.bytes(file.bytes, contentType: file.contentType, page: name.hasSuffix(".html"))
    }

    /// Plain names only: letters, digits, `-`, `_` and dots, not starting with a dot.
    static func isServable(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first != "." else { return false }
        return name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json": return "application/json; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// Where the pages are when no folder is given: `$SYMSTUDY_DASHBOARD_PAGES`, `./dashboards`, a
    /// `dashboards` folder beside or above the running executable (a build inside the project), or the
    /// project this module was compiled from.
    static func defaultFolder() -> String {
        let manager = FileManager.default
        func holdsPages(_ folder: String) -> Bool {
            manager.fileExists(atPath: (folder as NSString).appendingPathComponent("index.html"))
        }
        if let folder = ProcessInfo.processInfo.environment["SYMSTUDY_DASHBOARD_PAGES"], !folder.isEmpty { return folder }
        let current = (manager.currentDirectoryPath as NSString).appendingPathComponent("dashboards")
        if holdsPages(current) { return current }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" && !directory.path.isEmpty {
            let candidate = directory.appendingPathComponent("dashboards").path
            if holdsPages(candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("dashboards").path
    }
}
