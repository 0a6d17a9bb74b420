import Foundation
import Testing
@testable import SymbolicRegression

/// Every export read back (or run) gives the same predictions on the same rows.
@Suite struct ExportTests {
    static let functionSet = SRTestSupport.all
    static let names = ["alpha", "beta", "x_2", "d"]

    /// Programs covering every operator, with awkward constants.
    static let programs: [Program] = {
        var rng = RandomSource(seed: 21)
        var p = GPParameters()
        p.functionSet = functionSet
        p.initDepth = 2...4
        p.constRange = -3...3
        let generator = ProgramGenerator(parameters: p, featureCount: 4)
        var list = (0..<40).map { _ in generator.build(&rng) }.filter { $0.length <= 40 }
        list.append(Program([.function(.add), .constant(1e-7), .function(.div), .feature(0), .constant(-0.1)]))
        list.append(Program([.function(.neg), .function(.sub), .constant(-2.5), .feature(1)]))
        list.append(Program([.constant(0.30000000000000004)]))
        for op in BuiltinOperator.allCases { list.append(Program([.function(op)] + (0..<op.arity).map { .feature($0) })) }
        return list
    }()

    static let data: Dataset = {
        var rng = RandomSource(seed: 4)
        return try! Dataset(rows: (0..<64).map { _ in (0..<4).map { _ in rng.uniform(-3, 3) } }, featureNames: names)
    }()

