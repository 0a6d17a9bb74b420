import Environments
import Foundation

/// Turns a DiffSES object-level state (a list of typed objects) into a fixed-length feature vector, as DiffSES
/// does: one slot group per object type, each slot holding the chosen fields of one object of that type (in the
/// order the objects appear in the state), zero padding for absent objects; then optional relations between
/// two objects (e.g. the ball's y minus the player's y).
///
/// The feature order is: for each object type in `objects` order, for each of its slots, each of its fields (the
/// group's own `fields`, else the featurizer's) in order; then each relation in `relations` order. `featureNames` lists them. Its JSON form (`Codable`) is
/// enough to rebuild the features in another language.
public struct Featurizer: Codable, Sendable, Equatable {
    /// One field of an object: `x` (`x_position`), `y` (`y_position`), `dx` (`x_velocity`), `dy` (`y_velocity`).
    public enum Field: String, Codable, Sendable, CaseIterable {
        case x, y, dx, dy

        @inline(__always) func value(_ object: ObjectState) -> Double {
            switch self {
            case .x: return object.x
            case .y: return object.y
            case .dx: return object.xVelocity
            case .dy: return object.yVelocity
            }
        }
    }

    /// The slot group of one object type.
    public struct ObjectSlots: Codable, Sendable, Equatable {
        /// The object type id of the state's objects (`type`).
        public var type: Int
        /// The name used in feature names (`ball` gives `ball_x`).
        public var name: String
        /// How many objects of this type get features (more are ignored, fewer are zero padded).
        public var slots: Int
        /// The fields of this type's objects, when not the featurizer's (e.g. only `y` of a paddle that never
        /// moves sideways: a column that never changes only widens the search).
        public var fields: [Field]?

        public init(type: Int, name: String, slots: Int = 1, fields: [Field]? = nil) {
            self.type = type
            self.name = name
            self.slots = slots
            self.fields = fields
        }
    }

    /// One object of a relation: an object type and which of its objects (0 = the first in the state).
    public struct ObjectReference: Codable, Sendable, Equatable {
        public var type: Int
        public var slot: Int

        public init(type: Int, slot: Int = 0) {
            self.type = type
            self.slot = slot
        }
    }

    /// A feature computed from two objects `from` and `to`; 0 when either is absent.
    public struct Relation: Codable, Sendable, Equatable {
        /// `dx` = to.x - from.x, `dy` = to.y - from.y, `dvx` = to.dx - from.dx, `dvy` = to.dy - from.dy,
        /// `distance` = the Euclidean distance of the positions.
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case dx, dy, dvx, dvy, distance
        }

        public var kind: Kind
        public var from: ObjectReference
        public var to: ObjectReference

        public init(kind: Kind, from: ObjectReference, to: ObjectReference) {
            self.kind = kind
            self.from = from
            self.to = to
        }

