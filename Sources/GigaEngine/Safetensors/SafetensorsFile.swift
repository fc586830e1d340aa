import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One tensor's entry in a safetensors header.
public struct SafetensorsEntry: Sendable, Equatable {
    /// The tensor's name (a PyTorch state-dict key).
    public var name: String
    /// Its element type.
    public var dtype: DType
    /// Its shape, outermost dimension first.
    public var shape: [Int]
    /// Byte range inside the data section (after the header).
    public var byteRange: Range<Int>

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped safetensors file (8-byte little-endian header length, JSON header, data).
///
/// The header is validated completely when the file is opened: the header length fits in the
/// file, every entry has a known dtype, a shape whose size matches its byte range, and a range
/// inside the data section that overlaps no other. Tensors are read lazily from the mapping.
public final class SafetensorsFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The free-form string metadata (`__metadata__`), e.g. a model config as JSON.
    public let metadata: [String: String]
    /// Entries by name.
    public let entries: [String: SafetensorsEntry]

    private let mapping: UnsafeRawBufferPointer
    private let dataStart: Int

    /// Headers larger than this are refused before they are read (safetensors itself caps at 100 MB).
    public static let maxHeaderBytes = 100 << 20

    /// Opens and validates `path`.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SafetensorsError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw SafetensorsError(path: path, "not a regular file")
        }
        let fileSize = Int(info.st_size)
        guard fileSize >= 8 else {
            throw SafetensorsError(path: path, "truncated: \(fileSize) bytes, shorter than the 8-byte header length")
        }
        guard let base = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw SafetensorsError(path: path, "cannot map the file: \(String(cString: strerror(errno)))")
        }
        let mapping = UnsafeRawBufferPointer(start: base, count: fileSize)
        do {
            let parsed = try Self.parseHeader(mapping, path: path)
            self.mapping = mapping
            self.metadata = parsed.metadata
            self.entries = parsed.entries
            self.dataStart = parsed.dataStart
        } catch {
            munmap(base, fileSize)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count) }

    /// Tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The entry for `name`, or an error naming the missing tensor.
    public func entry(_ name: String) throws -> SafetensorsEntry {
        guard let entry = entries[name] else { throw SafetensorsError(path: path, "no tensor named '\(name)'") }
        return entry
    }

    /// The raw bytes of a tensor, valid while this file is alive.
    public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
        let entry = try entry(name)
        return UnsafeRawBufferPointer(rebasing: mapping[(dataStart + entry.byteRange.lowerBound)..<(dataStart + entry.byteRange.upperBound)])
    }

    /// A tensor's elements converted to `Float` (F16 and BF16 widened exactly).
    public func floats(_ name: String) throws -> [Float] {
        let entry = try entry(name)
        let bytes = try rawBytes(name)
        let count = entry.elementCount
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch entry.dtype {
            case .f32:
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case .f16:
                for i in 0..<count { out[i] = HalfPrecision.float(fromHalfBits: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case .bf16:
                for i in 0..<count { out[i] = HalfPrecision.float(fromBFloat16Bits: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            }
            initialized = count
        }
    }

    private static func parseHeader(_ file: UnsafeRawBufferPointer, path: String)
        throws -> (metadata: [String: String], entries: [String: SafetensorsEntry], dataStart: Int) {
        let declared = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maxHeaderBytes) else {
            throw SafetensorsError(path: path, "header length \(declared) bytes exceeds the \(maxHeaderBytes >> 20) MB limit")
        }
        let headerLength = Int(declared)
        guard 8 + headerLength <= file.count else {
            throw SafetensorsError(path: path, "truncated: the header claims \(headerLength) bytes but only \(file.count - 8) follow")
        }
        let headerData = Data(file[8..<(8 + headerLength)])
        guard let object = try? JSONSerialization.jsonObject(with: headerData), let header = object as? [String: Any] else {
            throw SafetensorsError(path: path, "the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataLength = file.count - dataStart
        var metadata = [String: String]()
        var entries = [String: SafetensorsEntry]()
        for (name, value) in header {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw SafetensorsError(path: path, "__metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            entries[name] = try parseEntry(name: name, value, dataLength: dataLength, path: path)
        }
        // No two tensors may share bytes.
        let ordered = entries.values.sorted { ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name) }
        for (a, b) in zip(ordered, ordered.dropFirst()) where b.byteRange.lowerBound < a.byteRange.upperBound {
            throw SafetensorsError(path: path, "tensors '\(a.name)' and '\(b.name)' overlap in the data section")
        }
        return (metadata, entries, dataStart)
    }

    private static func parseEntry(name: String, _ value: Any, dataLength: Int, path: String) throws -> SafetensorsEntry {
        guard let fields = value as? [String: Any] else {
            throw SafetensorsError(path: path, "tensor '\(name)': entry is not a JSON object")
        }
        guard let dtypeName = fields["dtype"] as? String else {
            throw SafetensorsError(path: path, "tensor '\(name)': missing dtype")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw SafetensorsError(path: path, "tensor '\(name)': dtype \(dtypeName) is not supported (F32, F16, BF16 are)")
        }
        guard let shapeValues = fields["shape"] as? [NSNumber],
              let offsetValues = fields["data_offsets"] as? [NSNumber], offsetValues.count == 2 else {
            throw SafetensorsError(path: path, "tensor '\(name)': shape or data_offsets missing or malformed")
        }
        // Read as written, not through intValue, which wraps 2^64 - 1 to -1 and 1e300 to Int.min.
        guard let shape = Self.integers(shapeValues), let offsets = Self.integers(offsetValues) else {
            throw SafetensorsError(path: path, "tensor '\(name)': shape \(shapeValues) and data_offsets \(offsetValues) must be whole numbers below 2^63")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafetensorsError(path: path, "tensor '\(name)': negative dimension in shape \(shape)")
        }
        var byteCount = dtype.size
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw SafetensorsError(path: path, "tensor '\(name)': shape \(shape) overflows") }
            byteCount = product
        }
        let begin = offsets[0], end = offsets[1]
        guard begin >= 0, begin <= end else {
            throw SafetensorsError(path: path, "tensor '\(name)': data_offsets [\(begin), \(end)] are reversed or negative")
        }
        guard end <= dataLength else {
            throw SafetensorsError(path: path, "tensor '\(name)': data_offsets [\(begin), \(end)] lie outside the \(dataLength)-byte data section")
        }
        guard end - begin == byteCount else {
            throw SafetensorsError(path: path, "tensor '\(name)': \(dtypeName) shape \(shape) needs \(byteCount) bytes but data_offsets span \(end - begin)")
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// The JSON numbers as `Int`s, or nil when one is fractional, in exponent form or out of range.
    private static func integers(_ numbers: [NSNumber]) -> [Int]? {
        var values: [Int] = []
        for number in numbers {
            guard let value = Int(number.stringValue) else { return nil }
            values.append(value)
        }
        return values
    }
}
