import Foundation
import Synchronization

/// Memory of `SharedSubtrees` kept from one generation to the next: fresh pages cost a fault each, and the
/// columns and the table would take thousands per fit.
final class SharingWorkspace: @unchecked Sendable {
    private(set) var columns = SharingWorkspace.allocateColumns(1)
    private var columnCapacity = 1
    /// The hash-consing table: a state per slot (-1 empty, -2 being written, else the identity) and its key.
    private(set) var slots = UnsafeMutablePointer<Atomic<Int32>>.allocate(capacity: 1)
    private(set) var keys = UnsafeMutablePointer<SharedSubtrees.Key>.allocate(capacity: 1)
    private(set) var slotCount = 0
    /// Per identity: what `SharedSubtrees.Subtree` says.
    private(set) var subtrees = UnsafeMutablePointer<SharedSubtrees.Subtree>.allocate(capacity: 1)
    private(set) var subtreeCapacity = 0
    /// Identities of every node of every program, program after program.
    private(set) var nodeIDs = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var nodeCapacity = 0

    /// Room for `count` floats of columns (the contents are not kept when it grows).
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > columnCapacity {
            free(columns)
            columnCapacity = Swift.max(count, columnCapacity * 2)
            columns = Self.allocateColumns(columnCapacity)
        }
        return columns
    }

    /// An empty table of at least twice `nodes` slots, and room for `nodes` identities past the features when
    /// `threads` take them in blocks.
    func prepare(nodes: Int, features: Int, threads: Int) {
        var size = 64
        while size < nodes * 2 { size <<= 1 }
        if size > slotCount {
            slots.deinitialize(count: slotCount)
            slots.deallocate()
            keys.deallocate()
            slots = .allocate(capacity: size)
            precondition(MemoryLayout<Atomic<Int32>>.stride == MemoryLayout<Int32>.stride)
            UnsafeMutableRawPointer(slots).initializeMemory(as: Int32.self, repeating: -1, count: size)
            // A key is read only in a slot whose state says it was written.
            keys = .allocate(capacity: size)
            slotCount = size
        } else {
            // No thread uses the table between generations: a plain fill (one atomic store per slot took longer
            // than the rest of the generation's bookkeeping).
            UnsafeMutableRawPointer(slots).initializeMemory(as: Int32.self, repeating: -1, count: slotCount)
        }
        // Identities are handed out in blocks of `SharedSubtrees.identityBlock` per thread.
        let identities = nodes + features + Swift.max(1, threads) * SharedSubtrees.identityBlock
        if identities > subtreeCapacity {
            subtrees.deallocate()
            subtreeCapacity = Swift.max(identities, subtreeCapacity * 2)
            subtrees = .allocate(capacity: subtreeCapacity)
        }
        if nodes > nodeCapacity {
            nodeIDs.deallocate()
            nodeCapacity = Swift.max(nodes, nodeCapacity * 2)
            nodeIDs = .allocate(capacity: nodeCapacity)
        }
    }

    /// Columns on 2 MiB boundaries, in huge pages where the kernel gives them on request (tens of MiB of 4 KiB
    /// pages fault thousands of times in a fit of a tenth of a second).
    private static func allocateColumns(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = (count * MemoryLayout<Float>.stride + (2 << 20) - 1) & ~((2 << 20) - 1)
        var raw: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&raw, 2 << 20, bytes) == 0, let raw else { fatalError("out of memory for \(bytes) bytes of shared columns") }
        #if os(Linux)
        _ = madvise(raw, bytes, MADV_HUGEPAGE)
        #endif
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    deinit {
        free(columns)
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        keys.deallocate()
        subtrees.deallocate()
        nodeIDs.deallocate()
    }
}

/// A subtree a program reads from a shared column instead of computing it: positions `start..<end` of the
/// program's nodes are replaced by column `column` of `SharedSubtrees`.
struct SharedMark {
    var start: Int32
    var end: Int32
    var column: Int32
}

