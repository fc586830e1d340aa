/// Interleaved samples, the layout the C codecs produce and consume: pixel after pixel, each
/// with `channels` samples (gray, gray+alpha, RGB or RGBA), rows top to bottom.
///
/// This is the one place where integer or float samples become the planar floats of `Image`
/// and back, so every codec quantizes the same way.
struct InterleavedRaster {
    /// The sample storage, by type.
    enum Samples {
        case uint8([UInt8])
        case uint16([UInt16])
        case float32([Float])
    }

    var width: Int
    var height: Int
    /// 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).
    var channels: Int
    /// Whether colour samples are premultiplied by alpha (TIFF associated alpha).
    var alphaIsPremultiplied: Bool = false
    var samples: Samples

    var hasAlpha: Bool { channels == 2 || channels == 4 }
    var colorChannels: Int { hasAlpha ? channels - 1 : channels }

    /// Splits the samples into planes scaled onto [0, 1]; float samples are clamped (NaN → 0),
    /// associated alpha is divided out.
    func makeImage(metadata: ImageMetadata) -> Image {
        let count = width * height
        var planes = [[Float]](repeating: [Float](repeating: 0, count: count), count: channels)
        switch samples {
        case .uint8(let s): deinterleave(s, into: &planes, scale: 1 / 255)
        case .uint16(let s): deinterleave(s, into: &planes, scale: 1 / 65535)
        case .float32(let s):
            for c in 0..<channels {
                planes[c].withUnsafeMutableBufferPointer { out in
                    for i in 0..<count { out[i] = Self.clampUnit(s[i * channels + c]) }
                }
            }
        }
        var alpha: [Float]? = nil
        if hasAlpha {
            alpha = planes.removeLast()
            if alphaIsPremultiplied { Self.unpremultiply(&planes, alpha: alpha!) }
        }
        return Image(width: width, height: height, planes: planes, alpha: alpha, metadata: metadata)
    }

    private func deinterleave<T: BinaryInteger>(_ s: [T], into planes: inout [[Float]], scale: Float) {
        let count = width * height, channels = self.channels
        s.withUnsafeBufferPointer { src in
            for c in 0..<channels {
                planes[c].withUnsafeMutableBufferPointer { out in
                    for i in 0..<count { out[i] = Float(src[i * channels + c]) * scale }
                }
            }
        }
    }

    private static func unpremultiply(_ planes: inout [[Float]], alpha: [Float]) {
        for c in planes.indices {
            for i in alpha.indices {
                let a = alpha[i]
                planes[c][i] = a > 0 ? min(planes[c][i] / a, 1) : 0
            }
        }
    }

    @inline(__always)
    static func clampUnit(_ x: Float) -> Float { x.isNaN ? 0 : min(max(x, 0), 1) }

    /// Interleaves the rows of `image` as 8-bit samples: colour planes, then alpha when
    /// `includeAlpha` and the image has it (opaque otherwise is not added).
    static func interleaved8(_ image: Image, includeAlpha: Bool) -> [UInt8] {
        interleave(image, includeAlpha: includeAlpha) { UInt8(quantize($0, maxValue: 255)) }
    }

    /// Interleaves the rows of `image` as 16-bit samples in host byte order.
    static func interleaved16(_ image: Image, includeAlpha: Bool) -> [UInt16] {
        interleave(image, includeAlpha: includeAlpha) { UInt16(quantize($0, maxValue: 65535)) }
    }

    /// Rounds a [0, 1] sample to the nearest of `maxValue + 1` levels. Exact inverse of the
    /// decode scaling: an 8- or 16-bit value survives decode → encode unchanged.
    @inline(__always)
    static func quantize(_ x: Float, maxValue: Float) -> Int {
        // `.rounded()` (half away from zero) without its libm call per sample: round half to
        // even vectorises, and a tie it rounded down goes up (v ≥ 0 here).
        let v = clampUnit(x) * maxValue
        let r = v.rounded(.toNearestOrEven)
        return Int(v - r == 0.5 ? r + 1 : r)
    }

    private static func interleave<T>(_ image: Image, includeAlpha: Bool, _ convert: (Float) -> T) -> [T] {
        var sources = image.planes
        if includeAlpha, let alpha = image.alpha { sources.append(alpha) }
        let channels = sources.count, count = image.pixelCount
        return [T](unsafeUninitializedCapacity: count * channels) { out, initialized in
            for (c, plane) in sources.enumerated() {
                plane.withUnsafeBufferPointer { samples in
                    guard let from = samples.baseAddress, var to = out.baseAddress.map({ $0 + c }) else { return }
                    for i in 0..<count {
                        to.initialize(to: convert(from[i]))
                        to += channels
                    }
                }
            }
            initialized = count * channels
        }
    }
}
