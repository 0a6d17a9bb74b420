import SymbolicRegression

/// A formula (one program over named features, from a `regress` trial) in each export format, through
/// SymbolicRegression's exporters: Python `predict(X)`, Swift `symstudyPredict`, C `symstudy_predict`, the
/// JSON tree, LaTeX and SymPy text.
public enum FormulaExport {
    public static func export(_ program: Program, featureNames: [String], format: ExportFormat, origin: String) -> String {
        let operators = ExportSubject.operators
        switch format {
        case .python:
            return "# From \(origin).\n" + CodeExport.python(program, functionSet: operators, featureNames: featureNames)
        case .swift:
            return "// From \(origin).\n" + CodeExport.swift(program, functionSet: operators, featureNames: featureNames)
        case .c:
            return "/* From \(origin). */\n" + CodeExport.c(program, functionSet: operators, featureNames: featureNames)
        case .json:
            return ProgramJSON.string(program, functionSet: operators, featureNames: featureNames) + "\n"
        case .latex:
            return "% From \(origin).\n" + LaTeXFormat.string(program, functionSet: operators, featureNames: featureNames) + "\n"
        case .sympy:
            return "# From \(origin). Symbols: \(featureNames.joined(separator: ", "))\n"
                + SymPyFormat.string(program, functionSet: operators, featureNames: featureNames, protected: true) + "\n"
        }
    }
}
