/// An RGB image, 8 bits per channel, rows top to bottom (`pixels[(y * width + x) * 3 + channel]`).
public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// A frame filled with one colour.
    public init(width: Int, height: Int, fill: RGB = RGB(0, 0, 0)) {
        self.width = width
        self.height = height
        let count = width * height
        pixels = [UInt8](unsafeUninitializedCapacity: count * 3) { buffer, initialized in
            for i in 0..<count { buffer[3 * i] = fill.red; buffer[3 * i + 1] = fill.green; buffer[3 * i + 2] = fill.blue }
            initialized = count * 3
        }
    }

    /// The colour at (x, y).
    public subscript(x: Int, y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Paints the pixels whose centres lie inside the rectangle (clipped to the frame): a rectangle at integer
    /// coordinates covers exactly its pixels, one at x.5 is rounded half up.
    public mutating func fillRectangle(x: Double, y: Double, width w: Double, height h: Double, _ colour: RGB) {
        let x0 = max(0, Int((x).rounded(.toNearestOrAwayFromZero))), y0 = max(0, Int(y.rounded(.toNearestOrAwayFromZero)))
        let x1 = min(width, Int((x + w).rounded(.toNearestOrAwayFromZero))), y1 = min(height, Int((y + h).rounded(.toNearestOrAwayFromZero)))
        guard x0 < x1, y0 < y1 else { return }
        let frameWidth = width
        pixels.withUnsafeMutableBufferPointer { p in
            for row in y0..<y1 {
                var i = (row * frameWidth + x0) * 3
                for _ in x0..<x1 {
                    p[i] = colour.red; p[i + 1] = colour.green; p[i + 2] = colour.blue
                    i += 3
                }
            }
        }
    }

    /// The frame as a PNG file.
    public var png: [UInt8] { PNGEncoder.encode(self) }
}

/// A colour.
public struct RGB: Sendable, Hashable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { (self.red, self.green, self.blue) = (red, green, blue) }
}
