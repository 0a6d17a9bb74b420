/// Text SymPy's `sympify` parses. `protected: true` keeps symstudy's semantics exactly, the protected branches
/// and steps written with `Heaviside(x, 0)` (1 for x > 0, else 0) rather than `Piecewise`, whose conditions SymPy
/// rewrites at exponential cost when they nest; `protected: false` writes plain mathematics (a/b, log|a|,
/// sqrt|a|), the form used to check exact recovery of a formula.
public enum SymPyFormat {
    public static func string(_ program: Program, functionSet: FunctionSet, featureNames: [String] = [], protected: Bool = true) -> String {
        let names = PrefixRenderer.identifiers(featureNames, count: program.maxFeatureIndex + 1)
        let t = "0.001", limit = "80"
        return PrefixRenderer.render(program, leaf: { node in
            node.kind == .feature ? names[node.featureIndex] : PrefixRenderer.number(node.value)
        }, function: { node, args in
            let a = args[0], b = args.count > 1 ? args[1] : "", c = args.count > 2 ? args[2] : "", d = args.count > 3 ? args[3] : ""
            func step(_ x: String) -> String { "Heaviside(\(x), 0)" }
            /// 1 where |x| > 0.001, else 0.
            func guarded(_ x: String) -> String { step("Abs(\(x)) - \(t)") }
            guard let op = node.builtin else { return "\(functionSet.name(of: node))(\(args.joined(separator: ", ")))" }
            switch op {
            case .add: return "(\(a) + \(b))"
            case .sub: return "(\(a) - \(b))"
            case .mul: return "(\(a))*(\(b))"
            case .div:
                // H * a / (b + 1 - H) + (1 - H): a/b where |b| > 0.001, else 1, with no division by zero anywhere.
                let h = guarded(b)
                return protected ? "(\(h)*(\(a))/((\(b)) + 1 - \(h)) + 1 - \(h))" : "(\(a))/(\(b))"
            case .sqrt: return "sqrt(Abs(\(a)))"
            case .log:
                let h = guarded(a)
                return protected ? "(\(h)*log(Abs(\(a)) + 1 - \(h)))" : "log(Abs(\(a)))"
            case .abs: return "Abs(\(a))"
            case .neg: return "(-(\(a)))"
            case .inv:
                let h = guarded(a)
                return protected ? "(\(h)/((\(a)) + 1 - \(h)))" : "1/(\(a))"
            case .max: return "Max(\(a), \(b))"
            case .min: return "Min(\(a), \(b))"
            case .sin: return "sin(\(a))"
            case .cos: return "cos(\(a))"
            case .tan: return "tan(\(a))"
            case .sig: return protected ? "1/(1 + exp(-Min(Max(\(a), -\(limit)), \(limit))))" : "1/(1 + exp(-(\(a))))"
            case .exp: return protected ? "exp(Min(\(a), \(limit)))" : "exp(\(a))"
            case .pow:
                let h = guarded(a)
                return protected ? "(\(h)*Min((Abs(\(a)) + 1 - \(h))**(\(b)), exp(\(limit))))" : "Abs(\(a))**(\(b))"
            case .square: return "(\(a))**2"
            case .gt: return step("(\(a)) - (\(b))")
            case .ifThenElse:
                let h = step(a)
                return "(\(h)*(\(b)) + (1 - \(h))*(\(c)))"
            case .and: return "(\(step(a))*\(step(b)))"
            case .or: return "Max(\(step(a)), \(step(b)))"
            case .isLeftOf, .isTopOf: return step("(\(b)) - (\(a))")
            case .isRightOf, .isBottomOf: return step("(\(a)) - (\(b))")
            case .xDistance, .yDistance: return "((\(b)) - (\(a)))"
            case .xyDistance: return "sqrt(((\(c)) - (\(a)))**2 + ((\(d)) - (\(b)))**2)"
            case .withinRange:
                return "(\(step("(\(b)) - (\(a)) - (\(c))"))*\(step("(\(d)) - ((\(b)) - (\(a)))")))"
            }
        })
    }
}
