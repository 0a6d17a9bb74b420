import Foundation
import Hummingbird
import StudyEngine

/// Why the dashboard could not answer; each case carries its HTTP status and answers as JSON
/// `{"error": message, "status": code}`.
public enum DashboardError: LocalizedError, HTTPResponseError, Sendable {
    /// No study with this id (or name).
    case studyNotFound(String)
    /// The study has no trial with this number.
    case trialNotFound(study: String, number: String)
    /// A query option is missing or invalid.
    case badOption(name: String, reason: String)
    /// No page, file or endpoint at this path.
    case notFound(path: String)
    /// The storage could not be read (unreachable, or holding what it cannot decode).
    case storageFailed(String)
    /// The folder of pages is missing or incomplete.
    case pagesMissing(folder: String, file: String)

    public var errorDescription: String? {
        switch self {
        case .studyNotFound(let study): return "no study '\(study)' in the storage"
        case .trialNotFound(let study, let number): return "study '\(study)' has no trial number \(number)"
        case .badOption(let name, let reason): return "bad option '\(name)': \(reason)"
        case .notFound(let path): return "nothing at \(path)"
        case .storageFailed(let reason): return "the storage could not be read: \(reason)"
        case .pagesMissing(let folder, let file): return "the dashboard pages folder \(folder) has no \(file); pass --pages DIR naming the project's dashboards/ folder"
        }
    }

    public var status: HTTPResponse.Status {
        switch self {
        case .studyNotFound, .trialNotFound, .notFound: return .notFound
        case .badOption: return .badRequest
        case .storageFailed: return .serviceUnavailable
        case .pagesMissing: return .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        HTTPAnswer.json(text: JSONErrorText.make(errorDescription ?? "error", status: status), status: status)
    }
}
