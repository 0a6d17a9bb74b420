import Foundation

/// Errors about programs: incomplete trees, unknown operators, features out of range.
public enum ProgramError: LocalizedError, Equatable {
    case incomplete(length: Int)
    case unknownOperator(String)
    case featureOutOfRange(feature: Int, features: Int)
    case customOperatorOutOfRange(index: Int, count: Int)
    case parse(text: String, position: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case .incomplete(let length):
            return "the program's \(length) nodes do not form one complete tree (each function needs exactly its arity of subtrees)"
        case .unknownOperator(let name):
            return "unknown operator '\(name)': valid are the built-ins (\(BuiltinOperator.allCases.map(\.name).joined(separator: ", "))) and the function set's custom operators"
        case .featureOutOfRange(let feature, let features):
            return "the program reads feature x\(feature) but the data has \(features) feature column(s)"
        case .customOperatorOutOfRange(let index, let count):
            return "the program uses custom operator #\(index) but the function set has \(count) custom operator(s)"
        case .parse(let text, let position, let reason):
            return "cannot parse '\(text)' at character \(position): \(reason)"
        }
    }
}
