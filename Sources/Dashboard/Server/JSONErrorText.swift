import Hummingbird
import StudyEngine

/// The body of every error answer: `{"error": message, "status": code}`.
enum JSONErrorText {
    static func make(_ message: String, status: HTTPResponse.Status) -> String {
        JSONValue.object(["error": .string(message), "status": .int(Int(status.code))]).jsonText
    }
}
