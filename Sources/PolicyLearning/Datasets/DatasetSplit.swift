import Environments
import Foundation

/// Which rows of a dataset train and which test: explicit row ranges (both ends included, as `rows 0-14999`),
/// or a share of the rows drawn with a seed.
public enum DatasetSplit: Sendable, Equatable {
    case ranges(train: ClosedRange<Int>, test: ClosedRange<Int>)
    case fraction(test: Double, seed: UInt64)

    /// The train and test row indices of a dataset of `count` rows; `source` names the dataset in errors.
    public func indices(count: Int, source: String) throws -> (train: [Int], test: [Int]) {
        switch self {
        case .ranges(let train, let test):
            for (name, range) in [("train", train), ("test", test)] where range.lowerBound < 0 || range.upperBound >= count {
                throw DatasetError.split(file: source, problem: "the \(name) rows \(range.lowerBound)-\(range.upperBound) are beyond its \(count) rows (0-\(count - 1))")
            }
            guard !train.overlaps(test) else {
                throw DatasetError.split(file: source, problem: "the train rows \(train.lowerBound)-\(train.upperBound) overlap the test rows \(test.lowerBound)-\(test.upperBound)")
            }
            return (Array(train), Array(test))
        case .fraction(let share, let seed):
            guard share > 0, share < 1 else { throw DatasetError.split(file: source, problem: "test_fraction \(share) must lie strictly between 0 and 1") }
            let testCount = Int((Double(count) * share).rounded())
            guard testCount >= 1, testCount < count else {
                throw DatasetError.split(file: source, problem: "test_fraction \(share) of \(count) rows leaves an empty train or test part")
            }
            var order = Array(0..<count), generator = SeededGenerator(seed: seed)
            order.shuffle(using: &generator)
            return (order[testCount...].sorted(), order[..<testCount].sorted())
        }
    }
}
