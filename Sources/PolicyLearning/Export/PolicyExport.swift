import Foundation
import SymbolicRegression

/// A symbolic policy as source code or text that acts as `SymbolicPolicy` acts: the same features from a
/// DiffSES state (object slots with zero padding, then relations), the programs with symstudy's protected
/// operators (`CodeExport`), and the same decoding (the rounded output clamped to an index into the action
/// set, argmax of logits, or clipped continuous outputs).
public enum PolicyExport {
    /// Every built-in operator: the programs of a policy use built-ins only.
    static let operators = try! FunctionSet(builtins: BuiltinOperator.allCases)

    /// The policy in `format`; `origin` (e.g. "study 'pong', trial 12") goes into the header comment.
    public static func export(_ policy: SymbolicPolicy, format: ExportFormat, origin: String) -> String {
        switch format {
        case .python: return python(policy, origin: origin)
        case .swift: return swift(policy, origin: origin)
        case .c: return c(policy, origin: origin)
        case .json: return json(policy)
        case .latex: return latex(policy, origin: origin)
        case .sympy: return sympy(policy, origin: origin)
        }
    }

    /// The infix text of each program, with the feature names.
    static func infix(_ policy: SymbolicPolicy) -> [String] {
        policy.programs.map { InfixFormat.string($0, functionSet: operators, featureNames: policy.featureNames) }
    }

    /// What the decoding does, in words, for header comments.
    static func decodingSummary(_ decoding: ActionDecoding) -> String {
        switch decoding {
        case .rounded(let actions): return "actions[round(output 0) clamped to 0...\(actions.count - 1)] with actions \(actions)"
        case .argmax(let actions): return "the action of \(actions) whose output (logit) is largest"
        case .continuous(let low, let high): return "output i clipped to [low[i], high[i]], low \(low), high \(high)"
        }
    }

