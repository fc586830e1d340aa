import Foundation
@testable import GigaImage

/// Helpers shared by the JPEG suites: fixture loading, a PNM reader for djpeg's expectation
/// files, the synthetic ICC profile of `icc-multichunk.jpg`, and a JPEG marker walker.
enum JPEGTestSupport {
    static func path(_ name: String) -> String { Fixtures.path("jpeg/\(name)") }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    /// A binary PGM (P5) or PPM (P6) with maxval 255: its size, channel count and samples.
    struct PNM {
        var width: Int
        var height: Int
        var channels: Int
        var samples: [UInt8]
    }

    static func readPNM(_ name: String) throws -> PNM {
        let bytes = [UInt8](try data(name))
        var index = 0
        func token() -> String {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count && bytes[index] != 10 { index += 1 }
                } else if [9, 10, 13, 32].contains(bytes[index]) {
                    index += 1
                } else { break }
            }
            let start = index
            while index < bytes.count && ![9, 10, 13, 32].contains(bytes[index]) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        let magic = token()
        let width = Int(token())!, height = Int(token())!, maxval = Int(token())!
        precondition(maxval == 255 && (magic == "P5" || magic == "P6"), "unexpected PNM \(magic) \(maxval)")
        index += 1 // the single whitespace byte after maxval
        let channels = magic == "P5" ? 1 : 3
        let samples = Array(bytes[index..<(index + width * height * channels)])
        return PNM(width: width, height: height, channels: channels, samples: samples)
    }

    /// The image's samples as 8-bit values, interleaved like a PNM.
    static func bytes8(_ image: Image) -> [UInt8] { InterleavedRaster.interleaved8(image, includeAlpha: false) }

    /// The largest difference between two images' samples, in 8-bit levels.
    static func maxDifference(_ a: Image, _ b: Image) -> Int {
        precondition(a.width == b.width && a.height == b.height && a.colorChannelCount == b.colorChannelCount)
        return zip(bytes8(a), bytes8(b)).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    /// The 70000-byte ICC profile that make-fixtures.sh embeds in icc-multichunk.jpg.
    static func bigICCProfile(size: Int = 70000) -> Data {
        var b = [UInt8](repeating: 0, count: size)
        func put(_ bytes: [UInt8], at offset: Int) { b.replaceSubrange(offset..<(offset + bytes.count), with: bytes) }
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        put(be32(size), at: 0)
        put([4, 0x30, 0, 0], at: 8)
        put(Array("mntr".utf8), at: 12); put(Array("RGB ".utf8), at: 16)
        put(Array("XYZ ".utf8), at: 20); put(Array("acsp".utf8), at: 36)
        put(be32(1), at: 128)
        put(Array("gsPd".utf8), at: 132); put(be32(144), at: 136); put(be32(size - 144), at: 140)
        put(Array("data".utf8), at: 144)
        for k in 156..<size { b[k] = UInt8((k * 7 + 3) % 251) }
        return Data(b)
    }

    /// A marker segment before the first scan: its code (0xC0 for SOF0 ...) and payload.
    struct Segment {
        var marker: UInt8
        var payload: [UInt8]
    }

    /// The segments from SOI up to and including the first SOS, plus every marker code seen
    /// anywhere in the file (so later SOS / DHT of a progressive file are counted too).
    static func segments(_ data: Data) -> (headers: [Segment], markers: [UInt8]) {
        let b = [UInt8](data)
        var headers = [Segment](), i = 2, inHeaders = true
        var markers: [UInt8] = [0xD8]
        while i + 1 < b.count {
            if inHeaders {
                guard b[i] == 0xFF, i + 3 < b.count else { break }
                let marker = b[i + 1], length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                headers.append(Segment(marker: marker, payload: Array(b[(i + 4)..<min(b.count, i + 2 + length)])))
                markers.append(marker)
                i += 2 + length
                if marker == 0xDA { inHeaders = false }
            } else {
                if b[i] == 0xFF, b[i + 1] != 0, !(0xD0...0xD7).contains(b[i + 1]) { markers.append(b[i + 1]) }
                i += 1
            }
        }
        return (headers, markers)
    }

    /// (component id, sampling byte 0xHV) of each component in the file's SOF segment.
    static func samplingFactors(_ data: Data) -> [UInt8] {
        guard let sof = segments(data).headers.first(where: { [0xC0, 0xC1, 0xC2].contains($0.marker) }) else { return [] }
        let count = Int(sof.payload[5])
        return (0..<count).map { sof.payload[6 + 3 * $0 + 1] }
    }
}
