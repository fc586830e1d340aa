/// What an image file's header declares, known before any pixel is decoded: the format and the
/// size as stored (before any orientation is applied, so an EXIF orientation of 5 to 8 swaps
/// the sides of the upright image).
public struct DeclaredSize: Sendable, Equatable {
    /// The container format, from the file's first bytes.
    public let format: ImageFormat
    /// The stored width in pixels.
    public let width: Int
    /// The stored height in pixels.
    public let height: Int

    /// Creates a declared size.
    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}

/// A check a reader runs on a header once it has passed the `DecodeLimits`, before decoding the
/// pixels (a caller refusing an output the input would make, say); what it throws ends the read.
public typealias HeaderCheck = (DeclaredSize) throws -> Void