    static func predictions(_ program: Program) -> [Double] {
        try! ExactEvaluator(functionSet: functionSet).predict(program, on: data)
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($0)) }
    }

    @Test func jsonRoundTripsExactly() throws {
        for program in Self.programs {
            let text = ProgramJSON.string(program, functionSet: Self.functionSet, featureNames: Self.names)
            #expect(try ProgramJSON.parse(text, functionSet: Self.functionSet) == program, "\(text)")
        }
    }

    @Test func infixAndLaTeXParseBackToTheSamePredictions() throws {
        for program in Self.programs {
            let infix = InfixFormat.string(program, functionSet: Self.functionSet, featureNames: Self.names)
            let fromInfix = try InfixFormat.parse(infix, functionSet: Self.functionSet, featureNames: Self.names)
            #expect(fromInfix == program || Self.close(Self.predictions(fromInfix), Self.predictions(program)), "\(infix)")
            let latex = LaTeXFormat.string(program, functionSet: Self.functionSet, featureNames: Self.names)
            let fromLaTeX = try LaTeXFormat.parse(latex, functionSet: Self.functionSet, featureNames: Self.names)
            #expect(fromLaTeX == program, "\(latex)")
        }
        #expect(try InfixFormat.parse("2 * x0 + x1 / 4 - -3", functionSet: .gplearnDefault)
                == Program([.function(.sub), .function(.add), .function(.mul), .constant(2), .feature(0), .function(.div), .feature(1), .constant(4), .constant(-3)]))
        #expect(throws: ProgramError.self) { try InfixFormat.parse("x0 +", functionSet: .gplearnDefault) }
        #expect(throws: ProgramError.unknownOperator("foo")) { try InfixFormat.parse("foo(x0)", functionSet: .gplearnDefault) }
    }

    @Test func pythonAndSymPyExportsGiveTheSamePredictions() throws {
        let python = try SRTestSupport.python()
        let directory = try SRTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = (0..<Self.data.rowCount).map { Self.data.row($0) }
        let matrix = rows.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",")
        var script = "import json, numpy as np, sympy as sp, importlib.util, sys\nX = np.array([\(matrix)])\nout = []\n"
        script += "syms = sp.symbols('\(Self.names.joined(separator: " "))')\n"
        // NumPy's printer rewrites Heaviside into Piecewise; an undefined function prints as a call.
        script += "H = sp.Function('H')\n"
        for (index, program) in Self.programs.enumerated() {
            let module = directory.appendingPathComponent("m\(index).py")
            try CodeExport.python(program, functionSet: Self.functionSet, featureNames: Self.names).write(to: module, atomically: true, encoding: .utf8)
            let sympyText = SymPyFormat.string(program, functionSet: Self.functionSet, featureNames: Self.names, protected: true)
            script += """
            spec = importlib.util.spec_from_file_location('m\(index)', '\(module.path)'); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
            text = \(ProgramJSON.quote(sympyText))
            try:
                e = sp.sympify(text, evaluate=False, locals=dict(zip([\(Self.names.map { "'\($0)'" }.joined(separator: ", "))], syms), Heaviside=H))
            except Exception as error:
                sys.exit('sympy cannot parse ' + text + ': ' + str(error)[-200:])
            f = sp.lambdify(syms, e, modules=[{'H': np.heaviside}, 'numpy'])
            with np.errstate(all='ignore'):
                s = np.broadcast_to(np.asarray(f(*[X[:, i] for i in range(4)]), dtype=float), (X.shape[0],))
            out.append([list(map(float, m.predict(X))), list(map(float, s))])

            """
        }
        script += "print(json.dumps(out))\n"
        let scriptURL = directory.appendingPathComponent("check.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let output = try SRTestSupport.run(python, [scriptURL.path])
        let results = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [[[Double]]]
        for (index, program) in Self.programs.enumerated() {
            let expected = Self.predictions(program)
            #expect(Self.close(results[index][0], expected), "python export of \(InfixFormat.string(program, functionSet: Self.functionSet))")
            #expect(Self.close(results[index][1], expected, 1e-7), "sympy export of \(InfixFormat.string(program, functionSet: Self.functionSet))")
        }
    }

    @Test func cExportCompilesAndGivesTheSamePredictions() throws {
        let directory = try SRTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let programs = Array(Self.programs.suffix(12))
        var main = "#include <stdio.h>\n"
        for (index, program) in programs.enumerated() {
            let source = CodeExport.c(program, functionSet: Self.functionSet).replacingOccurrences(of: "symstudy_predict", with: "predict\(index)")
            try source.write(to: directory.appendingPathComponent("p\(index).c"), atomically: true, encoding: .utf8)
            main += "double predict\(index)(const double *x);\n"
        }
        let rows = (0..<Self.data.rowCount).map { Self.data.row($0) }
        main += "static const double rows[\(rows.count)][4] = {" + rows.map { "{" + $0.map { "\($0)" }.joined(separator: ",") + "}" }.joined(separator: ",") + "};\n"
        main += "int main(void) { for (int p = 0; p < \(programs.count); p++) for (int r = 0; r < \(rows.count); r++) {\n"
        main += "double v = 0; switch (p) {" + programs.indices.map { "case \($0): v = predict\($0)(rows[r]); break;" }.joined() + "}\n"
        main += "printf(\"%.17g\\n\", v); } return 0; }\n"
        try main.write(to: directory.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("check").path
        try SRTestSupport.run("/usr/bin/cc", ["-O1", "-o", binary, directory.appendingPathComponent("main.c").path]
                            + programs.indices.map { directory.appendingPathComponent("p\($0).c").path } + ["-lm"])
        let values = try SRTestSupport.run(binary, []).split(separator: "\n").map { Double($0)! }
        for (index, program) in programs.enumerated() {
            let got = Array(values[(index * rows.count)..<((index + 1) * rows.count)])
            #expect(Self.close(got, Self.predictions(program)), "C export of \(InfixFormat.string(program, functionSet: Self.functionSet))")
        }
    }

    @Test func swiftExportCompilesAndGivesTheSamePredictions() throws {
        let directory = try SRTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = Self.programs[0]
        let rows = (0..<Self.data.rowCount).map { Self.data.row($0) }
        var source = CodeExport.swift(program, functionSet: Self.functionSet)
        source += "let rows: [[Double]] = [" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]\n"
        source += "for row in rows { print(symstudyPredict(row)) }\n"
        let file = directory.appendingPathComponent("main.swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let swiftc = URL(fileURLWithPath: CommandLine.arguments[0]).path.contains("/opt/swift") ? "/opt/swift/usr/bin/swiftc" : "/opt/swift/usr/bin/swiftc"
        let binary = directory.appendingPathComponent("check").path
        try SRTestSupport.run(swiftc, ["-Onone", "-o", binary, file.path])
        let values = try SRTestSupport.run(binary, []).split(separator: "\n").map { Double($0)! }
        #expect(Self.close(values, Self.predictions(program)), "Swift export of \(InfixFormat.string(program, functionSet: Self.functionSet))")
    }
}