    /// The DiffSES record key of a featurizer field.
    static func recordKey(_ field: Featurizer.Field) -> String {
        switch field {
        case .x: return "x_position"
        case .y: return "y_position"
        case .dx: return "x_velocity"
        case .dy: return "y_velocity"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func number(_ value: Double) -> String { "\(value)" }

    static func list<T>(_ items: [T], _ render: (T) -> String) -> String { items.map(render).joined(separator: ", ") }

    // MARK: Python

    /// A Python module needing only NumPy: `features(states)`, `outputs(X)`, `act(state)` and
    /// `act_batch(states)`, where a state is a list of object dicts (`type`, `x_position`, `y_position`,
    /// `x_velocity`, `y_velocity`; a missing field counts as 0). Run as a script with a JSON file of states
    /// (or of DiffSES records `{"state": ...}`), it prints one action per line.
    public static func python(_ policy: SymbolicPolicy, origin: String) -> String {
        let f = policy.featurizer
        let outputs = policy.programs.enumerated().map { index, program in
            "def _output_\(index)(X):\n    return \(CodeExport.pythonExpression(program, functionSet: operators))\n"
        }.joined(separator: "\n\n")
        let relations = list(f.relations) { "(\(quote($0.kind.rawValue)), (\($0.from.type), \($0.from.slot)), (\($0.to.type), \($0.to.slot)))" }
        let decode: String
        let constants: String
        switch policy.decoding {
        case .rounded(let actions):
            constants = "ACTIONS = [\(list(actions) { "\($0)" })]"
            decode = """
                v = out[:, 0]
                with np.errstate(all="ignore"):
                    v = np.where(np.isnan(v), 0.0, v)
                    t = np.trunc(v)
                    rounded = t + np.where(np.abs(v - t) >= 0.5, np.sign(v), 0.0)  # half away from zero
                index = np.clip(rounded, 0, len(ACTIONS) - 1).astype(np.int64)
                return [ACTIONS[i] for i in index]
            """
        case .argmax(let actions):
            constants = "ACTIONS = [\(list(actions) { "\($0)" })]"
            decode = """
                index = np.argmax(np.where(np.isnan(out), -np.inf, out), axis=1)
                return [ACTIONS[i] for i in index]
            """
        case .continuous(let low, let high):
            constants = "LOW = np.array([\(list(low, number))])\nHIGH = np.array([\(list(high, number))])"
            decode = """
                clipped = np.where(np.isnan(out), LOW[None, :], np.clip(out, LOW[None, :], HIGH[None, :]))
                return [[float(a) for a in row] for row in clipped]
            """
        }
        let comments = zip(policy.programs.indices, infix(policy)).map { "#   output \($0.0): \($0.1)" }
        return """
        # Generated by symstudy from \(origin).
        # The action: \(decodingSummary(policy.decoding)), where
        \(comments.joined(separator: "\n"))
        # Needs only NumPy. act(state) takes one DiffSES state (a list of object dicts); act_batch(states) many.
        import json
        import math
        import sys

        import numpy as np

        FEATURES = [\(list(policy.featureNames, quote))]
        # Slot groups in feature order: (object type, slots); each slot holds FIELDS of one object of that type,
        # in the order the objects appear in the state, zeros when there are fewer objects.
        OBJECT_SLOTS = [\(list(f.objects) { "(\($0.type), \($0.slots))" })]
        FIELDS = [\(list(f.fields) { quote(recordKey($0)) })]
        # Then one feature per relation: (kind, (type, slot) from, (type, slot) to); 0 when either is absent.
        RELATIONS = [\(relations)]
        \(constants)

        \(CodeExport.pythonOperators)


        def _value(o, key):
            return float(o.get(key, 0.0))


        def _find(state, kind, slot):
            seen = 0
            for o in state:
                if int(o["type"]) == kind:
                    if seen == slot:
                        return o
                    seen += 1
            return None


        def _relation(kind, a, b):
            dx = _value(b, "x_position") - _value(a, "x_position")
            dy = _value(b, "y_position") - _value(a, "y_position")
            if kind == "dx":
                return dx
            if kind == "dy":
                return dy
            if kind == "dvx":
                return _value(b, "x_velocity") - _value(a, "x_velocity")
            if kind == "dvy":
                return _value(b, "y_velocity") - _value(a, "y_velocity")
            return math.sqrt(dx * dx + dy * dy)


        def features(states):
            \"\"\"The feature matrix (one row per state) of DiffSES states.\"\"\"
            X = np.zeros((len(states), len(FEATURES)), dtype=np.float64)
            for r, state in enumerate(states):
                c = 0
                for kind, slots in OBJECT_SLOTS:
                    filled = 0
                    for o in state:
                        if filled < slots and int(o["type"]) == kind:
                            for key in FIELDS:
                                X[r, c] = _value(o, key)
                                c += 1
                            filled += 1
                    c += (slots - filled) * len(FIELDS)
                for kind, a, b in RELATIONS:
                    oa, ob = _find(state, *a), _find(state, *b)
                    X[r, c] = _relation(kind, oa, ob) if oa is not None and ob is not None else 0.0
                    c += 1
            return X


        \(outputs)


        _OUTPUTS = [\((0..<policy.programs.count).map { "_output_\($0)" }.joined(separator: ", "))]


        def outputs(X):
            \"\"\"The programs' outputs (rows x outputs) for a feature matrix.\"\"\"
            X = np.asarray(X, dtype=np.float64)
            with np.errstate(all="ignore"):
                return np.stack([np.broadcast_to(f(X), (X.shape[0],)).astype(np.float64) for f in _OUTPUTS], axis=1)


        def _decode(out):
        \(decode)

        def act_batch(states):
            \"\"\"The actions for a list of DiffSES states.\"\"\"
            if len(states) == 0:
                return []
            return _decode(outputs(features(states)))


        def act(state):
            \"\"\"The action for one DiffSES state (a list of object dicts).\"\"\"
            return act_batch([state])[0]


        if __name__ == "__main__":
            with open(sys.argv[1]) as handle:
                items = json.load(handle)
            for action in act_batch([item["state"] if isinstance(item, dict) else item for item in items]):
                print(json.dumps(action))

        """
    }

    // MARK: C and Swift

    /// The featurizer's tables as C-like integer rows: slot groups `{type, slots}`, fields (0 x, 1 y, 2 dx,
    /// 3 dy), relations `{kind, from type, from slot, to type, to slot}` (kind 0 dx, 1 dy, 2 dvx, 3 dvy, 4 distance).
    static func tables(_ f: Featurizer) -> (groups: [String], fields: [String], relations: [String]) {
        let fieldIndex: [Featurizer.Field: Int] = [.x: 0, .y: 1, .dx: 2, .dy: 3]
        let kindIndex: [Featurizer.Relation.Kind: Int] = [.dx: 0, .dy: 1, .dvx: 2, .dvy: 3, .distance: 4]
        return (f.objects.map { "\($0.type), \($0.slots)" }, f.fields.map { "\(fieldIndex[$0]!)" },
                f.relations.map { "\(kindIndex[$0.kind]!), \($0.from.type), \($0.from.slot), \($0.to.type), \($0.to.slot)" })
    }

    /// A C translation unit: `symstudy_features` and `symstudy_act` over an array of `symstudy_object`
    /// (`int symstudy_act(state, count)` for discrete actions, `void symstudy_act(state, count, double *action)`
    /// for continuous ones).
    public static func c(_ policy: SymbolicPolicy, origin: String) -> String {
        let (groups, fields, relations) = tables(policy.featurizer)
        let outputs = policy.programs.enumerated().map { index, program in
            "    out[\(index)] = \(CodeExport.rowExpression(program, functionSet: operators, input: "x"));"
        }.joined(separator: "\n")
        let act: String
        switch policy.decoding {
        case .rounded(let actions):
            act = """
            static const int symstudy_actions[\(actions.count)] = {\(list(actions) { "\($0)" })};

            int symstudy_act(const symstudy_object *state, int count) {
                double x[SYMSTUDY_FEATURES], out[SYMSTUDY_OUTPUTS];
                symstudy_features(state, count, x);
                symstudy_outputs(x, out);
                if (isnan(out[0])) return symstudy_actions[0];
                double index = round(out[0]);  /* half away from zero */
                return symstudy_actions[index <= 0 ? 0 : (index >= \(actions.count - 1) ? \(actions.count - 1) : (int)index)];
            }
            """
        case .argmax(let actions):
            act = """
            static const int symstudy_actions[\(actions.count)] = {\(list(actions) { "\($0)" })};

            int symstudy_act(const symstudy_object *state, int count) {
                double x[SYMSTUDY_FEATURES], out[SYMSTUDY_OUTPUTS];
                symstudy_features(state, count, x);
                symstudy_outputs(x, out);
                int best = 0;
                double value = isnan(out[0]) ? -INFINITY : out[0];
                for (int i = 1; i < SYMSTUDY_OUTPUTS; i++) if (out[i] > value) { best = i; value = out[i]; }
                return symstudy_actions[best];
            }
            """
        case .continuous(let low, let high):
            act = """
            static const double symstudy_low[\(low.count)] = {\(list(low, number))};
            static const double symstudy_high[\(high.count)] = {\(list(high, number))};

            void symstudy_act(const symstudy_object *state, int count, double *action) {
                double x[SYMSTUDY_FEATURES];
                symstudy_features(state, count, x);
                symstudy_outputs(x, action);
                for (int i = 0; i < SYMSTUDY_OUTPUTS; i++) {
                    double v = action[i];
                    action[i] = isnan(v) ? symstudy_low[i] : (v < symstudy_low[i] ? symstudy_low[i] : (v > symstudy_high[i] ? symstudy_high[i] : v));
                }
            }
            """
        }
        let relationRows = relations.isEmpty ? "{0, 0, 0, 0, 0}" : relations.map { "{\($0)}" }.joined(separator: ", ")
        return """
        /* Generated by symstudy from \(origin).
         * The action: \(decodingSummary(policy.decoding)), where
        \(zip(policy.programs.indices, infix(policy)).map { " *   output \($0.0): \($0.1)" }.joined(separator: "\n"))
         * Features: \(policy.featureNames.joined(separator: ", ")). */
        #include <math.h>

        /* One object of a DiffSES state. */
        typedef struct { int type; double x_position, y_position, x_velocity, y_velocity; } symstudy_object;

        #define SYMSTUDY_FEATURES \(policy.featureNames.count)
        #define SYMSTUDY_OUTPUTS \(policy.programs.count)
        /* Slot groups {type, slots}; fields (0 x, 1 y, 2 x velocity, 3 y velocity); relations {kind (0 dx, 1 dy,
           2 dvx, 3 dvy, 4 distance), from type, from slot, to type, to slot}. */
        static const int symstudy_groups[\(groups.count)][2] = {\(groups.map { "{\($0)}" }.joined(separator: ", "))};
        static const int symstudy_fields[\(fields.count)] = {\(fields.joined(separator: ", "))};
        static const int symstudy_relations[\(max(1, relations.count))][5] = {\(relationRows)};

        static double symstudy_field(const symstudy_object *o, int field) {
            switch (field) {
            case 0: return o->x_position;
            case 1: return o->y_position;
            case 2: return o->x_velocity;
            default: return o->y_velocity;
            }
        }

        static const symstudy_object *symstudy_find(const symstudy_object *state, int count, int type, int slot) {
            int seen = 0;
            for (int i = 0; i < count; i++) {
                if (state[i].type != type) continue;
                if (seen == slot) return &state[i];
                seen++;
            }
            return 0;
        }

        /* The features of one state of `count` objects (SYMSTUDY_FEATURES values). */
        void symstudy_features(const symstudy_object *state, int count, double *features) {
            int position = 0;
            for (int g = 0; g < \(groups.count); g++) {
                int filled = 0;
                for (int i = 0; i < count && filled < symstudy_groups[g][1]; i++) {
                    if (state[i].type != symstudy_groups[g][0]) continue;
                    for (int f = 0; f < \(fields.count); f++) features[position++] = symstudy_field(&state[i], symstudy_fields[f]);
                    filled++;
                }
                for (; filled < symstudy_groups[g][1]; filled++)
                    for (int f = 0; f < \(fields.count); f++) features[position++] = 0;
            }
            for (int r = 0; r < \(relations.count); r++) {
                const int *rel = symstudy_relations[r];
                const symstudy_object *a = symstudy_find(state, count, rel[1], rel[2]), *b = symstudy_find(state, count, rel[3], rel[4]);
                double v = 0;
                if (a && b) {
                    double dx = b->x_position - a->x_position, dy = b->y_position - a->y_position;
                    switch (rel[0]) {
                    case 0: v = dx; break;
                    case 1: v = dy; break;
                    case 2: v = b->x_velocity - a->x_velocity; break;
                    case 3: v = b->y_velocity - a->y_velocity; break;
                    default: v = sqrt(dx * dx + dy * dy);
                    }
                }
                features[position++] = v;
            }
        }

        \(CodeExport.cOperators)

        /* The programs' outputs for one feature vector. */
        void symstudy_outputs(const double *x, double *out) {
        \(outputs)
        }

        \(act)

        """
    }

    /// A Swift source file: `SymstudyObject`, `symstudyFeatures(_:)`, `symstudyOutputs(_:)` and
    /// `symstudyAct(_:)` (an `Int` action, or `[Double]` for continuous actions).
    public static func swift(_ policy: SymbolicPolicy, origin: String) -> String {
        let (groups, fields, relations) = tables(policy.featurizer)
        let outputs = policy.programs.map { "        \(CodeExport.rowExpression($0, functionSet: operators, input: "x"))," }.joined(separator: "\n")
        let act: String
        switch policy.decoding {
        case .rounded(let actions):
            act = """
            let symstudyActions = [\(list(actions) { "\($0)" })]

            func symstudyAct(_ state: [SymstudyObject]) -> Int {
                let out = symstudyOutputs(symstudyFeatures(state))
                guard !out[0].isNaN else { return symstudyActions[0] }
                let index = out[0].rounded(.toNearestOrAwayFromZero)
                return symstudyActions[index <= 0 ? 0 : index >= Double(symstudyActions.count - 1) ? symstudyActions.count - 1 : Int(index)]
            }
            """
        case .argmax(let actions):
            act = """
            let symstudyActions = [\(list(actions) { "\($0)" })]

            func symstudyAct(_ state: [SymstudyObject]) -> Int {
                let out = symstudyOutputs(symstudyFeatures(state))
                var best = 0, value = out[0].isNaN ? -Double.infinity : out[0]
                for i in 1..<out.count where out[i] > value { best = i; value = out[i] }
                return symstudyActions[best]
            }
            """
        case .continuous(let low, let high):
            act = """
            let symstudyLow: [Double] = [\(list(low, number))]
            let symstudyHigh: [Double] = [\(list(high, number))]

            func symstudyAct(_ state: [SymstudyObject]) -> [Double] {
                let out = symstudyOutputs(symstudyFeatures(state))
                return out.indices.map { i in out[i].isNaN ? symstudyLow[i] : Swift.min(Swift.max(out[i], symstudyLow[i]), symstudyHigh[i]) }
            }
            """
        }
        return """
        // Generated by symstudy from \(origin).
        // The action: \(decodingSummary(policy.decoding)), where
        \(zip(policy.programs.indices, infix(policy)).map { "//   output \($0.0): \($0.1)" }.joined(separator: "\n"))
        import Foundation

        /// One object of a DiffSES state.
        struct SymstudyObject {
            var type: Int
            var x: Double, y: Double, dx: Double = 0, dy: Double = 0
        }

        let symstudyFeatureNames = [\(list(policy.featureNames, quote))]
        /// Slot groups (type, slots); fields (0 x, 1 y, 2 dx, 3 dy); relations (kind: 0 dx, 1 dy, 2 dvx, 3 dvy,
        /// 4 distance; from type, from slot, to type, to slot).
        let symstudyGroups: [(Int, Int)] = [\(groups.map { "(\($0))" }.joined(separator: ", "))]
        let symstudyFields: [Int] = [\(fields.joined(separator: ", "))]
        let symstudyRelations: [(Int, Int, Int, Int, Int)] = [\(relations.map { "(\($0))" }.joined(separator: ", "))]

        func symstudyField(_ o: SymstudyObject, _ field: Int) -> Double {
            switch field {
            case 0: return o.x
            case 1: return o.y
            case 2: return o.dx
            default: return o.dy
            }
        }

        func symstudyFind(_ state: [SymstudyObject], _ type: Int, _ slot: Int) -> SymstudyObject? {
            var seen = 0
            for o in state where o.type == type {
                if seen == slot { return o }
                seen += 1
            }
            return nil
        }

        /// The features of one state.
        func symstudyFeatures(_ state: [SymstudyObject]) -> [Double] {
            var features: [Double] = []
            features.reserveCapacity(symstudyFeatureNames.count)
            for (type, slots) in symstudyGroups {
                var filled = 0
                for o in state where o.type == type && filled < slots {
                    for field in symstudyFields { features.append(symstudyField(o, field)) }
                    filled += 1
                }
                features += [Double](repeating: 0, count: (slots - filled) * symstudyFields.count)
            }
            for (kind, fromType, fromSlot, toType, toSlot) in symstudyRelations {
                guard let a = symstudyFind(state, fromType, fromSlot), let b = symstudyFind(state, toType, toSlot) else {
                    features.append(0)
                    continue
                }
                switch kind {
                case 0: features.append(b.x - a.x)
                case 1: features.append(b.y - a.y)
                case 2: features.append(b.dx - a.dx)
                case 3: features.append(b.dy - a.dy)
                default: features.append(((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot())
                }
            }
            return features
        }

        \(CodeExport.swiftOperators)

        /// The programs' outputs for one feature vector.
        func symstudyOutputs(_ x: [Double]) -> [Double] {
            [
        \(outputs)
            ]
        }

        \(act)

        """
    }

    // MARK: Text

    /// The policy's JSON (pretty, sorted keys): what `SymbolicPolicy.parse`, `replay` and `transfer` read.
    public static func json(_ policy: SymbolicPolicy) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return ((try? String(decoding: encoder.encode(policy), as: UTF8.self)) ?? policy.jsonText) + "\n"
    }

    /// LaTeX: one equation per output and the action rule.
    public static func latex(_ policy: SymbolicPolicy, origin: String) -> String {
        let outputs = policy.programs.enumerated().map { index, program in
            "f_{\(index)} &= \(LaTeXFormat.string(program, functionSet: operators, featureNames: policy.featureNames))"
        }
        let rule: String
        switch policy.decoding {
        case .rounded(let actions): rule = "a &= \\left(\(list(actions) { "\($0)" })\\right)_{\\min\\left(\\max\\left(\\operatorname{round}(f_{0}), 0\\right), \(actions.count - 1)\\right)}"
        case .argmax(let actions): rule = "a &= \\left(\(list(actions) { "\($0)" })\\right)_{\\operatorname*{arg\\,max}_{i} f_{i}}"
        case .continuous: rule = "a_{i} &= \\operatorname{clip}\\left(f_{i}, \\mathrm{low}_{i}, \\mathrm{high}_{i}\\right)"
        }
        return """
        % Generated by symstudy from \(origin). The action: \(decodingSummary(policy.decoding)).
        \\begin{align}
        \((outputs + [rule]).joined(separator: " \\\\\n"))
        \\end{align}

        """
    }

    /// SymPy text: one `output_i = ...` line per program (protected semantics, `Heaviside(x, 0)` steps).
    public static func sympy(_ policy: SymbolicPolicy, origin: String) -> String {
        let lines = policy.programs.enumerated().map { index, program in
            "output_\(index) = \(SymPyFormat.string(program, functionSet: operators, featureNames: policy.featureNames, protected: true))"
        }
        return "# Generated by symstudy from \(origin). The action: \(decodingSummary(policy.decoding)).\n"
            + "# Symbols: \(policy.featureNames.joined(separator: ", "))\n" + lines.joined(separator: "\n") + "\n"
    }
}
