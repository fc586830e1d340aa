import Foundation

/// A TIFF-structured EXIF block (what follows "Exif\0\0" in a JPEG APP1 segment, or the whole
/// of a PNG eXIf chunk): enough of it to read the orientation and to update, in place, the
/// fields that an upscaled copy must change. Every offset is bounds-checked; a malformed block
/// yields `nil` or is left unchanged, never a crash.
public struct EXIFBlock: Sendable, Equatable {
    /// The raw bytes, starting with "II*\0" or "MM\0*".
    public private(set) var bytes: Data

    private enum Tag {
        static let orientation: UInt16 = 0x0112
        static let exifIFDPointer: UInt16 = 0x8769
        static let pixelXDimension: UInt16 = 0xA002
        static let pixelYDimension: UInt16 = 0xA003
    }
    private enum FieldType {
        static let short: UInt16 = 3
        static let long: UInt16 = 4
    }

    /// Wraps `data`; returns `nil` when it does not start with a TIFF header. A leading JPEG
    /// "Exif\0\0" identifier is accepted and removed.
    public init?(_ data: Data) {
        var body = Data(data)
        if body.starts(with: Array("Exif\0\0".utf8)) { body = Data(body.dropFirst(6)) }
        guard body.count >= 8 else { return nil }
        let head = Array(body.prefix(4))
        guard head == [0x49, 0x49, 0x2A, 0x00] || head == [0x4D, 0x4D, 0x00, 0x2A] else { return nil }
        self.bytes = body
    }

    private var bigEndian: Bool { bytes[bytes.startIndex] == 0x4D }

    private func read16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        let a = UInt16(bytes[bytes.startIndex + offset]), b = UInt16(bytes[bytes.startIndex + offset + 1])
        return bigEndian ? (a << 8 | b) : (b << 8 | a)
    }

    private func read32(_ offset: Int) -> UInt32? {
        guard let lo = read16(bigEndian ? offset + 2 : offset), let hi = read16(bigEndian ? offset : offset + 2) else { return nil }
        return UInt32(hi) << 16 | UInt32(lo)
    }

    private mutating func write16(_ value: UInt16, at offset: Int) {
        let b = bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
        bytes.replaceSubrange((bytes.startIndex + offset)..<(bytes.startIndex + offset + 2), with: b)
    }

    private mutating func write32(_ value: UInt32, at offset: Int) {
        write16(UInt16(bigEndian ? value >> 16 : value & 0xFFFF), at: offset)
        write16(UInt16(bigEndian ? value & 0xFFFF : value >> 16), at: offset + 2)
    }

    /// The byte offset of the 12-byte directory entry for `tag` in the IFD at `ifdOffset`.
    private func entryOffset(of tag: UInt16, inIFDAt ifdOffset: Int) -> Int? {
        guard let count = read16(ifdOffset) else { return nil }
        for i in 0..<Int(count) {
            let entry = ifdOffset + 2 + 12 * i
            guard entry + 12 <= bytes.count, let t = read16(entry) else { return nil }
            if t == tag { return entry }
        }
        return nil
    }

    private var ifd0Offset: Int? { read32(4).map(Int.init) }

    private var exifIFDOffset: Int? {
        guard let ifd0 = ifd0Offset, let entry = entryOffset(of: Tag.exifIFDPointer, inIFDAt: ifd0),
              let offset = read32(entry + 8) else { return nil }
        return Int(offset)
    }

    /// A one-valued SHORT or LONG field.
    private func integerValue(at entry: Int) -> Int? {
        switch read16(entry + 2) {
        case FieldType.short: read16(entry + 8).map(Int.init)
        case FieldType.long: read32(entry + 8).map(Int.init)
        default: nil
        }
    }

    /// Rewrites a one-valued SHORT or LONG field in place, widening SHORT to LONG when needed.
    private mutating func setIntegerValue(_ value: Int, at entry: Int) {
        guard let type = read16(entry + 2), type == FieldType.short || type == FieldType.long else { return }
        if type == FieldType.short && value <= Int(UInt16.max) {
            write16(UInt16(value), at: entry + 8)
            write16(0, at: entry + 10)
        } else {
            write16(FieldType.long, at: entry + 2)
            write32(UInt32(clamping: value), at: entry + 8)
        }
        write32(1, at: entry + 4)
    }

    /// The orientation (1–8) from IFD0, or `nil` when absent or out of range.
    public var orientation: Int? {
        guard let ifd0 = ifd0Offset, let entry = entryOffset(of: Tag.orientation, inIFDAt: ifd0),
              let value = integerValue(at: entry), (1...8).contains(value) else { return nil }
        return value
    }

    /// PixelXDimension and PixelYDimension from the EXIF sub-IFD, when present.
    public var pixelDimensions: (width: Int, height: Int)? {
        guard let exif = exifIFDOffset,
              let x = entryOffset(of: Tag.pixelXDimension, inIFDAt: exif).flatMap(integerValue(at:)),
              let y = entryOffset(of: Tag.pixelYDimension, inIFDAt: exif).flatMap(integerValue(at:)) else { return nil }
        return (x, y)
    }

    /// The block as it should be written beside pixels of `width` x `height` whose orientation is
    /// `orientation` (1: upright): orientation and pixel dimensions updated. Fields that are
    /// absent stay absent.
    public func updatedForOutput(width: Int, height: Int, orientation: Int = 1) -> EXIFBlock {
        var copy = self
        if let ifd0 = ifd0Offset, let entry = entryOffset(of: Tag.orientation, inIFDAt: ifd0) {
            copy.setIntegerValue(orientation, at: entry)
        }
        if let exif = exifIFDOffset {
            if let entry = entryOffset(of: Tag.pixelXDimension, inIFDAt: exif) { copy.setIntegerValue(width, at: entry) }
            if let entry = entryOffset(of: Tag.pixelYDimension, inIFDAt: exif) { copy.setIntegerValue(height, at: entry) }
        }
        return copy
    }
}
