import Dispatch
import Foundation

extension Image {
    /// This image resampled to `width` x `height` pixels with `filter`, matching Pillow's
    /// `Image.resize((width, height), filter)` on float ('F') images: separable (a horizontal
    /// pass, then a vertical one), output pixel `i` centred on input coordinate (pixel `j`
    /// spanning `[j, j + 1)`)
    /// `(i + 0.5) * inputSize / outputSize`, the kernel widened by the scale factor when
    /// downscaling (antialiasing), and taps outside the image dropped with the remaining
    /// weights renormalised. Any scale factor, up or down, independently per axis. An axis
    /// whose size does not change is copied, not filtered.
    ///
    /// Every colour plane and the alpha plane are resampled the same way, each on its own.
    /// - Note: Colour is resampled straight, not premultiplied by alpha (unlike Pillow's RGBA
    ///   path): the colour of fully transparent pixels bleeds into their visible neighbours.
    ///   Samples are filtered as stored (gamma-encoded), not in linear light, also as Pillow does.
    ///
    /// Bicubic and Lanczos overshoot next to hard edges, so results can leave [0, 1]. With
    /// `clampingToUnitRange` (the default) each output sample is clamped into [0, 1], as
    /// `Image` expects and as Pillow's 8-bit modes do; pass `false` to keep the overshoot
    /// (Pillow's 'F' mode does not clamp). Constant planes of 0 or 1 stay exactly constant.
    ///
    /// The result keeps this image's metadata unchanged. It is computed on all processors;
    /// every sample is computed by the same Float operations whatever the split, so the result
    /// does not depend on the number of threads. Memory beyond the result: a few bands of a
    /// few million samples.
    ///
    /// - Parameters:
    ///   - width: Output width in pixels, ≥ 0; must be 0 if this image has no pixels.
    ///   - height: Output height in pixels, ≥ 0; must be 0 if this image has no pixels.
    ///   - filter: The reconstruction filter.
    ///   - clampingToUnitRange: Whether to clamp output samples into [0, 1].
    public func resized(width: Int, height: Int, filter: ResamplingFilter,
                        clampingToUnitRange: Bool = true) -> Image {
        resized(width: width, height: height, filter: filter, clamp: clampingToUnitRange,
                threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// This image scaled by `scale` in both directions with `filter`: the output size is the
    /// input size times `scale`, rounded to the nearest integer and at least 1 pixel. See
    /// `resized(width:height:filter:clampingToUnitRange:)` for everything else.
    public func resized(scale: Double, filter: ResamplingFilter, clampingToUnitRange: Bool = true) -> Image {
        precondition(scale.isFinite && scale > 0, "scale factor must be positive and finite, not \(scale)")
        func scaled(_ size: Int) -> Int {
            size == 0 ? 0 : max(1, Int((Double(size) * scale).rounded()))
        }
        return resized(width: scaled(width), height: scaled(height), filter: filter,
                       clampingToUnitRange: clampingToUnitRange)
    }

    /// `resized(width:height:filter:clampingToUnitRange:)` on at most `threads` threads
    /// (1: on the calling thread only).
    func resized(width outputWidth: Int, height outputHeight: Int, filter: ResamplingFilter,
                 clamp: Bool, threads: Int) -> Image {
        precondition(outputWidth >= 0 && outputHeight >= 0, "negative output size \(outputWidth)x\(outputHeight)")
        if outputWidth == 0 || outputHeight == 0 {
            return Image(width: outputWidth, height: outputHeight, planes: planes.map { _ in [] },
                         alpha: alpha.map { _ in [] }, metadata: metadata)
        }
        precondition(width > 0 && height > 0,
                     "cannot resample an empty \(width)x\(height) image to \(outputWidth)x\(outputHeight)")
        let horizontal = outputWidth == width ? nil
            : ResamplingWeights(filter: filter, inputSize: width, outputSize: outputWidth)
        let vertical = outputHeight == height ? nil
            : ResamplingWeights(filter: filter, inputSize: height, outputSize: outputHeight)
        let resample = { (plane: [Float]) in
            PlaneResampler.resample(plane, width: self.width, height: self.height,
                                    horizontal: horizontal, vertical: vertical,
                                    clamp: clamp, threads: threads)
        }
        return Image(width: outputWidth, height: outputHeight, planes: planes.map(resample),
                     alpha: alpha.map(resample), metadata: metadata)
    }
}

/// Whole-plane resampling, split into bands of output rows that run in parallel. Each band
/// runs the horizontal pass over just the input rows it needs, then the vertical pass, so the
/// memory beyond the result is a band per thread, never a whole intermediate plane.
enum PlaneResampler {
    /// Samples of intermediate band to aim for at most, per band.
    static let bandSampleBudget = 1 << 22

    /// Resamples a `width` x `height` plane. `horizontal` / `vertical` nil leaves that axis
    /// unchanged; otherwise their input sizes must be `width` / `height`.
    static func resample(_ plane: [Float], width: Int, height: Int,
                         horizontal: ResamplingWeights?, vertical: ResamplingWeights?,
                         clamp: Bool, threads: Int) -> [Float] {
        precondition(plane.count == width * height, "plane holds \(plane.count) samples, not \(width)x\(height)")
        precondition(horizontal.map { $0.inputSize == width } ?? true, "horizontal weights are for another width")
        precondition(vertical.map { $0.inputSize == height } ?? true, "vertical weights are for another height")
        let outputWidth = horizontal?.outputSize ?? width
        let outputHeight = vertical?.outputSize ?? height
        let total = outputWidth * outputHeight
        if horizontal == nil && vertical == nil && !clamp { return plane }

        // Band size: enough bands to keep every thread busy, each small enough that its
        // intermediate (about rows * input-rows-per-output-row * outputWidth) fits the budget.
        let threadCount = max(1, threads)
        let inputRowsPerOutputRow = max(1, (height + outputHeight - 1) / outputHeight)
        let budgetRows = max(1, bandSampleBudget / max(1, outputWidth * inputRowsPerOutputRow))
        let targetBands = threadCount == 1 ? 1 : threadCount * 4
        let bandRows = max(1, min(budgetRows, (outputHeight + targetBands - 1) / targetBands))
        let bandCount = (outputHeight + bandRows - 1) / bandRows

        return [Float](unsafeUninitializedCapacity: total) { buffer, initializedCount in
            plane.withUnsafeBufferPointer { input in
                let job = BandJob(input: input, output: buffer, width: width, outputWidth: outputWidth,
                                  outputHeight: outputHeight, bandRows: bandRows,
                                  horizontal: horizontal, vertical: vertical, clamp: clamp)
                if threadCount == 1 || bandCount == 1 {
                    for band in 0..<bandCount { job.run(band: band) }
                } else {
                    DispatchQueue.concurrentPerform(iterations: bandCount) { job.run(band: $0) }
                }
            }
            initializedCount = total
        }
    }

    /// One plane's work, shared by the threads that compute its bands. Bands write disjoint
    /// rows of `output` and only read `input`, hence the unchecked `Sendable`.
    private struct BandJob: @unchecked Sendable {
        let input: UnsafeBufferPointer<Float>
        let output: UnsafeMutableBufferPointer<Float>
        let width: Int
        let outputWidth: Int
        let outputHeight: Int
        let bandRows: Int
        let horizontal: ResamplingWeights?
        let vertical: ResamplingWeights?
        let clamp: Bool

        func run(band: Int) {
            let rows = (band * bandRows)..<min(outputHeight, (band + 1) * bandRows)
            let destination = UnsafeMutableBufferPointer(
                rebasing: output[(rows.lowerBound * outputWidth)..<(rows.upperBound * outputWidth)])
            PlaneResampler.computeBand(input, width: width, rows: rows, horizontal: horizontal, vertical: vertical,
                                       outputWidth: outputWidth, into: destination)
            if clamp {
                for i in destination.indices { destination[i] = min(max(destination[i], 0), 1) }
            }
        }
    }

    /// Output rows `rows` (each `outputWidth` samples) into `destination`.
    fileprivate static func computeBand(_ input: UnsafeBufferPointer<Float>, width: Int, rows: Range<Int>,
                                    horizontal: ResamplingWeights?, vertical: ResamplingWeights?,
                                    outputWidth: Int, into destination: UnsafeMutableBufferPointer<Float>) {
        let inputRows = vertical?.inputRange(for: rows) ?? rows
        let source = UnsafeBufferPointer(rebasing: input[(inputRows.lowerBound * width)..<(inputRows.upperBound * width)])
        switch (horizontal, vertical) {
        case (nil, nil):
            _ = destination.initialize(from: source)
        case (let horizontal?, nil):
            horizontal.resampleRows(source, rowCount: rows.count, into: destination)
        case (nil, let vertical?):
            vertical.resampleColumns(source, bandFirstRow: inputRows.lowerBound, width: width,
                                     outputRows: rows, into: destination)
        case (let horizontal?, let vertical?):
            var intermediate = [Float](repeating: 0, count: inputRows.count * outputWidth)
            intermediate.withUnsafeMutableBufferPointer { band in
                horizontal.resampleRows(source, rowCount: inputRows.count, into: band)
                vertical.resampleColumns(UnsafeBufferPointer(band), bandFirstRow: inputRows.lowerBound,
                                         width: outputWidth, outputRows: rows, into: destination)
            }
        }
    }
}
