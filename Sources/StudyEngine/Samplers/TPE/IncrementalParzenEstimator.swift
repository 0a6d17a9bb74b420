import Foundation

/// The Parzen estimator of one group of trials, kept between calls and updated in place (TPE's above
/// group, which gains one or two trials per call and rarely loses any).
///
/// Each kernel keeps its slot while its trial stays in the group. A call frees the slots of trials that
/// left, fills free slots with trials that joined, and recomputes bandwidths only where they can have
/// changed: around the kernels that joined or left in each dimension's order of values, or everywhere in
/// a dimension whose smallest bandwidth (the magic clip) moved. The weights and the kernel constants are
/// recomputed on every call. Every number of the estimator is the one `ParzenEstimator.reset` and
/// `setObservations` give for the same observations; only the slots differ, and no result depends on
/// them. Kernels that joined since the last arrangement sit out of the order of the arranged dimension
/// (the one that bounds most kernels away); once they are many, the slots are rearranged.
///
/// Running trials (the constant liar) are taken out and put back on every call, as their values are
/// read anew each time.
final class IncrementalParzenEstimator {
    private(set) var estimator = ParzenEstimator()
    private var columns: [ObjectIdentifier] = []
    private var dimensions: [ParzenDimension] = []
    private var settings = ParzenEstimatorSettings()
    private var capacity = 0
    /// Per slot: the trial number of its kernel, -1 for a free slot, -2 for the prior.
    private var trialInSlot: [Int32] = []
    private var runningInSlot: [Bool] = []
    /// By trial number: the slot of a finished trial's kernel, or -1.
    private var slotOfTrial: [Int32] = []
    /// By trial number: the call that last found the trial in the group.
    private var seen: [UInt32] = []
    private var call: UInt32 = 0
    private var freeSlots: [Int32] = []
    private var runningSlots: [Int32] = []
    /// Slots at or above this have never been used since the last layout.
    private var usedSlots = 0
    private var priorSlot = 0
    /// Per dimension: the kernels' slots ordered by (value, trial number), as `TPEColumn.sorted`.
    private var sorted: [[Int32]] = []
    /// Per dimension: slots whose bandwidth may have changed.
    private var dirty: [[Int32]] = []
    /// Per dimension: the smallest bandwidth of the last call.
    private var minimumSigmas: [Double] = []
    private var memberCount = 0
    private var arrangedDimension = 0
    /// Kernels placed out of the arranged order since the last arrangement.
    private var displaced = 0
    private var kernelSlots: [Int32] = []

    /// Brings the estimator up to date with the group `members`, in kernel order (trial number order):
    /// a finished trial by its number, a running one as -1 - row with its values in row `row` of
    /// `runningValues` (dimension-minor). `trialNumbers` holds every member's trial number, `values` the
    /// Parzen-space value of each dimension by trial number (`TPEColumn.values`), `columns` identifies
    /// the columns; `arrangeBy` is the dimension to arrange the slots by when they are rearranged.
    func update(columns: [ObjectIdentifier], dimensions: [ParzenDimension], values: [[Double]],
                settings: ParzenEstimatorSettings, members: UnsafeBufferPointer<Int32>,
                trialNumbers: UnsafeBufferPointer<Int32>, runningValues: UnsafeBufferPointer<Double>,
                weights: UnsafeBufferPointer<Double>, arrangeBy: Int) {
        let n = members.count
        let dimensionCount = dimensions.count
        if columns != self.columns || dimensions != self.dimensions || settings != self.settings || capacity == 0 {
            self.columns = columns
            self.dimensions = dimensions
            self.settings = settings
            layOut(capacity: Self.capacity(for: n))
            arrangedDimension = min(max(arrangeBy, 0), dimensionCount - 1)
        }
        call &+= 1
        if call == 0 {
            seen.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            call = 1
        }
        var highest: Int32 = -1
        for number in trialNumbers where number > highest { highest = number }
        if Int(highest) >= slotOfTrial.count {
            let grow = max(Int(highest) + 1, slotOfTrial.count * 2) - slotOfTrial.count
            slotOfTrial.append(contentsOf: repeatElement(-1, count: grow))
            seen.append(contentsOf: repeatElement(0, count: grow))
        }

        // Leavers: every running kernel, and finished trials no longer in the group.
        for slot in runningSlots { remove(Int(slot)) }
        runningSlots.removeAll(keepingCapacity: true)
        let call = self.call
        var leavers: [Int] = []
        seen.withUnsafeMutableBufferPointer { seen in
            for number in members where number >= 0 { seen[Int(number)] = call }
            trialInSlot.withUnsafeBufferPointer { trialInSlot in
                for slot in 0..<usedSlots {
                    let number = trialInSlot[slot]
                    if number >= 0 && seen[Int(number)] != call { leavers.append(slot) }
                }
            }
        }
        for slot in leavers { remove(slot) }
        // Joiners; kernel i's slot is collected on the way (-1 for a joiner, filled in below).
        var joiners: [Int] = []
        kernelSlots.removeAll(keepingCapacity: true)
        kernelSlots.append(contentsOf: repeatElement(-1, count: n + 1))
        kernelSlots.withUnsafeMutableBufferPointer { kernelSlots in
            slotOfTrial.withUnsafeBufferPointer { slotOfTrial in
                for i in 0..<n {
                    let member = members[i]
                    let slot = member >= 0 ? slotOfTrial[Int(member)] : -1
                    if slot < 0 { joiners.append(i) }
                    kernelSlots[i] = slot
                }
            }
        }
        let bulk = joiners.count > 64
        var row = [Double](repeating: 0, count: dimensionCount)
        for i in joiners {
            let member = members[i]
            for d in 0..<dimensionCount {
                row[d] = member >= 0 ? values[d][Int(member)] : runningValues[Int(-1 - member) * dimensionCount + d]
            }
            let slot = insert(trial: trialNumbers[i], running: member < 0, values: row, bulk: bulk)
            kernelSlots[i] = Int32(slot)
        }
        memberCount = n
        if bulk { sortEveryDimension() }

        if displaced > max(16, n / 16) || freeSlots.count > max(16, n / 16) {
            rearrange(by: min(max(arrangeBy, 0), dimensionCount - 1))
        }
        updateBandwidths(everywhere: bulk)
        kernelSlots[n] = Int32(priorSlot)
        kernelSlots.withUnsafeBufferPointer { kernelSlots in
            estimator.commitSlots(kernelSlots: kernelSlots, observationWeights: weights,
                                  slotLimit: (usedSlots + 7) / 8 * 8, arrangedDimension: arrangedDimension)
        }
    }

