/// The taps and weights that resample one axis from `inputSize` samples to `outputSize`
/// samples: for every output index, the first input index it reads and the weights of the
/// consecutive input samples from there.
///
/// This is the building block of `Image.resized(width:height:filter:)`, public so that a caller
/// can resample in bands (e.g. a streaming upscaler that holds only a few rows at a time):
/// `inputRange(for:)` says which input rows a band of output rows needs, `resampleRows`
/// runs the horizontal pass over any number of rows, and `resampleColumns` the vertical pass for
/// any band of output rows. Every output sample is computed by the same sequence of Float
/// operations however the work is split, so banded and whole-image results are bit-identical.
///
/// Geometry and weights follow Pillow's `Image.resize` exactly. With input pixel `j` spanning
/// `[j, j + 1)`, output pixel `i` is centred on `(i + 0.5) * inputSize / outputSize` (so the
/// image edges line up, and an identity size gives identity weights); the kernel is widened by
/// the scale factor when downscaling; taps that would fall outside the input are dropped and
/// the remaining weights renormalised to sum 1 (Pillow's edge convention, which is not the same
/// as replicating edge pixels: it lets the edge pixels' in-range neighbours share the missing
/// weight). Weights are computed in Double, normalised, and stored as Float after a last
/// correction of one weight, by a few 1e-8 at most, that makes their Float sum, added in tap
/// order, exactly 1: a constant plane of 0 or 1 (an opaque alpha plane, say) resamples to
/// exactly the same constant.
public struct ResamplingWeights: Sendable, Equatable {
    /// The filter the weights were computed for.
    public let filter: ResamplingFilter
    /// Number of samples along the axis before resampling.
    public let inputSize: Int
    /// Number of samples along the axis after resampling.
    public let outputSize: Int
    /// Distance between the weight runs of consecutive output indices in `weights`: the
    /// largest tap count of any output index.
    public let tapStride: Int
    /// For each output index, the first input index it reads.
    public let firstInput: [Int]
    /// For each output index, how many consecutive input samples it reads (0 only when every
    /// kernel weight was zero; that output is then 0).
    public let tapCounts: [Int]
    /// `outputSize * tapStride` weights: output `i` uses `weights[i * tapStride ..< i * tapStride + tapCounts[i]]`
    /// on input indices `firstInput[i]...`; the rest of its run is zero.
    public let weights: [Float]

    /// Computes the weights to resample `inputSize` samples onto `outputSize` samples with
    /// `filter`. Both sizes must be positive.
    public init(filter: ResamplingFilter, inputSize: Int, outputSize: Int) {
        precondition(inputSize > 0 && outputSize > 0,
                     "cannot resample \(inputSize) samples onto \(outputSize): both must be positive")
        self.filter = filter
        self.inputSize = inputSize
        self.outputSize = outputSize

        // Pillow's precompute_coeffs, step for step, in Double.
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let inverseFilterScale = 1 / filterScale
        let maximumTaps = Int(support.rounded(.up)) * 2 + 1

        var first = [Int](repeating: 0, count: outputSize)
        var counts = [Int](repeating: 0, count: outputSize)
        var runs = [[Float]]()
        runs.reserveCapacity(outputSize)
        var raw = [Double](repeating: 0, count: maximumTaps)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            // Int(_:) truncates toward zero, like C's (int) cast.
            let lower = max(Int(center - support + 0.5), 0)
            let upper = min(Int(center + support + 0.5), inputSize)
            let count = max(upper - lower, 0)
            var sum = 0.0
            for tap in 0..<count {
                let w = filter.weight(at: (Double(tap + lower) - center + 0.5) * inverseFilterScale)
                raw[tap] = w
                sum += w
            }
            if sum != 0 {
                for tap in 0..<count { raw[tap] /= sum }
            }
            // Drop exact zeros at both ends: they add nothing to any sum.
            var start = 0, end = count
            while start < end && raw[start] == 0 { start += 1 }
            while end > start && raw[end - 1] == 0 { end -= 1 }
            var run = (start..<end).map { Float(raw[$0]) }
            Self.makeFloatSumOne(&run)
            first[output] = lower + start
            counts[output] = run.count
            runs.append(run)
        }

