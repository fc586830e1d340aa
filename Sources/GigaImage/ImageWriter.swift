import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an image to a file, to standard output or to memory, row band by row band.
///
/// The encoder writes into a temporary file beside the destination; only `finish()` renames it
/// onto the final name, so a failure or a cancelled run never leaves a half-written file under
/// that name. Standard output receives the bytes only once the image is complete.
public final class ImageWriter: ImageRowSink {
    private enum Destination {
        case file(path: String, temporaryPath: String)
        case standardOutput
        case memory
    }

    /// The file the writer delivers to: a path, "<stdout>" or "<memory>".
    public let destinationName: String
    private let destination: Destination
    private var file: UnsafeMutablePointer<FILE>?
    private var encoder: ImageRowSink?
    private var finished = false
    private var memoryResult = Data()

    /// Opens a writer for `path`. The header's EXIF is updated for the output (the header's
    /// orientation, 1 unless set; pixel dimensions `width` x `height`) before it is embedded.
    /// An output `limits` refuses for the format is refused before any file is created.
    public convenience init(path: String, settings: EncodeSettings, header: EncodeHeader,
                            limits: DecodeLimits = .standard) throws {
        try Self.checkSize(header, settings, limits, name: path)
        let temporary = try Self.makeTemporaryFile(beside: path)
        try self.init(destination: .file(path: path, temporaryPath: temporary.path), name: path,
                      file: temporary.file, settings: settings, header: header, limits: limits)
    }

    /// Opens a writer that delivers the finished file to standard output.
    public static func standardOutput(settings: EncodeSettings, header: EncodeHeader,
                                      limits: DecodeLimits = .standard) throws -> ImageWriter {
        guard let file = tmpfile() else {
            throw ImageError(.io, "cannot create a temporary file: \(POSIX.lastError)", source: "<stdout>")
        }
        return try ImageWriter(destination: .standardOutput, name: "<stdout>", file: file,
                               settings: settings, header: header, limits: limits)
    }

    private init(destination: Destination, name: String, file: UnsafeMutablePointer<FILE>,
                 settings: EncodeSettings, header: EncodeHeader, limits: DecodeLimits) throws {
        self.destination = destination
        self.destinationName = name
        self.file = file
        do {
            try limits.checkOutput(width: header.width, height: header.height, format: settings.format)
            var header = header
            if let exif = header.metadata.exif, let block = EXIFBlock(exif) {
                header.metadata.exif = block.updatedForOutput(width: header.width, height: header.height,
                                                              orientation: header.orientation).bytes
            }
            switch settings {
            case .png(let options): encoder = try PNGEncoder(file: file, header: header, options: options)
            case .jpeg(let options): encoder = try JPEGEncoder(file: file, header: header, options: options)
            case .tiff(let options): encoder = try TIFFEncoder(file: file, header: header, options: options)
            }
        } catch let error as ImageError {
            discard()
            throw error.attributed(to: name)
        }
    }

    deinit { discard() }

    /// Appends the next band of rows.
    public func write(_ band: Image) throws {
        guard encoder != nil, !finished else {
            throw ImageError(.invalidArgument, "write after the image was finished or abandoned", source: destinationName)
        }
        // No local reference to the encoder: on failure `discard()` must be able to free it
        // before it closes the FILE the encoder writes to.
        do { try encoder?.write(band) } catch let error as ImageError {
            discard()
            throw error.attributed(to: destinationName)
        }
    }

    /// Completes the file and moves it into place (or copies it to standard output).
    public func finish() throws {
        guard encoder != nil, let file, !finished else {
            throw ImageError(.invalidArgument, "finish called twice or after a failure", source: destinationName)
        }
        do {
            try encoder?.finish()
            encoder = nil
            guard fflush(file) == 0, ferror(file) == 0 else { throw Self.ioError("write failed") }
            switch destination {
            case .file(let path, let temporaryPath):
                guard fsync(fileno(file)) == 0 else { throw Self.ioError("write failed") }
                fclose(file)
                self.file = nil
                guard rename(temporaryPath, path) == 0 else { throw Self.ioError("cannot move the finished file into place") }
            case .standardOutput:
                try copy(file, toFileDescriptor: STDOUT_FILENO)
            case .memory:
                memoryResult = try Self.readBack(file)
            }
            finished = true
            discard()
        } catch let error as ImageError {
            discard()
            throw error.attributed(to: destinationName)
        }
    }