    private static func capacity(for n: Int) -> Int { (n + 1 + max(64, n / 4) + 7) / 8 * 8 }

    /// A fresh layout of `capacity` free slots (and the prior's), forgetting every kernel.
    private func layOut(capacity: Int) {
        self.capacity = capacity
        estimator.layOutSlots(dimensions: dimensions, settings: settings, capacity: capacity)
        trialInSlot = [Int32](repeating: -1, count: capacity)
        runningInSlot = [Bool](repeating: false, count: capacity)
        slotOfTrial.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        freeSlots.removeAll()
        runningSlots.removeAll()
        sorted = [[Int32]](repeating: [], count: dimensions.count)
        dirty = sorted
        minimumSigmas = [Double](repeating: .nan, count: dimensions.count)
        memberCount = 0
        displaced = 0
        usedSlots = 0
        priorSlot = takeSlot()
        trialInSlot[priorSlot] = -2
        for (d, dimension) in dimensions.enumerated() where dimension.kind != .categorical {
            estimator.setMu(0.5 * (dimension.adaptedLow + dimension.adaptedHigh), slot: priorSlot, dimension: d)
            estimator.setSigma(dimension.adaptedHigh - dimension.adaptedLow, slot: priorSlot, dimension: d)
        }
    }

    /// A free slot, growing the layout when there is none.
    private func takeSlot() -> Int {
        if let slot = freeSlots.popLast() { return Int(slot) }
        if usedSlots == capacity {
            let destination = (0..<capacity).map { Int32($0) }
            grow(to: Self.capacity(for: capacity), destination: destination)
        }
        usedSlots += 1
        return usedSlots - 1
    }

    /// Moves slot s to `destination[s]` in a layout of `newCapacity` slots.
    private func grow(to newCapacity: Int, destination: [Int32]) {
        destination.withUnsafeBufferPointer { estimator.moveSlots($0, capacity: newCapacity) }
        var newTrialInSlot = [Int32](repeating: -1, count: newCapacity)
        var newRunningInSlot = [Bool](repeating: false, count: newCapacity)
        var newUsed = 0
        for slot in 0..<capacity where destination[slot] >= 0 {
            let target = Int(destination[slot])
            newTrialInSlot[target] = trialInSlot[slot]
            newRunningInSlot[target] = runningInSlot[slot]
            newUsed = max(newUsed, target + 1)
        }
        func map(_ slots: inout [Int32]) {
            for i in slots.indices where slots[i] >= 0 { slots[i] = destination[Int(slots[i])] }
        }
        for d in sorted.indices {
            map(&sorted[d])
            dirty[d] = dirty[d].filter { destination[Int($0)] >= 0 }
            map(&dirty[d])
        }
        map(&runningSlots)
        map(&kernelSlots)
        for number in slotOfTrial.indices where slotOfTrial[number] >= 0 {
            slotOfTrial[number] = destination[Int(slotOfTrial[number])]
        }
        priorSlot = Int(destination[priorSlot])
        freeSlots = (0..<newUsed).filter { newTrialInSlot[$0] == -1 }.reversed().map { Int32($0) }
        trialInSlot = newTrialInSlot
        runningInSlot = newRunningInSlot
        usedSlots = newUsed
        capacity = newCapacity
    }

