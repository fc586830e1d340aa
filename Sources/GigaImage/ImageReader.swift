import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes PNG, JPEG and TIFF from a path, from memory or from standard input. The format is
/// chosen from the first bytes, never from the file name. Errors name the source.
public enum ImageReader {
    /// Decodes the image at `path` and turns it upright (EXIF/TIFF orientation applied).
    /// `checkHeader`, if given, sees the declared size before any pixel is decoded.
    public static func read(path: String, limits: DecodeLimits = .standard, applyOrientation: Bool = true,
                            checkHeader: HeaderCheck? = nil) throws -> Image {
        let data = try readFile(path)
        return try decode(data, source: path, limits: limits, applyOrientation: applyOrientation, checkHeader: checkHeader)
    }

    /// Decodes an image held in memory; `source` names it in errors.
    public static func read(data: Data, source: String = "<memory>", limits: DecodeLimits = .standard,
                            applyOrientation: Bool = true, checkHeader: HeaderCheck? = nil) throws -> Image {
        try decode(data, source: source, limits: limits, applyOrientation: applyOrientation, checkHeader: checkHeader)
    }

    /// Reads standard input to its end and decodes it.
    public static func readStandardInput(limits: DecodeLimits = .standard, applyOrientation: Bool = true,
                                         checkHeader: HeaderCheck? = nil) throws -> Image {
        let data = try readAll(fileDescriptor: STDIN_FILENO, source: "<stdin>", byteLimit: maxEncodedBytes(limits))
        return try decode(data, source: "<stdin>", limits: limits, applyOrientation: applyOrientation, checkHeader: checkHeader)
    }

    /// The format of `data`, or an error that lists the supported formats.
    public static func detectFormat(_ data: Data, source: String = "<memory>") throws -> ImageFormat {
        guard !data.isEmpty else { throw ImageError(.truncated, "empty file (0 bytes)", source: source) }
        guard let format = ImageFormat.sniff(data) else {
            if let cut = ImageFormat.truncatedSignature(data) {
                throw ImageError(.truncated, "truncated \(cut.displayName): the file ends after \(data.count) bytes, inside the signature", source: source)
            }
            let head = data.prefix(4).map { String(format: "0x%02X", $0) }.joined(separator: " ")
            throw ImageError(.unknownFormat, "not a supported image (starts with \(head)); supported formats: \(ImageFormat.supportedList)", source: source)
        }
        return format
    }

    private static func decode(_ data: Data, source: String, limits: DecodeLimits, applyOrientation: Bool,
                               checkHeader: HeaderCheck?) throws -> Image {
        do {
            let format = try detectFormat(data, source: source)
            var image: Image = switch format {
            case .png: try PNGDecoder.decode(data, limits: limits, checkHeader: checkHeader)
            case .jpeg: try JPEGDecoder.decode(data, limits: limits, checkHeader: checkHeader)
            case .tiff: try TIFFDecoder.decode(data, limits: limits, checkHeader: checkHeader)
            }
            if image.metadata.sourceOrientation == 1, let exif = image.metadata.exif,
               let orientation = EXIFBlock(exif)?.orientation {
                image.metadata.sourceOrientation = orientation
            }
            return applyOrientation ? image.applyingOrientation(image.metadata.sourceOrientation) : image
        } catch let error as ImageError {
            throw error.attributed(to: source)
        }
    }

    /// No valid file is larger than its pixels stored raw as 32-bit float RGBA, plus slack.
    private static func maxEncodedBytes(_ limits: DecodeLimits) -> Int { limits.maxInputPixels * 16 + (64 << 20) }

    /// Reads a regular file whole. Directories, FIFOs and devices are refused up front so that
    /// a folder walk never blocks on a pipe or reads a device.
    static func readFile(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ImageError(.io, "cannot open: \(POSIX.lastError)", source: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImageError(.io, "cannot stat: \(POSIX.lastError)", source: path) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ImageError(.io, "is a directory, not an image file", source: path)
        case S_IFIFO: throw ImageError(.io, "is a FIFO, not a regular file (pipe it to stdin with '-' instead)", source: path)
        default: throw ImageError(.io, "is not a regular file", source: path)
        }
        // Back to blocking reads for a regular file.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return try readAll(fileDescriptor: fd, source: path, byteLimit: Int(info.st_size) + 1 << 20)
    }

    /// Reads `fd` to its end, failing once more than `byteLimit` bytes arrive.
    static func readAll(fileDescriptor fd: Int32, source: String, byteLimit: Int) throws -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { POSIX.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ImageError(.io, "read failed: \(POSIX.lastError)", source: source)
            }
            data.append(contentsOf: chunk[0..<n])
            if data.count > byteLimit {
                throw ImageError(.tooLarge, "input exceeds \(byteLimit / (1 << 20)) MiB, more than any image within the size limits", source: source)
            }
        }
        return data
    }
}
