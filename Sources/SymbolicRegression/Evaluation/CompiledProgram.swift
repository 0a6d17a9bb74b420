/// Where an instruction reads an argument or where a program's result is.
enum Operand: Equatable {
    case slot(Int32)
    case column(Int32)
    case constant(Float)

    /// Encoded for an instruction: slots >= 0, columns as `-1 - feature`.
    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

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

    /// `marks` (by increasing start) name the subtrees read from shared columns: column `j` is read as feature
    /// `featureCount + j`.
    init(_ program: Program, functionSet: FunctionSet, marks: [SharedMark] = [], featureCount: Int = 0) {
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

        var mark = marks.count - 1
        for position in program.nodes.indices.reversed() {
            if mark >= 0, position < Int(marks[mark].end) {
                // Inside a shared subtree: only its first node stands for it.
                if position == Int(marks[mark].start) {
                    stack.append(.column(Int32(featureCount) + marks[mark].column))
                    mark -= 1
                }
                continue
            }
            let node = program.nodes[position]
            switch node.kind {
            case .feature: stack.append(.column(Int32(node.featureIndex)))
            case .constant: stack.append(.constant(Float(node.value)))
            case .function:
                // Arguments in fixed locals: compiling allocates nothing per node.
                let arity = Int(node.arity)
                var a0 = stack.removeLast()
                var a1 = arity > 1 ? stack.removeLast() : Operand.constant(0)
                var a2 = arity > 2 ? stack.removeLast() : Operand.constant(0)
                var a3 = arity > 3 ? stack.removeLast() : Operand.constant(0)
                if a0.isConstant && a1.isConstant && a2.isConstant && a3.isConstant {
                    stack.append(.constant(CompiledProgram.fold(node, a0, a1, a2, a3, functionSet)))
                    continue
                }
                var form = Instruction.Form.pointers
                var k: Float = 0
                if arity == 2, let op = node.builtin {
                    if case .constant(let value) = a1 {
                        form = .constantSecond; k = value
                    } else if case .constant(let value) = a0 {
                        form = op.isCommutative ? .constantSecond : .constantFirst
                        k = value; a0 = a1
                    }
                    if form != .pointers { a1 = .constant(0) }
                } else {
                    a0 = pointerOperand(a0)
                    if arity > 1 { a1 = pointerOperand(a1) }
                    if arity > 2 { a2 = pointerOperand(a2) }
                    if arity > 3 { a3 = pointerOperand(a3) }
                }
                // A fresh destination: a kernel whose output aliases an input fails the compiler's runtime
                // overlap check and runs its scalar loop.
                let slot = allocate()
                release(a0); release(a1); release(a2); release(a3)
                instructions.append(Instruction(op: node.code, form: form, destination: slot,
                                                a: a0.reference, b: a1.reference, c: a2.reference, d: a3.reference, k: k))
                stack.append(.slot(slot))
            }
        }
        self.instructions = instructions
        self.output = stack.last ?? .constant(0)
        self.slotCount = Int(next)
    }

    /// The value of an operator on constants, computed by the batch kernels themselves so that folding does
    /// not change a single bit of the program's output.
    static func fold(_ node: Node, _ a0: Operand, _ a1: Operand, _ a2: Operand, _ a3: Operand, _ functionSet: FunctionSet) -> Float {
        var values = [Float](repeating: 0, count: 4)
        for (index, arg) in [a0, a1, a2, a3].enumerated() { if case .constant(let v) = arg { values[index] = v } }
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
