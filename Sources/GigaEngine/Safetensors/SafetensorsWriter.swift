import Foundation

/// Builds a safetensors file: add tensors, then write. Tensors are laid out in name order, the
/// header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.
public struct SafetensorsWriter {
    private var tensors: [String: (dtype: DType, shape: [Int], bytes: Data)] = [:]
    /// String metadata stored as `__metadata__`.
    public var metadata: [String: String]

    /// Creates an empty writer.
    public init(metadata: [String: String] = [:]) { self.metadata = metadata }

    /// Adds `values` as a tensor of `shape`, stored as `dtype` (rounded to nearest even for 16-bit types).
    public mutating func add(_ name: String, shape: [Int], values: [Float], dtype: DType = .f32) {
        precondition(shape.reduce(1, *) == values.count, "\(name): \(values.count) values do not fill shape \(shape)")
        var bytes = Data(capacity: values.count * dtype.size)
        for value in values {
            switch dtype {
            case .f32: withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case .f16: withUnsafeBytes(of: HalfPrecision.halfBits(from: value).littleEndian) { bytes.append(contentsOf: $0) }
            case .bf16: withUnsafeBytes(of: HalfPrecision.bfloat16Bits(from: value).littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        tensors[name] = (dtype, shape, bytes)
    }

    /// The complete file as bytes.
    public func serialized() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            header[name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]]
            offset += t.bytes.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        for name in tensors.keys.sorted() { file.append(tensors[name]!.bytes) }
        return file
    }

    /// Writes the file to `path` (through a temporary file and a rename).
    public func write(to path: String) throws {
        do {
            try serialized().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch let error as SafetensorsError {
            throw error
        } catch {
            throw SafetensorsError(path: path, "cannot write: \(error.localizedDescription)")
        }
    }
}