        let stride = max(counts.max() ?? 0, 1)
        var flat = [Float](repeating: 0, count: outputSize * stride)
        for (output, run) in runs.enumerated() {
            for (tap, w) in run.enumerated() { flat[output * stride + tap] = w }
        }
        self.tapStride = stride
        self.firstInput = first
        self.tapCounts = counts
        self.weights = flat
    }

    /// Adjusts one weight so that the weights, summed in Float in tap order (the order the
    /// passes accumulate in), give exactly 1. Tries the last weight first (set to `1 - s`, `s`
    /// the Float sum of the others), then stepping an ulp at a time; if rounding keeps jumping
    /// over 1, tries the previous weight, and so on. The change is a few 1e-8 at most. Leaves
    /// the run alone if nothing gets there (its sum is then within an ulp or two of 1 anyway).
    private static func makeFloatSumOne(_ run: inout [Float]) {
        guard !run.isEmpty, floatSum(run) != 1 else { return }
        let original = run
        let residual = 1 - floatSum(original)
        for index in original.indices.reversed() {
            var trial = original
            trial[index] = index == original.count - 1
                ? 1 - floatSum(original.dropLast())
                : original[index] + residual
            for _ in 0..<6 {
                let total = floatSum(trial)
                if total == 1 { run = trial; return }
                trial[index] = total < 1 ? trial[index].nextUp : trial[index].nextDown
            }
        }
    }

    /// The sum of `run` in Float, in the order the passes accumulate: first weight, then each
    /// following one added.
    static func floatSum(_ run: some Collection<Float>) -> Float {
        guard var sum = run.first else { return 0 }
        for w in run.dropFirst() { sum += w }
        return sum
    }

    /// The weights of output index `output`, applied to input indices `firstInput[output]...`.
    public func taps(for output: Int) -> ArraySlice<Float> {
        let start = output * tapStride
        return weights[start..<(start + tapCounts[output])]
    }

    /// The input indices that the outputs `outputs` read, together: the rows (or columns) a
    /// band must hold to compute them. Empty for an empty range.
    public func inputRange(for outputs: Range<Int>) -> Range<Int> {
        precondition(outputs.lowerBound >= 0 && outputs.upperBound <= outputSize,
                     "outputs \(outputs) outside 0..<\(outputSize)")
        var lower = Int.max, upper = Int.min
        for output in outputs where tapCounts[output] > 0 {
            lower = min(lower, firstInput[output])
            upper = max(upper, firstInput[output] + tapCounts[output])
        }
        return lower <= upper ? lower..<upper : 0..<0
    }

    /// Horizontal pass: resamples each of `rowCount` rows of `input` (rows of `inputSize`
    /// samples, back to back) into `output` (rows of `outputSize` samples, back to back).
    public func resampleRows(_ input: UnsafeBufferPointer<Float>, rowCount: Int,
                             into output: UnsafeMutableBufferPointer<Float>) {
        precondition(rowCount >= 0 && input.count >= rowCount * inputSize && output.count >= rowCount * outputSize,
                     "buffers too small for \(rowCount) rows of \(inputSize) -> \(outputSize) samples")
        guard rowCount > 0 else { return }
        let inputBase = input.baseAddress!, outputBase = output.baseAddress!
        let stride = tapStride, inputWidth = inputSize, outputWidth = outputSize
        weights.withUnsafeBufferPointer { weightBuffer in
        firstInput.withUnsafeBufferPointer { firsts in
        tapCounts.withUnsafeBufferPointer { counts in
            let w = weightBuffer.baseAddress!
            for row in 0..<rowCount {
                let source = inputBase + row * inputWidth
                let destination = outputBase + row * outputWidth
                for x in 0..<outputWidth {
                    let n = counts[x]
                    guard n > 0 else { destination[x] = 0; continue }
                    let s = source + firsts[x]
                    let k = w + x * stride
                    var sum = s[0] * k[0]
                    var tap = 1
                    while tap < n { sum += s[tap] * k[tap]; tap += 1 }
                    destination[x] = sum
                }
            }
        }
        }
        }
    }

    /// Vertical pass: computes the output rows `outputRows` (each `width` samples) into
    /// `output`, back to back, from `band`, which holds consecutive input rows of `width`
    /// samples starting at input row `bandFirstRow` and must cover
    /// `inputRange(for: outputRows)`.
    public func resampleColumns(_ band: UnsafeBufferPointer<Float>, bandFirstRow: Int, width: Int,
                                outputRows: Range<Int>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(width >= 0 && output.count >= outputRows.count * width, "output too small for \(outputRows.count) rows of \(width)")
        guard width > 0, !outputRows.isEmpty else { return }
        let needed = inputRange(for: outputRows)
        precondition(needed.isEmpty || (needed.lowerBound >= bandFirstRow
                                        && (needed.upperBound - bandFirstRow) * width <= band.count),
                     "band of input rows from \(bandFirstRow) does not cover rows \(needed)")
        let bandBase = band.baseAddress, outputBase = output.baseAddress!
        let stride = tapStride
        weights.withUnsafeBufferPointer { weightBuffer in
            for (index, outputRow) in outputRows.enumerated() {
                let destination = outputBase + index * width
                let n = tapCounts[outputRow]
                guard n > 0 else { destination.update(repeating: 0, count: width); continue }
                let k = weightBuffer.baseAddress! + outputRow * stride
                let rows = bandBase! + (firstInput[outputRow] - bandFirstRow) * width
                let k0 = k[0]
                for x in 0..<width { destination[x] = rows[x] * k0 }
                for tap in 1..<n {
                    let source = rows + tap * width
                    let kt = k[tap]
                    for x in 0..<width { destination[x] += source[x] * kt }
                }
            }
        }
    }
}