/// The subtrees that several programs of one generation have in common, computed once each.
///
/// Crossover and the mutations copy most of a parent into each child, and a tournament winner has many
/// children, so one generation's programs repeat the same subtrees many times. The programs are hash-consed
/// into a graph of distinct subtrees (exact: a subtree's key is its operator and its children's identities); a
/// distinct subtree read by two or more distinct parents (or that is two or more whole programs) gets a
/// column of its own, computed once by the same kernels over the same blocks of rows, so every program's output
/// is bitwise what it computes inline. Programs then read those columns in place, as they read features.
final class SharedSubtrees: @unchecked Sendable {
    /// Per program (in the order given; empty for a program not to be evaluated): its outermost shared
    /// subtrees, by increasing start.
    let marks: [[SharedMark]]
    /// The shared subtrees, each as a program with its own inner marks, by increasing length: a column reads
    /// only earlier ones.
    let columns: [(program: Program, marks: [SharedMark])]
    /// The nodes of every program, and of every shared subtree, that are computed (the programs' lengths minus
    /// what they read from columns, plus each column once).
    let computedNodes: Int
    /// Per program, the first program of the generation that is the same program (itself when it is the first,
    /// -1 for a program not evaluated): its score is the same.
    let firstCopy: [Int]
    let arena: UnsafeMutablePointer<Float>
    /// Per column: computed.
    private let done: UnsafeMutablePointer<Atomic<Bool>>
    /// Holds the arena (until the next generation's columns reuse it).
    private let workspace: SharingWorkspace
    /// Distance between two columns, in floats (the data's column stride).
    let stride: Int

    /// Exact identity of a subtree: leaves by feature or constant bits, functions by operator and children.
    struct Key: Equatable {
        var payload: UInt64
        var code: UInt32
        var b: Int32 = -1
        var c: Int32 = -1
        var d: Int32 = -1

        /// A multiply-xorshift mix: the table is probed once per node of every program of a generation.
        var hash: UInt64 {
            var h = payload &* 0x9E37_79B9_7F4A_7C15
            h ^= UInt64(code) &+ (UInt64(UInt32(bitPattern: b)) << 32)
            h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            h ^= UInt64(UInt32(bitPattern: c)) | (UInt64(UInt32(bitPattern: d)) << 32)
            h = (h ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
            return h ^ (h >> 29)
        }
    }

    /// What is known of one distinct subtree (length 0: an identity no subtree took).
    struct Subtree {
        var length: Int32
        var functions: Int32
        var hasFeature: Bool
        /// Where it first occurs: program index and start position.
        var program: Int32
        var start: Int32
        /// Identities of the arguments, -1 past the arity.
        var arguments: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
    }

    /// Identities a thread takes at once (one shared counter bumped per subtree made the threads wait on each other).
    static let identityBlock = 256

    /// `programs[i] == nil` marks a program that is not evaluated (an elite keeps its score). Subtrees with
    /// fewer than `minimumFunctions` operators get no column; at most `maximumColumns` are kept, those saving
    /// the most nodes. The programs are hash-consed on `threads` at
    /// once (identities then depend on timing; which subtrees are shared, and every output, do not).
    /// The columns and the table live in `workspace`.
    init(programs: [Program?], featureCount: Int, stride: Int, minimumFunctions: Int, maximumColumns: Int,
         threads: Int, workspace: SharingWorkspace, order: [Int]? = nil, bounds: [Int]? = nil) {
        self.stride = stride
        self.workspace = workspace
        var offsets = [Int](repeating: 0, count: programs.count + 1)
        for (index, program) in programs.enumerated() { offsets[index + 1] = offsets[index] + (program?.length ?? 0) }
        let totalNodes = offsets[programs.count]
        workspace.prepare(nodes: totalNodes, features: featureCount, threads: threads)
        let subtrees = workspace.subtrees, nodeIDs = workspace.nodeIDs
        for feature in 0..<featureCount {
            subtrees[feature] = Subtree(length: 1, functions: 0, hasFeature: true, program: -1, start: -1)
        }
        let nextBlock = Atomic<Int32>(Int32(featureCount))
        let table = (slots: workspace.slots, keys: workspace.keys, mask: workspace.slotCount - 1)
        let maximumLength = programs.reduce(0) { Swift.max($0, $1?.length ?? 0) }
        let stackStride = (maximumLength + 15) / 16 * 16 + 16  // whole cache lines per thread
        let stacks = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(1, threads) * stackStride)
        defer { stacks.deallocate() }
        // Per thread, the next identity of its block and the block's end.
        // One cache line apart: each thread bumps its own on every subtree it makes.
        let lineStride = 8
        let blocks = UnsafeMutablePointer<(next: Int32, end: Int32)>.allocate(capacity: Swift.max(1, threads) * lineStride)
        blocks.initialize(repeating: (0, 0), count: Swift.max(1, threads) * lineStride)
        defer { blocks.deallocate() }

