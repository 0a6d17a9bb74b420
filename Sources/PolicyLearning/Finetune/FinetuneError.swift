import Foundation

/// Why a fine-tuning cannot run: its start, its teacher or its options; each message names what is at fault.
enum FinetuneError: LocalizedError, Equatable, Sendable {
    /// The start policy cannot be read or does not fit the environment.
    case start(String)
    /// The teacher of the soft expert term cannot be used.
    case teacher(String)
    /// An option has a value outside its range: the option's name, the value and what is valid.
    case option(name: String, value: String, valid: String)

    var errorDescription: String? {
        switch self {
        case .start(let why): return "finetune start: \(why)"
        case .teacher(let why): return "finetune teacher: \(why)"
        case .option(let name, let value, let valid): return "finetune option \(name) = \(value) is not valid: expected \(valid)"
        }
    }
}
