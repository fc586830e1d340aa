/// The container formats Gigascale reads and writes.
public enum ImageFormat: String, Sendable, CaseIterable, Equatable {
    case png
    case jpeg
    case tiff

    /// The conventional file extension, without a dot.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .tiff: "tif"
        }
    }

    /// A human-readable name ("PNG", "JPEG", "TIFF").
    public var displayName: String { rawValue.uppercased() }

    /// The list used in "unknown format" errors: "PNG, JPEG, TIFF".
    public static var supportedList: String { allCases.map(\.displayName).joined(separator: ", ") }

    /// The byte sequences a file of this format starts with (TIFF: classic and BigTIFF, both byte orders).
    public var signatures: [[UInt8]] {
        switch self {
        case .png: [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]
        case .jpeg: [[0xFF, 0xD8, 0xFF]]
        case .tiff: [[0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A], [0x49, 0x49, 0x2B, 0x00], [0x4D, 0x4D, 0x00, 0x2B]]
        }
    }

    /// Identifies a format from the first bytes of a file. Extensions are never consulted.
    public static func sniff<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(8))
        return allCases.first { format in format.signatures.contains { head.starts(with: $0) } }
    }

    /// The format whose signature these bytes begin but do not complete (a file cut inside its
    /// signature), if any.
    public static func truncatedSignature<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(8))
        return allCases.first { format in
            format.signatures.contains { $0.count > head.count && $0.starts(with: head) }
        }
    }

    /// Parses a user-supplied name: "png", "jpeg"/"jpg", "tiff"/"tif" (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "png": self = .png
        case "jpeg", "jpg", "jpe": self = .jpeg
        case "tiff", "tif": self = .tiff
        default: return nil
        }
    }
}
