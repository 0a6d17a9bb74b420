/// The languages and formats `symstudy export` writes a policy or a formula in.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// A Python module needing only NumPy: `act(state)` and `act_batch(states)` for a policy, `predict(X)`
    /// for a formula.
    case python
    /// A Swift source file: `symstudyAct(_:)` for a policy, `symstudyPredict(_:)` for a formula.
    case swift
    /// A C translation unit: `symstudy_act` for a policy, `symstudy_predict` for a formula.
    case c
    /// The policy's JSON (what `replay` and `transfer` read back), or a formula's JSON tree.
    case json
    /// LaTeX equations.
    case latex
    /// Text SymPy's `sympify` parses, with symstudy's protected semantics.
    case sympy

    /// The usual file name extension.
    public var fileExtension: String {
        switch self {
        case .python: return "py"
        case .swift: return "swift"
        case .c: return "c"
        case .json: return "json"
        case .latex: return "tex"
        case .sympy: return "sympy.txt"
        }
    }
}
