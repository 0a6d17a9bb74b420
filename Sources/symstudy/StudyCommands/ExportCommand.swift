import ArgumentParser
import Foundation
import PolicyLearning

/// `symstudy export STUDY --format F`: writes a trial's policy (or a regress trial's formula) as a Python
/// module (`act(state)`, `act_batch(states)`, NumPy only), Swift, C, JSON, LaTeX or SymPy text.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a trial's symbolic policy or formula as code or text.",
        discussion: "The trial is the best one unless --trial names another. A policy is the trial's user attribute 'policy'; a regress trial's formula is its 'program' (else its 'expression').")

    @OptionGroup var source: PolicySource
    @Option(help: "python, swift, c, json, latex or sympy.") var format: ExportFormat
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func run() throws {
        let (subject, origin) = try source.load()
        let text = subject.export(format: format, origin: origin)
        guard let out else {
            print(text, terminator: "")
            return
        }
        do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw ExportError.unreadableFile(out, "cannot write the export: \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(format.rawValue) export of \(origin) to \(out)\n".utf8))
    }
}

extension ExportFormat: ExpressibleByArgument {}
