import Foundation

/// How the samples of the source file were stored.
public enum SampleFormat: String, Sendable, Equatable {
    /// Unsigned integers of `bitDepth` bits, mapped linearly onto [0, 1].
    case unsignedInteger
    /// IEEE floating point (TIFF SampleFormat 3); values are clamped into [0, 1] on decode.
    case floatingPoint
}

/// What is known about an image's colour encoding.
public struct ColorSpace: Sendable, Equatable {
    /// The embedded ICC profile, byte for byte (PNG iCCP, JPEG APP2, TIFF tag 34675).
    public var iccProfile: Data?
    /// True when the file declared sRGB explicitly (PNG sRGB chunk).
    public var declaresSRGB: Bool
    /// The file gamma declared by a PNG gAMA chunk (e.g. 0.45455), if any.
    public var gamma: Double?

    /// Creates a colour-space description; the default says nothing beyond "probably sRGB".
    public init(iccProfile: Data? = nil, declaresSRGB: Bool = false, gamma: Double? = nil) {
        self.iccProfile = iccProfile
        self.declaresSRGB = declaresSRGB
        self.gamma = gamma
    }
}

/// Everything about an image other than its pixels that Gigascale keeps from input to output.
public struct ImageMetadata: Sendable, Equatable {
    /// The container the pixels were decoded from, or `nil` for an image made in memory.
    public var sourceFormat: ImageFormat?
    /// Bits per sample in the source: 1, 2, 4, 8 or 16 for integers, 32 for float.
    public var bitDepth: Int
    /// Integer or floating-point source samples.
    public var sampleFormat: SampleFormat
    /// ICC profile and declared colour space.
    public var colorSpace: ColorSpace
    /// The EXIF block as stored in the file: a TIFF-structured byte string starting with
    /// "II*\0" or "MM\0*" (the JPEG "Exif\0\0" prefix removed).
    public var exif: Data?
    /// The EXIF / TIFF orientation (1–8) the file declared. Decoding through `ImageReader`
    /// applies it to the pixels and records it here; the pixels are then upright.
    public var sourceOrientation: Int
    /// Things the decoder wants the user to know, e.g. "multi-page TIFF: decoded page 1 of 3".
    public var notes: [String]

    /// Creates metadata; the defaults describe an 8-bit image made in memory.
    public init(sourceFormat: ImageFormat? = nil, bitDepth: Int = 8, sampleFormat: SampleFormat = .unsignedInteger,
                colorSpace: ColorSpace = ColorSpace(), exif: Data? = nil, sourceOrientation: Int = 1,
                notes: [String] = []) {
        self.sourceFormat = sourceFormat
        self.bitDepth = bitDepth
        self.sampleFormat = sampleFormat
        self.colorSpace = colorSpace
        self.exif = exif
        self.sourceOrientation = sourceOrientation
        self.notes = notes
    }

    /// The integer depth an encoder should keep by default: 16 for anything deeper than 8 bits
    /// (16-bit and float sources), 8 otherwise.
    public var preferredOutputBitDepth: Int { bitDepth > 8 ? 16 : 8 }
}
