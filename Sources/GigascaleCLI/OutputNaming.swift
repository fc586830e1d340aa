import Foundation
import GigaImage

/// Output file names from a `--name` template such as `{stem}-x{scale}.{ext}`.
///
/// Placeholders: `{stem}` (the input's name without its extension), `{ext}` (the output format's
/// extension: png, jpg, tif), `{scale}` (the enlargement factor: 8, 2.5), `{size}` (what was asked
/// for: x8, x2.5, w1920, h1080, fit3840x2160), `{width}` and `{height}` (the output's pixel size)
/// and `{model}` (lanczos, bicubic, or the weights file's name without `.safetensors`).
struct OutputNaming {
    static let defaultTemplate = "{stem}-{size}.{ext}"
    static let placeholders = ["stem", "ext", "scale", "size", "width", "height", "model"]

    let template: String

    /// Checks the template once, before any work: known placeholders, balanced braces, a plain
    /// file name (folders come from -o and the input tree).
    init(template: String) throws {
        self.template = template
        var rest = Substring(template)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                throw UsageError("--name '\(template)': unbalanced braces")
            }
            let key = String(rest[rest.index(after: open)..<close])
            guard Self.placeholders.contains(key) else {
                throw UsageError("--name '\(template)': unknown placeholder {\(key)}; use \(Self.placeholders.map { "{\($0)}" }.joined(separator: ", "))")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard !template.contains("/") else { throw UsageError("--name '\(template)': a name, not a path (use -o for the folder)") }
        guard !template.isEmpty else { throw UsageError("--name must not be empty") }
    }

    /// The file name for one input; `nil` while the template needs a value that is known only
    /// once the input is decoded (the output's size, or the factor a width/fit request gives).
    func name(stem: String, format: ImageFormat, scale: String?, sizeRequest: String, model: String,
              size: (width: Int, height: Int)?) -> String? {
        let uses = { (key: String) in template.contains("{\(key)}") }
        if (uses("width") || uses("height")) && size == nil || uses("scale") && scale == nil { return nil }
        var name = template
        let values = ["stem": stem, "ext": format.fileExtension, "scale": scale ?? "", "size": sizeRequest, "model": model,
                      "width": size.map { String($0.width) } ?? "", "height": size.map { String($0.height) } ?? ""]
        for (key, value) in values { name = name.replacingOccurrences(of: "{\(key)}", with: value) }
        return name
    }

    /// A folder as output paths are built from it: without trailing slashes (`out/` and `out`
    /// give `out/name.png`, never `out//name.png`).
    static func folder(_ path: String) -> String {
        var folder = Substring(path)
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        return String(folder)
    }

    /// The input's file name without its extension ("stdin" for standard input).
    static func stem(of input: String) -> String {
        input == "-" ? "stdin" : URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
    }
}

/// An explicit `-o` destination: a path or standard output, perhaps with an ImageMagick-style
/// format prefix (`png:-`, `jpeg:out.bin`).
struct OutputSpelling {
    /// The path, or "-" for standard output.
    let path: String
    /// The format the prefix names, if any.
    let prefixFormat: ImageFormat?

    init(_ argument: String) {
        if let colon = argument.firstIndex(of: ":"), let format = ImageFormat(name: String(argument[..<colon])),
           argument.index(after: colon) < argument.endIndex {
            path = String(argument[argument.index(after: colon)...])
            prefixFormat = format
        } else {
            path = argument
            prefixFormat = nil
        }
    }

    var isStandardOutput: Bool { path == "-" }

    /// The format the path's extension names; `nil` for none. An extension that names no format
    /// we write is a usage error, so `out.webp` is never silently written as PNG.
    func extensionFormat() throws -> ImageFormat? {
        guard !isStandardOutput else { return nil }
        let ext = URL(fileURLWithPath: path).pathExtension
        guard !ext.isEmpty else { return nil }
        guard let format = ImageFormat(name: ext) else {
            throw UsageError("\(path): cannot tell the output format from '.\(ext)'; use .png, .jpg or .tif, or --format png|jpeg|tiff")
        }
        return format
    }
}
