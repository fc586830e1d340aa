import GigaEngine

/// Reads the weights of an ncnn `.bin` file in the order the layers ask for them.
///
/// Each array is either raw (fp32, no tag: biases, slopes) or tagged: a 4-byte tag, then fp32
/// (tag 0 or 0x0002C056), fp16 (0x01306B47, padded to 4 bytes), or a 256-entry fp32 table
/// followed by one byte index per value (any other tag whose bytes do not sum to zero).
/// int8 (0x000D4B38) is refused. Every size is checked against the bytes left before anything
/// is allocated, and `finish()` checks that the layers used every byte.
public struct NCNNModelBin {
    private let bytes: [UInt8]
    private let source: String
    /// Bytes consumed so far.
    public private(set) var offset = 0

    static let fp16Tag: UInt32 = 0x0130_6B47
    static let int8Tag: UInt32 = 0x000D_4B38
    static let fp32ScaledTag: UInt32 = 0x0002_C056

    /// Wraps the file's bytes. `source` (its path) names it in errors.
    public init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    private func fail(_ message: String, _ what: String) -> ModelError {
        ModelError("\(source): \(what): \(message) (at byte \(offset) of \(bytes.count))")
    }

    /// Reads `count` values; `tagged` arrays start with a type tag, others are raw fp32.
    /// - Parameter what: the layer and role, for errors ("layer 'Conv_0' weights").
    public mutating func load(count: Int, tagged: Bool, what: String) throws(ModelError) -> [Float] {
        guard count >= 0 else { throw fail("negative size \(count)", what) }
        // Every format takes at least one byte per value: refuse before any size arithmetic.
        try require(count, what)
        guard tagged else { return try readFloats(count, what) }
        let tag = try readUInt32(what)
        switch tag {
        case Self.fp16Tag:
            let padded = (count * 2 + 3) & ~3
            try require(padded, what)
            let base = offset
            offset += padded
            return bytes.withUnsafeBufferPointer { raw in
                (0..<count).map { i in
                    HalfPrecision.float(fromHalfBits: UInt16(raw[base + 2 * i]) | UInt16(raw[base + 2 * i + 1]) << 8)
                }
            }
        case Self.int8Tag:
            throw fail("int8-quantised weights are not supported; convert the model with fp32 or fp16 weights", what)
        case 0, Self.fp32ScaledTag:
            return try readFloats(count, what)
        default:
            let table = try readFloats(256, what)
            let padded = (count + 3) & ~3
            try require(padded, what)
            let base = offset
            offset += padded
            return (0..<count).map { table[Int(bytes[base + $0])] }
        }
    }

    /// Throws unless every byte of the file was read.
    public func finish() throws(ModelError) {
        guard offset == bytes.count else {
            throw ModelError("\(source): \(bytes.count - offset) bytes left over after the last layer's weights; the .bin does not belong to this .param")
        }
    }

    private func require(_ count: Int, _ what: String) throws(ModelError) {
        guard count <= bytes.count - offset else {
            throw fail("needs \(count) bytes but only \(bytes.count - offset) are left (truncated, or the wrong .bin)", what)
        }
    }

    private mutating func readUInt32(_ what: String) throws(ModelError) -> UInt32 {
        try require(4, what)
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    private mutating func readFloats(_ count: Int, _ what: String) throws(ModelError) -> [Float] {
        guard count <= (bytes.count - offset) / 4 else {
            throw fail("needs \(count) fp32 values but only \(bytes.count - offset) bytes are left (truncated, or the wrong .bin)", what)
        }
        let base = offset
        offset += 4 * count
        return (0..<count).map { i in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[base + 4 * i + $1]) << (8 * $1) })
        }
    }
}