        @inline(__always) func value(_ a: ObjectState, _ b: ObjectState) -> Double {
            switch kind {
            case .dx: return b.x - a.x
            case .dy: return b.y - a.y
            case .dvx: return b.xVelocity - a.xVelocity
            case .dvy: return b.yVelocity - a.yVelocity
            case .distance: return ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            }
        }
    }

    public var objects: [ObjectSlots]
    public var fields: [Field]
    public var relations: [Relation]
    /// The name of every feature, in feature order.
    public var featureNames: [String]

    /// A featurizer; throws `FeaturizerError` for an empty or duplicated type, a slot count below 1, or a
    /// relation to a type or slot that has no slot group.
    public init(objects: [ObjectSlots], fields: [Field] = [.x, .y, .dx, .dy], relations: [Relation] = []) throws {
        guard !objects.isEmpty else { throw FeaturizerError.invalid("no object types: name at least one") }
        var seen = Set<Int>()
        for group in objects {
            guard seen.insert(group.type).inserted else { throw FeaturizerError.invalid("object type \(group.type) appears twice") }
            guard group.slots >= 1 else { throw FeaturizerError.invalid("object type \(group.type) (\(group.name)) has \(group.slots) slots: at least 1") }
            if let own = group.fields, own.isEmpty { throw FeaturizerError.invalid("object type \(group.type) (\(group.name)) has an empty list of fields: leave it out to use the featurizer's") }
        }
        guard objects.contains(where: { !($0.fields ?? fields).isEmpty }) || !relations.isEmpty else { throw FeaturizerError.invalid("no fields and no relations: the featurizer would give no features") }
        self.objects = objects
        self.fields = fields
        self.relations = relations
        var names: [String] = []
        for group in objects {
            for slot in 0..<group.slots {
                let prefix = group.slots == 1 ? group.name : "\(group.name)\(slot)"
                names += (group.fields ?? fields).map { "\(prefix)_\($0.rawValue)" }
            }
        }
        for relation in relations {
            names.append("\(relation.kind.rawValue)_\(Self.name(relation.from, objects))_\(Self.name(relation.to, objects))")
        }
        featureNames = names
        for relation in relations {
            for end in [relation.from, relation.to] where !objects.contains(where: { $0.type == end.type }) {
                throw FeaturizerError.invalid("relation \(relation.kind.rawValue) refers to object type \(end.type), which has no slot group")
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case objects, fields, relations, featureNames = "feature_names"
    }

    private static func name(_ reference: ObjectReference, _ objects: [ObjectSlots]) -> String {
        let base = objects.first(where: { $0.type == reference.type })?.name ?? "type\(reference.type)"
        return reference.slot == 0 ? base : "\(base)\(reference.slot)"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(objects: try c.decode([ObjectSlots].self, forKey: .objects),
                      fields: try c.decodeIfPresent([Field].self, forKey: .fields) ?? [.x, .y, .dx, .dy],
                      relations: try c.decodeIfPresent([Relation].self, forKey: .relations) ?? [])
    }

    /// The fields of one slot group's objects: its own, else the featurizer's.
    public func fields(of group: ObjectSlots) -> [Field] { group.fields ?? fields }

    /// The number of features.
    public var featureCount: Int { featureNames.count }

    /// The features of one state.
    public func features(_ state: [ObjectState]) -> [Double] {
        [Double](unsafeUninitializedCapacity: featureCount) { buffer, count in
            write(state, into: buffer)
            count = featureCount
        }
    }

    /// Writes the features of one state into `buffer` (at least `featureCount` values); allocates nothing.
    public func write(_ state: [ObjectState], into buffer: UnsafeMutableBufferPointer<Double>) {
        var position = 0
        for group in objects {
            let fields = group.fields ?? fields
            var filled = 0
            for object in state where object.type == group.type && filled < group.slots {
                for field in fields {
                    buffer[position] = field.value(object)
                    position += 1
                }
                filled += 1
            }
            for _ in filled..<group.slots {
                for _ in fields {
                    buffer[position] = 0
                    position += 1
                }
            }
        }
        for relation in relations {
            if let a = Self.find(relation.from, in: state), let b = Self.find(relation.to, in: state) {
                buffer[position] = relation.value(a, b)
            } else {
                buffer[position] = 0
            }
            position += 1
        }
    }

    @inline(__always) static func find(_ reference: ObjectReference, in state: [ObjectState]) -> ObjectState? {
        var seen = 0
        for object in state where object.type == reference.type {
            if seen == reference.slot { return object }
            seen += 1
        }
        return nil
    }

    /// The features of many states as columns (`columns[feature][row]`), for fitting.
    public func columns(_ states: [[ObjectState]]) -> [[Double]] {
        var columns = [[Double]](repeating: [Double](repeating: 0, count: states.count), count: featureCount)
        var row = [Double](repeating: 0, count: featureCount)
        row.withUnsafeMutableBufferPointer { buffer in
            for (index, state) in states.enumerated() {
                write(state, into: buffer)
                for feature in 0..<buffer.count { columns[feature][index] = buffer[feature] }
            }
        }
        return columns
    }

    /// The featurizer of a known environment's objects (Pong: player 0, ball 1, enemy 2 with the ball's
    /// offsets from the player; CartPole: cart 0 and pole tip 1 with the tip's offset and relative velocity),
    /// or nil.
    public static func standard(for environment: String) -> Featurizer? {
        switch environment.lowercased() {
        case "pong", "distill-pong":
            let player = ObjectReference(type: 0), ball = ObjectReference(type: 1)
            return try? Featurizer(objects: [ObjectSlots(type: 0, name: "player"), ObjectSlots(type: 1, name: "ball"), ObjectSlots(type: 2, name: "enemy")],
                                   relations: [Relation(kind: .dx, from: player, to: ball), Relation(kind: .dy, from: player, to: ball)])
        case "cartpole", "cartpole-v1":
            let cart = ObjectReference(type: 0), pole = ObjectReference(type: 1)
            return try? Featurizer(objects: [ObjectSlots(type: 0, name: "cart"), ObjectSlots(type: 1, name: "pole")],
                                   relations: [Relation(kind: .dx, from: cart, to: pole), Relation(kind: .dvx, from: cart, to: pole)])
        default:
            return nil
        }
    }
}

/// A featurizer that cannot be made as described.
public enum FeaturizerError: LocalizedError, Equatable, Sendable {
    case invalid(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let why): return "featurizer: \(why)"
        }
    }
}