        /// The identity of `key`, made (with its entry) when it is new.
        func identity(of key: Key, _ node: Node, _ arguments: UnsafeMutablePointer<Int32>, _ program: Int, _ position: Int,
                      _ worker: Int) -> Int32 {
            var slot = Int(truncatingIfNeeded: key.hash) & table.mask
            while true {
                var state = table.slots[slot].load(ordering: .acquiring)
                if state == -1 {
                    if table.slots[slot].compareExchange(expected: -1, desired: -2, ordering: .acquiring).exchanged {
                        table.keys[slot] = key
                        let block = worker * lineStride
                        if blocks[block].next == blocks[block].end {
                            let first = nextBlock.wrappingAdd(Int32(Self.identityBlock), ordering: .relaxed).oldValue
                            blocks[block] = (first, first + Int32(Self.identityBlock))
                            for id in Int(first)..<Int(first) + Self.identityBlock {
                                subtrees[id] = Subtree(length: 0, functions: 0, hasFeature: false, program: -1, start: -1)
                            }
                        }
                        let id = blocks[block].next
                        blocks[block].next += 1
                        var entry = Subtree(length: 1, functions: node.isFunction ? 1 : 0, hasFeature: false,
                                            program: Int32(program), start: Int32(position))
                        let arity = Int(node.arity)
                        for argument in 0..<arity {
                            let child = Int(arguments[argument])
                            entry.length += subtrees[child].length
                            entry.functions += subtrees[child].functions
                            entry.hasFeature = entry.hasFeature || subtrees[child].hasFeature
                        }
                        if arity > 0 { entry.arguments.0 = arguments[0] }
                        if arity > 1 { entry.arguments.1 = arguments[1] }
                        if arity > 2 { entry.arguments.2 = arguments[2] }
                        if arity > 3 { entry.arguments.3 = arguments[3] }
                        subtrees[Int(id)] = entry
                        table.slots[slot].store(id, ordering: .releasing)
                        return id
                    }
                    state = table.slots[slot].load(ordering: .acquiring)
                }
                while state == -2 { state = table.slots[slot].load(ordering: .acquiring) }
                if state >= 0 && table.keys[slot] == key { return state }
                if state >= 0 { slot = (slot + 1) & table.mask }
            }
        }

        // Each worker hash-conses the programs it bred (their nodes are in its cache).
        ParallelLoop.runOwned(count: programs.count, threads: threads, chunk: 16, bounds: bounds) { worker, position in
            let index = order?[position] ?? position
            guard let program = programs[index] else { return }
            let ids = nodeIDs + offsets[index]
            let stack = stacks + worker * stackStride
            var top = 0
            program.nodes.withUnsafeBufferPointer { nodes in
                for position in Swift.stride(from: nodes.count - 1, through: 0, by: -1) {
                    let node = nodes[position]
                    let id: Int32
                    switch node.kind {
                    case .feature:
                        id = Int32(node.code)
                    case .constant:
                        id = identity(of: Key(payload: node.value.bitPattern, code: 0x2_0000), node, stack + top, index, position, worker)
                    case .function:
                        let arity = Int(node.arity)
                        top -= arity
                        // The stack holds the arguments last one deepest: reverse them into argument order.
                        let arguments = stack + top
                        var i = 0, j = arity - 1
                        while i < j { (arguments[i], arguments[j]) = (arguments[j], arguments[i]); i += 1; j -= 1 }
                        let key = Key(payload: UInt64(UInt32(bitPattern: arguments[0])), code: UInt32(node.code),
                                      b: arity > 1 ? arguments[1] : -1, c: arity > 2 ? arguments[2] : -1,
                                      d: arity > 3 ? arguments[3] : -1)
                        id = identity(of: key, node, arguments, index, position, worker)
                    }
                    ids[position] = id
                    stack[top] = id
                    top += 1
                }
            }
        }

        // Readers of each subtree: one per distinct parent (each argument position), one per whole program.
        let count = Int(nextBlock.load(ordering: .relaxed))
        var references = [Int32](repeating: 0, count: count)
        for id in featureCount..<count where subtrees[id].length > 0 {
            let arguments = subtrees[id].arguments
            if arguments.0 >= 0 { references[Int(arguments.0)] += 1 }
            if arguments.1 >= 0 { references[Int(arguments.1)] += 1 }
            if arguments.2 >= 0 { references[Int(arguments.2)] += 1 }
            if arguments.3 >= 0 { references[Int(arguments.3)] += 1 }
        }
        for index in programs.indices where programs[index] != nil { references[Int(nodeIDs[offsets[index]])] += 1 }

        // Copies: a program whose root an earlier program has is that program.
        var firstCopy = [Int](repeating: -1, count: programs.count)
        var firstWithRoot = [Int32](repeating: -1, count: count)
        for index in programs.indices where programs[index] != nil {
            let root = Int(nodeIDs[offsets[index]])
            if firstWithRoot[root] < 0 { firstWithRoot[root] = Int32(index) }
            firstCopy[index] = Int(firstWithRoot[root])
        }

