@testable import GigaEngine

/// Plain, obviously-correct implementations that the fast paths are checked against.
enum ReferenceOps {
    /// Direct convolution on NCHW arrays, accumulated in Double.
    static func conv2d(input: [Float], n: Int, c: Int, h: Int, w: Int,
                       weights: [Float], bias: [Float]?, outChannels: Int, kh: Int, kw: Int,
                       stride: (Int, Int), padding: (top: Int, left: Int, bottom: Int, right: Int)) -> (values: [Float], oh: Int, ow: Int) {
        let oh = (h + padding.top + padding.bottom - kh) / stride.0 + 1
        let ow = (w + padding.left + padding.right - kw) / stride.1 + 1
        var out = [Float](repeating: 0, count: n * outChannels * oh * ow)
        for b in 0..<n { for o in 0..<outChannels { for y in 0..<oh { for x in 0..<ow {
            var sum = Double(bias?[o] ?? 0)
            for i in 0..<c { for ky in 0..<kh { for kx in 0..<kw {
                let iy = y * stride.0 - padding.top + ky, ix = x * stride.1 - padding.left + kx
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                sum += Double(input[((b * c + i) * h + iy) * w + ix]) * Double(weights[((o * c + i) * kh + ky) * kw + kx])
            } } }
            out[((b * outChannels + o) * oh + y) * ow + x] = Float(sum)
        } } } }
        return (out, oh, ow)
    }
}

/// The property tests' fixed-seed generator, so every run draws the same inputs.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    mutating func floats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
}

/// Largest absolute difference, divided by the largest magnitude in `expected` (at least 1).
func relativeMaxError(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count)
    let scale = max(expected.map(abs).max() ?? 0, 1)
    return zip(actual, expected).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}
