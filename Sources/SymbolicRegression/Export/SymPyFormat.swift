/// Text SymPy's `sympify` parses. `protected: true` keeps symstudy's semantics exactly (Piecewise for the
/// protected branches, so the parsed expression gives the same predictions); `protected: false` writes plain
/// mathematics (a/b, log|a|, sqrt|a|), the form used to check exact recovery of a formula.
public enum SymPyFormat {
    public static func string(_ program: Program, functionSet: FunctionSet, featureNames: [String] = [], protected: Bool = true) -> String {
        let names = PrefixRenderer.identifiers(featureNames, count: program.maxFeatureIndex + 1)
        let t = "0.001", limit = "80"
        return PrefixRenderer.render(program, leaf: { node in
            node.kind == .feature ? names[node.featureIndex] : PrefixRenderer.number(node.value)
        }, function: { node, args in
            let a = args[0], b = args.count > 1 ? args[1] : "", c = args.count > 2 ? args[2] : "", d = args.count > 3 ? args[3] : ""
            func step(_ condition: String) -> String { "Piecewise((1, \(condition)), (0, True))" }
            guard let op = node.builtin else { return "\(functionSet.name(of: node))(\(args.joined(separator: ", ")))" }
            switch op {
            case .add: return "(\(a) + \(b))"
            case .sub: return "(\(a) - \(b))"
            case .mul: return "(\(a))*(\(b))"
            case .div: return protected ? "Piecewise(((\(a))/(\(b)), Abs(\(b)) > \(t)), (1, True))" : "(\(a))/(\(b))"
            case .sqrt: return "sqrt(Abs(\(a)))"
            case .log: return protected ? "Piecewise((log(Abs(\(a))), Abs(\(a)) > \(t)), (0, True))" : "log(Abs(\(a)))"
            case .abs: return "Abs(\(a))"
            case .neg: return "(-(\(a)))"
            case .inv: return protected ? "Piecewise((1/(\(a)), Abs(\(a)) > \(t)), (0, True))" : "1/(\(a))"
            case .max: return "Max(\(a), \(b))"
            case .min: return "Min(\(a), \(b))"
            case .sin: return "sin(\(a))"
            case .cos: return "cos(\(a))"
            case .tan: return "tan(\(a))"
            case .sig: return protected ? "1/(1 + exp(-Min(Max(\(a), -\(limit)), \(limit))))" : "1/(1 + exp(-(\(a))))"
            case .exp: return protected ? "exp(Min(\(a), \(limit)))" : "exp(\(a))"
            case .pow:
                return protected ? "Piecewise((exp(Min((\(b))*log(Abs(\(a))), \(limit))), Abs(\(a)) > \(t)), (0, True))" : "Abs(\(a))**(\(b))"
            case .square: return "(\(a))**2"
            case .gt: return step("(\(a)) > (\(b))")
            case .ifThenElse: return "Piecewise((\(b), (\(a)) > 0), (\(c), True))"
            case .and: return step("((\(a)) > 0) & ((\(b)) > 0)")
            case .or: return step("((\(a)) > 0) | ((\(b)) > 0)")
            case .isLeftOf, .isTopOf: return step("(\(b)) - (\(a)) > 0")
            case .isRightOf, .isBottomOf: return step("(\(b)) - (\(a)) < 0")
            case .xDistance, .yDistance: return "((\(b)) - (\(a)))"
            case .xyDistance: return "sqrt(((\(c)) - (\(a)))**2 + ((\(d)) - (\(b)))**2)"
            case .withinRange: return step("((\(c)) < (\(b)) - (\(a))) & ((\(b)) - (\(a)) < (\(d)))")
            }
        })
    }
}