        func length(_ id: Int) -> Int32 { subtrees[id].length }
        func readers(_ id: Int) -> Int32 { references[id] }
        // Shared: read twice or more, with enough operators and a feature (a constant subtree is folded).
        var candidates = (featureCount..<count).filter {
            readers($0) >= 2 && subtrees[$0].functions >= Int32(minimumFunctions) && subtrees[$0].hasFeature
        }
        /// Orders by what is in the subtree, not by its identity (which depends on timing).
        func firstOccurrence(_ a: Int, _ b: Int) -> Bool {
            (subtrees[a].program, subtrees[a].start) < (subtrees[b].program, subtrees[b].start)
        }
        if candidates.count > maximumColumns {
            candidates.sort {
                let saved0 = (readers($0) - 1) * length($0), saved1 = (readers($1) - 1) * length($1)
                return saved0 != saved1 ? saved0 > saved1 : firstOccurrence($0, $1)
            }
            candidates.removeLast(candidates.count - maximumColumns)
        }
        // Columns by increasing length: a column reads only shorter ones, hence earlier ones.
        candidates.sort { length($0) != length($1) ? length($0) < length($1) : firstOccurrence($0, $1) }
        var column = [Int32](repeating: -1, count: count)
        for (index, id) in candidates.enumerated() { column[id] = Int32(index) }

        /// The outermost shared subtrees in `range` of program `program`, positions counted from `origin`;
        /// and how many nodes of the range they leave to compute.
        func outermost(_ program: Int, _ range: Range<Int>, from origin: Int) -> (marks: [SharedMark], computed: Int) {
            var found: [SharedMark] = []
            var computed = range.count
            let ids = nodeIDs + offsets[program]
            var position = range.lowerBound
            while position < range.upperBound {
                let id = Int(ids[position])
                if column[id] >= 0 {
                    let end = position + Int(length(id))
                    found.append(SharedMark(start: Int32(position - origin), end: Int32(end - origin), column: column[id]))
                    computed -= end - position
                    position = end
                } else {
                    position += 1
                }
            }
            return (found, computed)
        }

        // Each column's program and inner marks, each program's marks, at once.
        var columns = [(program: Program, marks: [SharedMark])](repeating: (Program([]), []), count: candidates.count)
        var marks = [[SharedMark]](repeating: [], count: programs.count)
        var computed = [Int](repeating: 0, count: candidates.count + programs.count)
        columns.withUnsafeMutableBufferPointer { columnBuffer in
            marks.withUnsafeMutableBufferPointer { markBuffer in
                computed.withUnsafeMutableBufferPointer { computedBuffer in
                    nonisolated(unsafe) let (columnsOut, marksOut, computedOut) = (columnBuffer, markBuffer, computedBuffer)
                    ParallelLoop.runOwned(count: candidates.count + programs.count, threads: threads, chunk: 16,
                                          shared: candidates.count, bounds: bounds.map { $0.map { $0 + candidates.count } }) { _, item in
                        if item < candidates.count {
                            let id = candidates[item]
                            let (program, start) = (Int(subtrees[id].program), Int(subtrees[id].start))
                            let end = start + Int(length(id))
                            let inner = outermost(program, start + 1..<end, from: start)
                            columnsOut[item] = (Program(Array(programs[program]!.nodes[start..<end])), inner.marks)
                            computedOut[item] = inner.computed + 1
                        } else {
                            let index = order?[item - candidates.count] ?? item - candidates.count
                            guard let program = programs[index] else { return }
                            let found = outermost(index, 0..<program.length, from: 0)
                            marksOut[index] = found.marks
                            computedOut[candidates.count + index] = found.computed
                        }
                    }
                }
            }
        }
        self.marks = marks
        self.columns = columns
        self.computedNodes = computed.reduce(0, +)
        self.firstCopy = firstCopy
        arena = workspace.reserve(columns.count * stride)
        done = .allocate(capacity: Swift.max(1, columns.count))
        for index in 0..<columns.count { (done + index).initialize(to: Atomic(false)) }
    }

    /// Computes column `index` on worker `worker`'s buffers, once the columns it reads are done.
    func computeColumn(_ index: Int, with fitness: FitnessFunction, worker: Int) {
        waitFor(columns[index].marks)
        fitness.computeColumn(columns[index].program, marks: columns[index].marks, shared: self,
                              into: arena + index * stride, worker: worker)
        done[index].store(true, ordering: .releasing)
    }

    /// Returns when every column `marks` name is done (their workers are at it: columns are handed out first,
    /// in order, and a column reads only earlier ones).
    func waitFor(_ marks: [SharedMark]) {
        for mark in marks {
            while !done[Int(mark.column)].load(ordering: .acquiring) {}
        }
    }

    deinit {
        done.deinitialize(count: columns.count)
        done.deallocate()
    }
}
