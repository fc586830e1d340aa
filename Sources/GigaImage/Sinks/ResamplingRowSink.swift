/// A row sink that resamples the image streamed through it and hands the result, band by band,
/// to another sink: a resize that never holds the whole input or the whole output.
///
/// Each input band gets the horizontal pass at once; its rows are kept only until every output
/// row that reads them has been computed, so memory is the vertical filter's reach (a few
/// output-width rows, more when downscaling steeply) plus the band being written. Output rows are
/// passed on as soon as the input rows they read have arrived.
///
/// The result is bit-identical to `Image.resized(width:height:filter:clampingToUnitRange:)` on
/// the whole input, however the input is split into bands: both run the same passes of
/// `ResamplingWeights`, which compute every sample by the same Float operations whatever the
/// split, skip an axis whose size does not change, and clamp the same way.
///
/// ```swift
/// let writer = try ImageWriter(path: "small.png", settings: .defaults(for: .png), header: smallHeader)
/// let resizer = ResamplingRowSink(inputWidth: 8192, inputHeight: 6144, output: smallHeader,
///                                 filter: .lanczos3, into: writer)
/// for band in bands { try resizer.write(band) }   // 8192-wide bands in, 3840-wide bands out
/// try resizer.finish()                             // finishes the writer too
/// ```
public final class ResamplingRowSink: ImageRowSink {
    /// Width of the incoming bands.
    public let inputWidth: Int
    /// Total rows that will come in.
    public let inputHeight: Int
    /// What goes out: size, colour channels, alpha presence, metadata.
    public let outputHeader: EncodeHeader
    private let downstream: ImageRowSink
    private let horizontal: ResamplingWeights?
    private let vertical: ResamplingWeights?
    private let clamp: Bool
    /// Per output row, the number of input rows that must have arrived before it and every row
    /// above it can be computed.
    private let readyAfter: [Int]
    /// Per output row, the first input row it or any later output row reads (`inputHeight` past
    /// the end): rows above it can be dropped.
    private let stillNeededFrom: [Int]
    /// Per plane (colour planes, then alpha), horizontally resampled input rows from `bufferFirstRow`.
    private var buffers: [[Float]]
    private var bufferFirstRow = 0
    private var rowsReceived = 0
    private var rowsSent = 0

    /// Creates a resizing sink from `inputWidth` x `inputHeight` to `output`'s size with
    /// `filter`, clamping results into [0, 1] unless told not to. Bands written to it must be
    /// `inputWidth` wide with `output`'s colour channels and alpha presence. Both sizes must be
    /// positive.
    public init(inputWidth: Int, inputHeight: Int, output: EncodeHeader, filter: ResamplingFilter,
                clampingToUnitRange: Bool = true, into downstream: ImageRowSink) {
        precondition(inputWidth > 0 && inputHeight > 0 && output.width > 0 && output.height > 0,
                     "cannot resample \(inputWidth)x\(inputHeight) to \(output.width)x\(output.height)")
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.outputHeader = output
        self.downstream = downstream
        self.clamp = clampingToUnitRange
        horizontal = output.width == inputWidth ? nil
            : ResamplingWeights(filter: filter, inputSize: inputWidth, outputSize: output.width)
        let vertical = output.height == inputHeight ? nil
            : ResamplingWeights(filter: filter, inputSize: inputHeight, outputSize: output.height)
        self.vertical = vertical
        var ready = [Int](repeating: 0, count: output.height)
        var needed = [Int](repeating: inputHeight, count: output.height + 1)
        var highest = 0
        for row in 0..<output.height {
            let reads = vertical?.inputRange(for: row..<(row + 1)) ?? row..<(row + 1)
            highest = max(highest, reads.upperBound)
            ready[row] = highest
        }
        for row in (0..<output.height).reversed() {
            let reads = vertical?.inputRange(for: row..<(row + 1)) ?? row..<(row + 1)
            needed[row] = reads.isEmpty ? needed[row + 1] : min(reads.lowerBound, needed[row + 1])
        }
        readyAfter = ready
        stillNeededFrom = needed
        buffers = Array(repeating: [], count: output.colorChannels + (output.hasAlpha ? 1 : 0))
    }

    /// Takes the next input rows and passes on every output row they complete.
    public func write(_ band: Image) throws {
        guard band.width == inputWidth else {
            throw ImageError(.invalidArgument, "band is \(band.width) pixels wide; the image being resampled is \(inputWidth)")
        }
        guard band.colorChannelCount == outputHeader.colorChannels, band.hasAlpha == outputHeader.hasAlpha else {
            throw ImageError(.invalidArgument, "band has \(band.colorChannelCount) colour channels\(band.hasAlpha ? " + alpha" : ""); the image being resampled has \(outputHeader.colorChannels)\(outputHeader.hasAlpha ? " + alpha" : "")")
        }
        guard band.height <= inputHeight - rowsReceived else {
            throw ImageError(.invalidArgument, "band of \(band.height) rows overruns the image: only \(inputHeight - rowsReceived) of \(inputHeight) rows remain")
        }
        let outputWidth = outputHeader.width
        for (index, plane) in (band.planes + (band.alpha.map { [$0] } ?? [])).enumerated() {
            if let horizontal {
                let start = buffers[index].count
                buffers[index].append(contentsOf: repeatElement(0, count: band.height * outputWidth))
                plane.withUnsafeBufferPointer { source in
                    buffers[index].withUnsafeMutableBufferPointer { buffer in
                        horizontal.resampleRows(source, rowCount: band.height,
                                                into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
                    }
                }
            } else {
                buffers[index].append(contentsOf: plane)
            }
        }
        rowsReceived += band.height
        try sendReadyRows(metadata: band.metadata)
    }

    /// Checks that every input row arrived, then finishes the downstream sink.
    public func finish() throws {
        guard rowsReceived == inputHeight, rowsSent == outputHeader.height else {
            throw ImageError(.invalidArgument, "resampling finished after \(rowsReceived) of \(inputHeight) input rows")
        }
        try downstream.finish()
    }

    private func sendReadyRows(metadata: ImageMetadata) throws {
        var end = rowsSent
        while end < outputHeader.height && readyAfter[end] <= rowsReceived { end += 1 }
        guard end > rowsSent else { return }
        let rows = rowsSent..<end
        let width = outputHeader.width
        var planes = buffers.map { buffer in
            [Float](unsafeUninitializedCapacity: rows.count * width) { output, count in
                buffer.withUnsafeBufferPointer { band in
                    if let vertical {
                        vertical.resampleColumns(band, bandFirstRow: bufferFirstRow, width: width,
                                                 outputRows: rows, into: output)
                    } else {
                        let start = (rows.lowerBound - bufferFirstRow) * width
                        _ = output.initialize(from: band[start..<(start + rows.count * width)])
                    }
                }
                if clamp {
                    for i in 0..<(rows.count * width) { output[i] = min(max(output[i], 0), 1) }
                }
                count = rows.count * width
            }
        }
        let alpha = outputHeader.hasAlpha ? planes.removeLast() : nil
        rowsSent = end
        // Rows no later output row reads are dropped before passing the band on.
        let drop = stillNeededFrom[end] - bufferFirstRow
        if drop > 0 {
            let samples = min(drop * width, buffers[0].count)
            for index in buffers.indices { buffers[index].removeFirst(samples) }
            bufferFirstRow += samples / width
        }
        try downstream.write(Image(width: width, height: rows.count, planes: planes, alpha: alpha, metadata: metadata))
    }
}
