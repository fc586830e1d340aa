/// A decoded image: planar Float32 samples in [0, 1], one plane per colour channel, with the
/// alpha plane and the source's metadata kept alongside.
///
/// Planes are stored row-major, `width * height` samples each, top row first. Alpha is straight
/// (unassociated): decoders divide associated alpha out, so colour planes never carry it.
public struct Image: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// One plane (gray) or three planes (red, green, blue), each `width * height` samples.
    public var planes: [[Float]]
    /// The alpha plane, straight (not premultiplied), or `nil` for an opaque image.
    public var alpha: [Float]?
    /// Where the pixels came from: format, bit depth, colour profile, EXIF.
    public var metadata: ImageMetadata

    /// Creates an image from its planes. Every plane must hold `width * height` samples and
    /// there must be one or three colour planes.
    public init(width: Int, height: Int, planes: [[Float]], alpha: [Float]? = nil,
                metadata: ImageMetadata = ImageMetadata()) {
        precondition(width >= 0 && height >= 0, "negative image size")
        precondition(planes.count == 1 || planes.count == 3, "an image has one or three colour planes")
        precondition(planes.allSatisfy { $0.count == width * height }, "plane size does not match \(width)x\(height)")
        precondition(alpha.map { $0.count == width * height } ?? true, "alpha size does not match \(width)x\(height)")
        self.width = width
        self.height = height
        self.planes = planes
        self.alpha = alpha
        self.metadata = metadata
    }

    /// Creates an image filled with one value in every plane.
    public init(width: Int, height: Int, colorChannels: Int, hasAlpha: Bool = false, fill: Float = 0,
                metadata: ImageMetadata = ImageMetadata()) {
        let plane = [Float](repeating: fill, count: width * height)
        self.init(width: width, height: height,
                  planes: Array(repeating: plane, count: colorChannels),
                  alpha: hasAlpha ? [Float](repeating: 1, count: width * height) : nil,
                  metadata: metadata)
    }

    /// Number of colour planes: 1 for gray, 3 for RGB.
    public var colorChannelCount: Int { planes.count }
    /// Whether the image is grayscale.
    public var isGray: Bool { planes.count == 1 }
    /// Whether the image carries an alpha plane.
    public var hasAlpha: Bool { alpha != nil }
    /// Number of pixels.
    public var pixelCount: Int { width * height }

    /// The sample of colour plane `plane` at column `x`, row `y`.
    @inlinable
    public func sample(plane: Int, x: Int, y: Int) -> Float { planes[plane][y * width + x] }

    /// The rows `range` of this image as a new image with the same metadata (a band of rows).
    public func rows(_ range: Range<Int>) -> Image {
        precondition(range.lowerBound >= 0 && range.upperBound <= height, "rows \(range) outside 0..<\(height)")
        let span = (range.lowerBound * width)..<(range.upperBound * width)
        return Image(width: width, height: range.count, planes: planes.map { Array($0[span]) },
                     alpha: alpha.map { Array($0[span]) }, metadata: metadata)
    }

    /// The same pixels as RGB: a gray image has its plane repeated three times.
    public func expandedToRGB() -> Image {
        guard isGray else { return self }
        var copy = self
        copy.planes = [planes[0], planes[0], planes[0]]
        return copy
    }
}
