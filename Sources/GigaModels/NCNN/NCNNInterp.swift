import Foundation
import GigaEngine

/// ncnn's Interp on [1, C, H, W] blobs: nearest (1), bilinear (2) or bicubic (3), to a fixed size
/// (`3=` height, `4=` width) or by factors (`1=` height, `2=` width), with ncnn's own sampling:
/// half-pixel centres (or aligned corners, `6=1`), bicubic with A = −0.75 and ncnn's handling of
/// the first and last two samples, so that results match ncnn rather than another library.
final class NCNNInterp: NCNNLayer {
    enum Mode: Int { case nearest = 1, bilinear = 2, bicubic = 3 }
    private let mode: Mode
    private let heightScale: Float, widthScale: Float
    private let outputHeight: Int, outputWidth: Int
    private let alignCorners: Bool

    init(mode: Mode, heightScale: Float, widthScale: Float, outputHeight: Int, outputWidth: Int, alignCorners: Bool) {
        self.mode = mode
        self.heightScale = heightScale
        self.widthScale = widthScale
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.alignCorners = alignCorners
    }

    /// The output height and width for an input of `h` x `w`.
    func outputSize(height h: Int, width w: Int) -> (Int, Int) {
        if outputWidth != 0 && outputHeight != 0 { return (outputHeight, outputWidth) }
        func scaled(_ size: Int, _ factor: Float) -> Int {
            let value = Float(size) * factor
            return value.isFinite && value < Float(ncnnMaxBlobElements) ? Int(value) : ncnnMaxBlobElements
        }
        return (scaled(h, heightScale), scaled(w, widthScale))
    }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        let input = inputs[0]
        let (h, w, c) = (input.height, input.width, input.channels)
        let (oh, ow) = outputSize(height: h, width: w)
        try ncnnCheckBlobSize(channels: c, height: oh, width: ow)
        if oh == h && ow == w { return [input] }
        if mode == .nearest, outputHeight == 0 || outputWidth == 0, heightScale == widthScale,
           [2, 4, 8].contains(Int(heightScale)), Float(Int(heightScale)) == heightScale {
            return [try Ops.upsampleNearest(input, factor: Int(heightScale))]   // exact: 1/2ⁿ is a float
        }
        let taps: (rows: [Taps], columns: [Taps])
        switch mode {
        case .nearest:
            let hs = outputHeight != 0 && outputWidth != 0 ? Float(h) / Float(oh) : 1 / heightScale
            let ws = outputHeight != 0 && outputWidth != 0 ? Float(w) / Float(ow) : 1 / widthScale
            taps = (Self.nearest(h, oh, hs), Self.nearest(w, ow, ws))
        case .bilinear: taps = (Self.linear(h, oh, alignCorners), Self.linear(w, ow, alignCorners))
        case .bicubic: taps = (Self.cubic(h, oh, alignCorners), Self.cubic(w, ow, alignCorners))
        }
        return [Self.resample(input, rows: taps.rows, columns: taps.columns)]
    }

    /// The input samples one output coordinate reads, and their weights.
    struct Taps { var indices: [Int]; var weights: [Float] }

    static func nearest(_ size: Int, _ outSize: Int, _ step: Float) -> [Taps] {
        (0..<outSize).map { d in
            let value = Float(d) * step
            let index = value.isFinite && value < Float(size) ? Int(value) : size - 1
            return Taps(indices: [min(max(index, 0), size - 1)], weights: [1])
        }
    }

    private static func sourceCoordinate(_ d: Int, _ size: Int, _ outSize: Int, _ alignCorners: Bool) -> Float {
        if alignCorners { return Float(Double(d) * (outSize > 1 ? Double(size - 1) / Double(outSize - 1) : 0)) }
        return Float((Double(d) + 0.5) * (Double(size) / Double(outSize)) - 0.5)
    }

    static func linear(_ size: Int, _ outSize: Int, _ alignCorners: Bool) -> [Taps] {
        (0..<outSize).map { d in
            var fx = sourceCoordinate(d, size, outSize, alignCorners)
            var sx = Int(floor(fx))
            fx -= Float(sx)
            if sx < 0 { sx = 0; fx = 0 }
            if sx >= size - 1 { sx = size - 2; fx = 1 }
            return Taps(indices: [sx, sx + 1].map { min(max($0, 0), size - 1) }, weights: [1 - fx, fx])
        }
    }

    static func cubic(_ size: Int, _ outSize: Int, _ alignCorners: Bool) -> [Taps] {
        let a: Float = -0.75
        return (0..<outSize).map { d in
            var fx = sourceCoordinate(d, size, outSize, alignCorners)
            var sx = Int(floor(fx))
            fx -= Float(sx)
            let f0 = fx + 1, f1 = fx, f2 = 1 - fx
            var k = [a * f0 * f0 * f0 - 5 * a * f0 * f0 + 8 * a * f0 - 4 * a,
                     (a + 2) * f1 * f1 * f1 - (a + 3) * f1 * f1 + 1,
                     (a + 2) * f2 * f2 * f2 - (a + 3) * f2 * f2 + 1, 0]
            k[3] = 1 - k[0] - k[1] - k[2]
            // ncnn moves taps that fall outside onto the first or last four samples.
            if sx <= -1 { sx = 1; k = [1 - k[3], k[3], 0, 0] }
            if sx == 0 { sx = 1; k = [k[0] + k[1], k[2], k[3], 0] }
            if sx == size - 2 { sx = size - 3; k = [0, k[0], k[1], k[2] + k[3]] }
            if sx >= size - 1 { sx = size - 3; k = [0, 0, k[0], 1 - k[0]] }
            return Taps(indices: (sx - 1...sx + 2).map { min(max($0, 0), size - 1) }, weights: k)
        }
    }

    /// Resamples rows then columns' weighted taps: out[y, x] = Σᵢ rowᵢ · Σⱼ colⱼ · in[rᵢ, cⱼ].
    static func resample(_ input: Tensor, rows: [Taps], columns: [Taps]) -> Tensor {
        let (w, c) = (input.width, input.channels)
        let (oh, ow) = (rows.count, columns.count)
        var out = Tensor(uninitialized: [1, c, oh, ow])
        var line = [Float](repeating: 0, count: c)
        input.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for y in 0..<oh {
                    let row = rows[y]
                    for x in 0..<ow {
                        let column = columns[x]
                        let to = (y * ow + x) * c
                        for k in 0..<c { dst[to + k] = 0 }
                        for (ri, rw) in zip(row.indices, row.weights) {
                            for k in 0..<c { line[k] = 0 }
                            for (ci, cw) in zip(column.indices, column.weights) {
                                let from = (ri * w + ci) * c
                                for k in 0..<c { line[k] += src[from + k] * cw }
                            }
                            for k in 0..<c { dst[to + k] += line[k] * rw }
                        }
                    }
                }
            }
        }
        return out
    }
}
