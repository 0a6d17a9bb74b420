/// Where an instruction reads an argument or where a program's result is.
enum Operand: Equatable {
    case slot(Int32)
    case column(Int32)
    case constant(Float)

    /// Encoded for an instruction: slots >= 0, columns as `-1 - feature`.
    var reference: Int32 {
        switch self {
        case .slot(let s): return s
        case .column(let c): return -1 - c
        case .constant: return 0
        }
    }
}

/// One step of the batch interpreter: an operator applied to slots or data columns, writing a slot.
struct Instruction {
    enum Form: UInt8 {
        /// Every argument is a pointer.
        case pointers
        /// `op(a, k)`: the second argument is the constant.
        case constantSecond
        /// `op(k, a)`: the first argument is the constant, the second is read through `a`.
        case constantFirst
        /// Fill the destination with `k`.
        case fill
    }

    var op: UInt16
    var form: Form
    var destination: Int32
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    var d: Int32 = 0
    var k: Float = 0
}

/// A program turned into batch-interpreter instructions once per evaluation: leaves are fused into the operator
/// that reads them (a feature is read in place from its column, a constant becomes an immediate), constant
/// subtrees are folded with the same kernels, and intermediate results reuse a few slots (never writing a slot
/// an operator also reads).
struct CompiledProgram {
    var instructions: [Instruction]
    var output: Operand
    var slotCount: Int

    init(_ program: Program, functionSet: FunctionSet) {
        var instructions: [Instruction] = []
        instructions.reserveCapacity(program.length)
        var stack: [Operand] = []
        stack.reserveCapacity(16)
        var free: [Int32] = []
        var next: Int32 = 0
        func allocate() -> Int32 {
            if let slot = free.popLast() { return slot }
            defer { next += 1 }
            return next
        }
        func release(_ operand: Operand) { if case .slot(let s) = operand { free.append(s) } }
        func pointerOperand(_ operand: Operand) -> Operand {
            guard case .constant(let value) = operand else { return operand }
            let slot = allocate()
            instructions.append(Instruction(op: 0, form: .fill, destination: slot, k: value))
            return .slot(slot)
        }

        for node in program.nodes.reversed() {
            switch node.kind {
            case .feature: stack.append(.column(Int32(node.featureIndex)))
            case .constant: stack.append(.constant(Float(node.value)))
            case .function:
                let arity = Int(node.arity)
                var args: [Operand] = []
                for _ in 0..<arity { args.append(stack.removeLast()) }
                if args.allSatisfy({ if case .constant = $0 { return true } else { return false } }) {
                    stack.append(.constant(CompiledProgram.fold(node, args, functionSet)))
                    continue
                }
                let builtin = node.builtin
                var form = Instruction.Form.pointers
                var k: Float = 0
                if arity == 2, let op = builtin {
                    if case .constant(let value) = args[1] {
                        form = .constantSecond; k = value; args = [args[0]]
                    } else if case .constant(let value) = args[0] {
                        form = op.isCommutative ? .constantSecond : .constantFirst
                        k = value; args = [args[1]]
                    }
                } else {
                    args = args.map(pointerOperand)
                }
                // A fresh destination: a kernel whose output aliases an input fails the compiler's runtime
                // overlap check and runs its scalar loop.
                let slot = allocate()
                for arg in args { release(arg) }
                var instruction = Instruction(op: node.code, form: form, destination: slot, k: k)
                let refs = args.map(\.reference) + [0, 0, 0, 0]
                instruction.a = refs[0]; instruction.b = refs[1]; instruction.c = refs[2]; instruction.d = refs[3]
                instructions.append(instruction)
                stack.append(.slot(slot))
            }
        }
        self.instructions = instructions
        self.output = stack.last ?? .constant(0)
        self.slotCount = Int(next)
    }

    /// The value of an operator on constants, computed by the batch kernels themselves so that folding does
    /// not change a single bit of the program's output.
    static func fold(_ node: Node, _ args: [Operand], _ functionSet: FunctionSet) -> Float {
        var values = [Float](repeating: 0, count: 4)
        for (index, arg) in args.enumerated() { if case .constant(let v) = arg { values[index] = v } }
        var result: Float = 0
        values.withUnsafeBufferPointer { v in
            withUnsafeMutablePointer(to: &result) { out in
                let p = v.baseAddress!
                let instruction = Instruction(op: node.code, form: .pointers, destination: 0)
                FloatKernels.run(instruction, out, p, p + 1, p + 2, p + 3, 1, functionSet.customOperators)
            }
        }
        return result
    }
}