    /// Abandons the output: the temporary file is removed and nothing appears under the final name.
    public func cancel() { discard() }

    /// Frees the encoder first (an abandoned encoder may still touch its FILE while closing),
    /// then closes the FILE and removes the temporary file.
    private func discard() {
        encoder = nil
        if let file { fclose(file) }
        file = nil
        if !finished, case .file(_, let temporaryPath) = destination { unlink(temporaryPath) }
    }

    private static func checkSize(_ header: EncodeHeader, _ settings: EncodeSettings, _ limits: DecodeLimits, name: String) throws {
        do {
            try limits.checkOutput(width: header.width, height: header.height, format: settings.format)
        } catch let error as ImageError {
            throw error.attributed(to: name)
        }
    }

    private static func ioError(_ what: String) -> ImageError {
        ImageError(.io, "\(what): \(POSIX.lastError)")
    }

    private static func makeTemporaryFile(beside path: String) throws -> (path: String, file: UnsafeMutablePointer<FILE>) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).partial-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ImageError(.io, "cannot create a file in \(directory): \(POSIX.lastError)", source: path)
        }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Held until the file is closed, so `removeAbandonedPartials(beside:)` can tell a file
        // whose writer died (SIGKILL, power loss) from one still being written.
        _ = flock(fd, LOCK_EX)
        let mask = umask(0); umask(mask)
        fchmod(fd, 0o666 & ~mask)
        guard let file = fdopen(fd, "w+b") else {
            close(fd); unlink(temporaryPath)
            throw ImageError(.io, "cannot open a temporary file: \(POSIX.lastError)", source: path)
        }
        return (temporaryPath, file)
    }

    private func copy(_ file: UnsafeMutablePointer<FILE>, toFileDescriptor fd: Int32) throws {
        rewind(file)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { POSIX.write(fd, $0.baseAddress! + written, n - written) }
                if w < 0 {
                    if errno == EINTR { continue }
                    throw Self.ioError("cannot write to standard output")
                }
                written += w
            }
        }
        guard ferror(file) == 0 else { throw Self.ioError("cannot read back the encoded image") }
    }

    private static func readBack(_ file: UnsafeMutablePointer<FILE>) throws -> Data {
        rewind(file)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        guard ferror(file) == 0 else { throw ioError("cannot read back the encoded image") }
        return data
    }
}

extension ImageWriter {
    /// Writes `image` to `path` in one call (temporary file, then rename).
    public static func write(_ image: Image, to path: String, settings: EncodeSettings,
                             limits: DecodeLimits = .standard) throws {
        let writer = try ImageWriter(path: path, settings: settings, header: EncodeHeader(describing: image), limits: limits)
        try writer.write(image)
        try writer.finish()
    }

    /// Writes `image` to standard output in one call.
    public static func writeToStandardOutput(_ image: Image, settings: EncodeSettings,
                                             limits: DecodeLimits = .standard) throws {
        let writer = try standardOutput(settings: settings, header: EncodeHeader(describing: image), limits: limits)
        try writer.write(image)
        try writer.finish()
    }

    /// Encodes `image` into memory.
    public static func encode(_ image: Image, settings: EncodeSettings, limits: DecodeLimits = .standard) throws -> Data {
        guard let file = tmpfile() else {
            throw ImageError(.io, "cannot create a temporary file: \(POSIX.lastError)")
        }
        let writer = try ImageWriter(destination: .memory, name: "<memory>", file: file, settings: settings,
                                     header: EncodeHeader(describing: image), limits: limits)
        try writer.write(image)
        try writer.finish()
        return writer.memoryResult
    }
}