    /// Compacts the slots in the order of dimension d's values (the prior after them).
    private func rearrange(by d: Int) {
        var destination = [Int32](repeating: -1, count: capacity)
        var next: Int32 = 0
        for slot in sorted[d] {
            destination[Int(slot)] = next
            next += 1
        }
        destination[priorSlot] = next
        next += 1
        let newCapacity = max(capacity, Self.capacity(for: memberCount))
        grow(to: newCapacity, destination: destination)
        arrangedDimension = d
        displaced = 0
    }

    /// Whether the kernel in slot a comes before the one in slot b in dimension d's order.
    @inline(__always)
    private func precedes(_ a: Int, _ b: Int, in d: Int) -> Bool {
        let valueA = estimator.mu(slot: a, dimension: d), valueB = estimator.mu(slot: b, dimension: d)
        return valueA < valueB || (valueA == valueB && trialInSlot[a] < trialInSlot[b])
    }

    /// Position of the kernel in `slot` in dimension d's order (where it is, or would be inserted).
    private func position(of slot: Int, in d: Int) -> Int {
        let value = estimator.mu(slot: slot, dimension: d), trial = trialInSlot[slot]
        return sorted[d].withUnsafeBufferPointer { order in
            var low = 0, high = order.count
            while low < high {
                let middle = (low + high) / 2
                let other = Int(order[middle])
                let otherValue = estimator.mu(slot: other, dimension: d)
                if otherValue < value || (otherValue == value && trialInSlot[other] < trial) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low
        }
    }

    /// Puts a kernel in a free slot; `bulk` leaves the orders to `sortEveryDimension`.
    private func insert(trial: Int32, running: Bool, values: [Double], bulk: Bool) -> Int {
        let slot = takeSlot()
        trialInSlot[slot] = trial
        runningInSlot[slot] = running
        if running {
            runningSlots.append(Int32(slot))
        } else {
            slotOfTrial[Int(trial)] = Int32(slot)
        }
        for d in 0..<dimensions.count {
            estimator.setMu(values[d], slot: slot, dimension: d)
            if bulk {
                sorted[d].append(Int32(slot))
                continue
            }
            let p = position(of: slot, in: d)
            sorted[d].insert(Int32(slot), at: p)
            if dimensions[d].kind == .categorical { continue }
            for q in max(0, p - 1)...min(sorted[d].count - 1, p + 1) { dirty[d].append(sorted[d][q]) }
        }
        displaced += 1
        return slot
    }

    private func sortEveryDimension() {
        for d in sorted.indices { sorted[d].sort { precedes(Int($0), Int($1), in: d) } }
    }

    private func remove(_ slot: Int) {
        for d in 0..<dimensions.count {
            var p = position(of: slot, in: d)
            if !(p < sorted[d].count && Int(sorted[d][p]) == slot) {
                p = sorted[d].firstIndex(of: Int32(slot))!  // unreachable while the orders hold
            }
            sorted[d].remove(at: p)
            if dimensions[d].kind == .categorical { continue }
            if p > 0 { dirty[d].append(sorted[d][p - 1]) }
            if p < sorted[d].count { dirty[d].append(sorted[d][p]) }
        }
        estimator.clearSlot(slot)
        if !runningInSlot[slot] { slotOfTrial[Int(trialInSlot[slot])] = -1 }
        trialInSlot[slot] = -1
        runningInSlot[slot] = false
        freeSlots.append(Int32(slot))
    }

    /// Recomputes the bandwidths that may have changed (all of them with `everywhere`), as
    /// `ParzenEstimator.setObservations` computes them.
    private func updateBandwidths(everywhere: Bool) {
        let n = memberCount
        for (d, dimension) in dimensions.enumerated() where dimension.kind != .categorical {
            let low = dimension.adaptedLow, high = dimension.adaptedHigh
            let maxSigma = high - low
            let minSigma = settings.considerMagicClip ? (high - low) / min(100.0, 1.0 + Double(n + 1)) : 1e-12
            let endpoints = settings.considerEndpoints
            let everything = everywhere || minSigma != minimumSigmas[d] || n <= 2
            minimumSigmas[d] = minSigma
            let order = sorted[d]
            func refresh(_ position: Int) {
                let slot = Int(order[position])
                let mu = estimator.mu(slot: slot, dimension: d)
                let previous = position == 0 ? low : estimator.mu(slot: Int(order[position - 1]), dimension: d)
                let next = position == n - 1 ? high : estimator.mu(slot: Int(order[position + 1]), dimension: d)
                var sigma = max(mu - previous, next - mu)
                if !endpoints && n >= 2 {
                    if position == 0 { sigma = next - mu } else if position == n - 1 { sigma = mu - previous }
                }
                sigma = min(max(sigma, minSigma), maxSigma)
                if sigma.bitPattern != estimator.sigma(slot: slot, dimension: d).bitPattern {
                    estimator.setSigma(sigma, slot: slot, dimension: d)
                }
            }
            if everything {
                for position in 0..<n { refresh(position) }
            } else {
                for slot in dirty[d] where trialInSlot[Int(slot)] >= 0 { refresh(position(of: Int(slot), in: d)) }
            }
            dirty[d].removeAll(keepingCapacity: true)
        }
    }
}
