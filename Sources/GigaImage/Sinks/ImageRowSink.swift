/// Receives an image's rows in order, top to bottom, one band of rows at a time.
///
/// Encoders are row sinks, so a producer (the tiled upscaler) can stream an output of any
/// height without holding it whole. Writing a whole `Image` is a thin wrapper on this.
public protocol ImageRowSink: AnyObject {
    /// Appends the next rows. The band must have the header's width, colour channel count and
    /// alpha presence; its height may be anything from 1 to the rows still missing.
    func write(_ band: Image) throws
    /// Completes the output. Throws if fewer rows were written than the header declared.
    func finish() throws
}

/// What an encoder must know before the first row arrives.
public struct EncodeHeader: Sendable, Equatable {
    /// Output width in pixels.
    public var width: Int
    /// Output height in pixels.
    public var height: Int
    /// 1 (gray) or 3 (RGB).
    public var colorChannels: Int
    /// Whether bands carry an alpha plane that should be written.
    public var hasAlpha: Bool
    /// ICC profile and EXIF to embed. `ImageWriter` has already set the EXIF orientation to
    /// `orientation` and its pixel dimensions to `width` x `height`.
    public var metadata: ImageMetadata
    /// The orientation (1-8) to record for the rows as written: 1 (the default) when they are
    /// upright; the source's own when its stored pixels are passed through unrotated. Written to
    /// the EXIF block by `ImageWriter` and to the Orientation tag by the TIFF encoder.
    public var orientation: Int = 1

    /// Creates a header.
    public init(width: Int, height: Int, colorChannels: Int, hasAlpha: Bool, metadata: ImageMetadata = ImageMetadata()) {
        self.width = width
        self.height = height
        self.colorChannels = colorChannels
        self.hasAlpha = hasAlpha
        self.metadata = metadata
    }

    /// The header describing `image` as it stands.
    public init(describing image: Image) {
        self.init(width: image.width, height: image.height, colorChannels: image.colorChannelCount,
                  hasAlpha: image.hasAlpha, metadata: image.metadata)
    }
}

/// Counts the rows an encoder has accepted and checks each band against the header, so every
/// encoder rejects a misfit band or a short image with the same words.
struct RowProgress {
    let header: EncodeHeader
    let format: ImageFormat
    private(set) var rowsWritten = 0

    init(header: EncodeHeader, format: ImageFormat) throws {
        guard header.width > 0, header.height > 0 else {
            throw ImageError(.invalidArgument, "cannot write an empty \(header.width)x\(header.height) \(format.displayName)")
        }
        guard header.colorChannels == 1 || header.colorChannels == 3 else {
            throw ImageError(.invalidArgument, "cannot write \(header.colorChannels) colour channels (1 or 3 expected)")
        }
        self.header = header
        self.format = format
    }

    var rowsRemaining: Int { header.height - rowsWritten }

    /// Validates `band` as the next rows and counts them.
    mutating func accept(_ band: Image) throws {
        guard band.width == header.width else {
            throw ImageError(.invalidArgument, "band is \(band.width) pixels wide; the \(format.displayName) being written is \(header.width)")
        }
        guard band.colorChannelCount == header.colorChannels, band.hasAlpha == header.hasAlpha else {
            throw ImageError(.invalidArgument, "band has \(band.colorChannelCount) colour channels\(band.hasAlpha ? " + alpha" : ""); the \(format.displayName) being written has \(header.colorChannels)\(header.hasAlpha ? " + alpha" : "")")
        }
        guard band.height <= rowsRemaining else {
            throw ImageError(.invalidArgument, "band of \(band.height) rows overruns the image: only \(rowsRemaining) of \(header.height) rows remain")
        }
        rowsWritten += band.height
    }

    /// Throws unless every row has been written.
    func checkComplete() throws {
        guard rowsWritten == header.height else {
            throw ImageError(.invalidArgument, "\(format.displayName) finished after \(rowsWritten) of \(header.height) rows")
        }
    }
}
