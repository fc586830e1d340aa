import Foundation
import GigaImage

/// The facts `gigascale info` prints about one decoded image.
struct ImageReport {
    let image: Image

    private var metadata: ImageMetadata { image.metadata }

    private var channelDescription: String {
        (image.isGray ? "gray" : "RGB") + (image.hasAlpha ? " + alpha" : "")
    }

    private var sampleDescription: String {
        metadata.sampleFormat == .floatingPoint ? "\(metadata.bitDepth)-bit float" : "\(metadata.bitDepth)-bit integer"
    }

    func text(path: String) -> String {
        var lines = [
            path,
            "  format:      \(metadata.sourceFormat?.displayName ?? "unknown")",
            "  size:        \(image.width) x \(image.height)" + (metadata.sourceOrientation >= 5 ? " (stored \(image.height) x \(image.width))" : ""),
            "  channels:    \(channelDescription)",
            "  samples:     \(sampleDescription)",
            "  orientation: \(metadata.sourceOrientation)" + (metadata.sourceOrientation == 1 ? "" : " (applied)"),
            "  ICC profile: " + (metadata.colorSpace.iccProfile.map { "\($0.count) bytes" } ?? "none"),
            "  EXIF:        " + (metadata.exif.map { "\($0.count) bytes" } ?? "none"),
        ]
        if metadata.colorSpace.declaresSRGB { lines.append("  colour:      sRGB declared") }
        if let gamma = metadata.colorSpace.gamma { lines.append("  gamma:       \(String(format: "%.5f", gamma))") }
        lines += metadata.notes.map { "  note:        \($0)" }
        return lines.joined(separator: "\n")
    }

    func json(path: String) -> String {
        var object: [String: Any] = [
            "file": path,
            "format": metadata.sourceFormat?.rawValue ?? NSNull(),
            "width": image.width,
            "height": image.height,
            "colorChannels": image.colorChannelCount,
            "alpha": image.hasAlpha,
            "bitDepth": metadata.bitDepth,
            "sampleFormat": metadata.sampleFormat.rawValue,
            "orientation": metadata.sourceOrientation,
            "iccProfileBytes": metadata.colorSpace.iccProfile?.count ?? 0,
            "exifBytes": metadata.exif?.count ?? 0,
            "notes": metadata.notes,
        ]
        if let gamma = metadata.colorSpace.gamma { object["gamma"] = gamma }
        return Self.serialize(object)
    }

    static func jsonError(path: String, error: ImageError) -> String {
        serialize(["file": path, "error": error.detail, "reason": error.reason.rawValue])
    }

    private static func serialize(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
