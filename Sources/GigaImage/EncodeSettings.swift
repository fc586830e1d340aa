/// PNG output options.
public struct PNGEncodeOptions: Sendable, Equatable {
    /// 8 or 16 bits per sample; `nil` keeps the source's depth (16 for 16-bit and float sources).
    public var bitDepth: Int?
    /// zlib compression level, 0 (none, fastest) to 9 (smallest).
    public var compressionLevel: Int

    /// The default zlib level. Upscaled photos are large and smooth: on a 4096² output, level 4
    /// took 1.9 s of CPU and wrote 11.7 MB, level 6 (zlib's own default) 4.4 s and 11.0 MB.
    public static let defaultCompressionLevel = 4

    /// Creates PNG options.
    public init(bitDepth: Int? = nil, compressionLevel: Int = defaultCompressionLevel) {
        self.bitDepth = bitDepth
        self.compressionLevel = compressionLevel
    }
}

/// JPEG output options. JPEG has no alpha: an alpha plane is dropped (callers warn).
public struct JPEGEncodeOptions: Sendable, Equatable {
    /// Chroma subsampling of the Y'CbCr encoding.
    public enum ChromaSubsampling: String, Sendable, Equatable, CaseIterable {
        /// Full-resolution chroma (best for upscaled detail).
        case yuv444 = "444"
        /// Chroma halved in both directions (smaller files).
        case yuv420 = "420"
    }

    /// Quality 1–100.
    public var quality: Int
    /// Chroma subsampling.
    public var chromaSubsampling: ChromaSubsampling
    /// Write a progressive JPEG.
    public var progressive: Bool

    /// Creates JPEG options.
    public init(quality: Int = 92, chromaSubsampling: ChromaSubsampling = .yuv444, progressive: Bool = false) {
        self.quality = quality
        self.chromaSubsampling = chromaSubsampling
        self.progressive = progressive
    }
}

/// TIFF output options.
public struct TIFFEncodeOptions: Sendable, Equatable {
    /// Lossless compression schemes for TIFF output.
    public enum Compression: String, Sendable, Equatable, CaseIterable {
        case none
        case lzw
        case deflate
    }

    /// 8 or 16 bits per sample; `nil` keeps the source's depth.
    public var bitDepth: Int?
    /// Compression of the strips.
    public var compression: Compression

    /// Creates TIFF options.
    public init(bitDepth: Int? = nil, compression: Compression = .deflate) {
        self.bitDepth = bitDepth
        self.compression = compression
    }
}

/// An output format together with its options.
public enum EncodeSettings: Sendable, Equatable {
    case png(PNGEncodeOptions)
    case jpeg(JPEGEncodeOptions)
    case tiff(TIFFEncodeOptions)

    /// The container this writes.
    public var format: ImageFormat {
        switch self {
        case .png: .png
        case .jpeg: .jpeg
        case .tiff: .tiff
        }
    }

    /// The format's default options.
    public static func defaults(for format: ImageFormat) -> EncodeSettings {
        switch format {
        case .png: .png(PNGEncodeOptions())
        case .jpeg: .jpeg(JPEGEncodeOptions())
        case .tiff: .tiff(TIFFEncodeOptions())
        }
    }
}

extension Optional where Wrapped == Int {
    /// Resolves an optional output bit depth against the source metadata; only 8 and 16 pass.
    func resolvedBitDepth(for header: EncodeHeader, format: ImageFormat) throws -> Int {
        let depth = self ?? header.metadata.preferredOutputBitDepth
        guard depth == 8 || depth == 16 else {
            throw ImageError(.invalidArgument, "\(format.displayName) output supports 8 or 16 bits per sample, not \(depth)")
        }
        return depth
    }
}
