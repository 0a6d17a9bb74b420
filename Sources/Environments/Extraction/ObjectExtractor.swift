/// The classical object extractor: turns rendered frames into the DiffSES object list without knowing the
/// game's state. Colour segmentation (each object class has a colour), connected components (4-neighbours)
/// with a size filter, and tracking across frames (each object matched to the nearest object of its type in
/// the previous frame) for velocities. This is the pixels-to-objects step the DiffSES code never published.
public struct ObjectExtractor: Sendable {
    /// One kind of object: its type id, colour and the bounding-box sizes it may have.
    public struct ObjectClass: Sendable {
        public var type: Int
        public var colour: RGB
        public var widths: ClosedRange<Int>
        public var heights: ClosedRange<Int>
        public init(type: Int, colour: RGB, widths: ClosedRange<Int>, heights: ClosedRange<Int>) {
            (self.type, self.colour, self.widths, self.heights) = (type, colour, widths, heights)
        }
    }

    public var classes: [ObjectClass]
    /// The part of the frame searched (rows and columns), leaving out static decoration such as walls.
    public var rows: Range<Int>
    public var columns: Range<Int>
    /// Largest distance, in pixels, between an object and its match in the previous frame.
    public var trackingDistance: Double
    var previous: [ObjectState] = []

    public init(classes: [ObjectClass], rows: Range<Int>, columns: Range<Int>, trackingDistance: Double = 30) {
        self.classes = classes
        self.rows = rows
        self.columns = columns
        self.trackingDistance = trackingDistance
    }

    /// The extractor for native Pong: paddles and ball by Atari Pong's colours, inside the court.
    public static func pong(_ parameters: PongParameters = PongParameters()) -> ObjectExtractor {
        let h = Int(parameters.paddleHeight.rounded())
        return ObjectExtractor(classes: [
            ObjectClass(type: 0, colour: Pong.objectColours[0]!, widths: 1...4, heights: 1...h),
            ObjectClass(type: 1, colour: Pong.objectColours[1]!, widths: 1...2, heights: 1...4),
            ObjectClass(type: 2, colour: Pong.objectColours[2]!, widths: 1...4, heights: 1...h),
        ], rows: Int(parameters.courtTop)..<Int(parameters.courtBottom), columns: 0..<Pong.screenWidth)
    }

    /// The extractor for native Freeway: the chicken and the cars, on the road.
    public static func freeway() -> ObjectExtractor {
        ObjectExtractor(classes: [
            ObjectClass(type: 0, colour: Freeway.objectColours[0]!, widths: 1...6, heights: 1...8),
            ObjectClass(type: 1, colour: Freeway.objectColours[1]!, widths: 1...8, heights: 1...8),
        ], rows: 0..<210, columns: 0..<160, trackingDistance: 12)
    }

    /// Forgets the previous frame (call at the start of an episode).
    public mutating func resetTracking() { previous.removeAll() }

    /// The objects in `frame`, sorted by type then position, with velocities from the previous frame given to
    /// this extractor (0 for a new object).
    public mutating func extract(_ frame: Frame) -> [ObjectState] {
        var found = components(frame)
        found.sort { ($0.type, $0.y, $0.x) < ($1.type, $1.y, $1.x) }
        var used = [Bool](repeating: false, count: previous.count)
        for i in found.indices {
            var best = -1, bestDistance = trackingDistance
            for (j, old) in previous.enumerated() where !used[j] && old.type == found[i].type {
                let d = max(abs(old.x - found[i].x), abs(old.y - found[i].y))
                if d <= bestDistance { best = j; bestDistance = d }
            }
            if best >= 0 {
                used[best] = true
                found[i].xVelocity = found[i].x - previous[best].x
                found[i].yVelocity = found[i].y - previous[best].y
            }
        }
        previous = found
        return found
    }

    /// Connected components of each class colour inside the search region, as objects without velocities.
    func components(_ frame: Frame) -> [ObjectState] {
        let width = frame.width
        let r0 = max(0, rows.lowerBound), r1 = min(frame.height, rows.upperBound)
        let c0 = max(0, columns.lowerBound), c1 = min(frame.width, columns.upperBound)
        guard r0 < r1, c0 < c1 else { return [] }
        // Class index of every pixel of the region (−1: background), then 4-connected flood fills.
        let regionWidth = c1 - c0, regionHeight = r1 - r0
        var label = [Int8](repeating: -1, count: regionWidth * regionHeight)
        let colours = classes.map { UInt32($0.colour.red) << 16 | UInt32($0.colour.green) << 8 | UInt32($0.colour.blue) }
        var result: [ObjectState] = []
        frame.pixels.withUnsafeBufferPointer { px in
            label.withUnsafeMutableBufferPointer { lab in
                var any = false
                for y in 0..<regionHeight {
                    var i = ((y + r0) * width + c0) * 3
                    for x in 0..<regionWidth {
                        let colour = UInt32(px[i]) << 16 | UInt32(px[i + 1]) << 8 | UInt32(px[i + 2])
                        for (c, wanted) in colours.enumerated() where colour == wanted {
                            lab[y * regionWidth + x] = Int8(c)
                            any = true
                            break
                        }
                        i += 3
                    }
                }
                guard any else { return }
                var stack: [Int] = []
                for start in 0..<lab.count where lab[start] >= 0 {
                    let cls = lab[start]
                    lab[start] = -1
                    stack.append(start)
                    var minX = Int.max, maxX = Int.min, minY = Int.max, maxY = Int.min
                    while let index = stack.popLast() {
                        let x = index % regionWidth, y = index / regionWidth
                        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                        if x > 0 && lab[index - 1] == cls { lab[index - 1] = -1; stack.append(index - 1) }
                        if x + 1 < regionWidth && lab[index + 1] == cls { lab[index + 1] = -1; stack.append(index + 1) }
                        if y > 0 && lab[index - regionWidth] == cls { lab[index - regionWidth] = -1; stack.append(index - regionWidth) }
                        if y + 1 < regionHeight && lab[index + regionWidth] == cls {
                            lab[index + regionWidth] = -1; stack.append(index + regionWidth)
                        }
                    }
                    let c = classes[Int(cls)]
                    let w = maxX - minX + 1, h = maxY - minY + 1
                    if c.widths.contains(w) && c.heights.contains(h) {
                        result.append(ObjectState(type: c.type, x: Double(minX + c0), y: Double(minY + r0),
                                                  width: Double(w), height: Double(h)))
                    }
                }
            }
        }
        return result
    }
}
