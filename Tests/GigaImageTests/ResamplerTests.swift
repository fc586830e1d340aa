import Foundation
import Testing
@testable import GigaImage

@Suite("Resampler")
struct ResamplerTests {
    // MARK: Helpers

    /// Little-endian float32 samples from `Tests/Fixtures/resample/<name>`.
    static func loadFloats(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("resample/\(name)")))
        precondition(data.count % 4 == 0)
        return stride(from: 0, to: data.count, by: 4).map { offset in
            let bits = UInt32(data[offset]) | UInt32(data[offset + 1]) << 8
                | UInt32(data[offset + 2]) << 16 | UInt32(data[offset + 3]) << 24
            return Float(bitPattern: UInt32(littleEndian: bits))
        }
    }

    /// A planar RGB image from a fixture written by make-fixtures.py.
    static func loadImage(_ name: String, width: Int, height: Int) throws -> Image {
        let samples = try loadFloats(name)
        let count = width * height
        #expect(samples.count == 3 * count, "\(name) holds \(samples.count) samples, not 3 x \(width)x\(height)")
        return Image(width: width, height: height,
                     planes: (0..<3).map { Array(samples[($0 * count)..<(($0 + 1) * count)]) })
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    static func bits(_ image: Image) -> [[UInt32]] {
        (image.planes + (image.alpha.map { [$0] } ?? [])).map { $0.map(\.bitPattern) }
    }

    /// Deterministic pseudo-random samples in [0, 1].
    static func noise(count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
    }

    // MARK: Against Pillow

    struct PillowCase: CustomTestStringConvertible, Sendable {
        let filter: ResamplingFilter
        let input: String
        let inputSize: (Int, Int)
        let outputSize: (Int, Int)
        let expected: String
        var testDescription: String { "\(filter) \(inputSize.0)x\(inputSize.1) -> \(outputSize.0)x\(outputSize.1)" }
    }

    static let pillowCases: [PillowCase] = {
        var cases = [PillowCase]()
        let big: [(ResamplingFilter, Int, Int)] = [
            (.bicubic, 61, 45), (.bicubic, 9, 7), (.bicubic, 40, 9),
            (.lanczos3, 61, 45), (.lanczos3, 9, 7), (.lanczos3, 40, 9),
            (.bilinear, 31, 29), (.bilinear, 9, 7), (.box, 31, 29), (.box, 9, 7),
        ]
        for (filter, w, h) in big {
            cases.append(PillowCase(filter: filter, input: "crop-23x17.bin", inputSize: (23, 17),
                                    outputSize: (w, h), expected: "\(filter.rawValue)-\(w)x\(h).bin"))
        }
        for filter in [ResamplingFilter.bicubic, .lanczos3] {
            cases.append(PillowCase(filter: filter, input: "crop-7x5.bin", inputSize: (7, 5),
                                    outputSize: (56, 40), expected: "\(filter.rawValue)-x8-56x40.bin"))
            cases.append(PillowCase(filter: filter, input: "stretched-23x17.bin", inputSize: (23, 17),
                                    outputSize: (46, 34), expected: "\(filter.rawValue)-stretched-46x34.bin"))
        }
        return cases
    }()

    @Test("matches Pillow's Image.resize on float images", arguments: pillowCases)
    func matchesPillow(_ test: PillowCase) throws {
        let input = try Self.loadImage(test.input, width: test.inputSize.0, height: test.inputSize.1)
        let expected = try Self.loadImage(test.expected, width: test.outputSize.0, height: test.outputSize.1)
        for threads in [1, 4] {
            let output = input.resized(width: test.outputSize.0, height: test.outputSize.1,
                                       filter: test.filter, clamp: false, threads: threads)
            #expect(output.width == test.outputSize.0 && output.height == test.outputSize.1)
            for c in 0..<3 {
                let difference = Self.maxDifference(output.planes[c], expected.planes[c])
                #expect(difference <= 1e-5, "plane \(c) differs from Pillow by up to \(difference) (\(threads) threads)")
            }
        }
    }

    @Test("the Pillow comparison can tell the filters apart")
    func pillowComparisonDiscriminates() throws {
        let input = try Self.loadImage("crop-23x17.bin", width: 23, height: 17)
        let lanczos = try Self.loadImage("lanczos3-61x45.bin", width: 61, height: 45)
        let bicubic = input.resized(width: 61, height: 45, filter: .bicubic, clampingToUnitRange: false)
        #expect(Self.maxDifference(bicubic.planes[1], lanczos.planes[1]) > 1e-3)
    }

    @Test("unclamped output keeps Pillow's overshoot; clamped output is Pillow's clamped")
    func overshootAgainstPillow() throws {
        let input = try Self.loadImage("stretched-23x17.bin", width: 23, height: 17)
        let expected = try Self.loadImage("lanczos3-stretched-46x34.bin", width: 46, height: 34)
        let pillow = expected.planes.flatMap { $0 }
        #expect(pillow.min()! < 0 && pillow.max()! > 1, "the fixture should leave [0, 1]")
        let raw = input.resized(width: 46, height: 34, filter: .lanczos3, clampingToUnitRange: false)
        #expect(raw.planes.flatMap { $0 }.max()! > 1)
        let clamped = input.resized(width: 46, height: 34, filter: .lanczos3)
        let ours = clamped.planes.flatMap { $0 }
        #expect(ours.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(Self.maxDifference(ours, pillow.map { min(max($0, 0), 1) }) <= 1e-4)
    }

    // MARK: Weights

    @Test("weights of every output index sum to exactly 1 in Float and stay inside the input",
          arguments: ResamplingFilter.allCases)
    func weightsSumToOne(_ filter: ResamplingFilter) {
        let sizes = [1, 2, 3, 5, 7, 9, 17, 23, 61, 100, 127, 1000, 4097]
        for input in sizes {
            for output in sizes {
                let weights = ResamplingWeights(filter: filter, inputSize: input, outputSize: output)
                #expect(weights.firstInput.count == output && weights.tapCounts.count == output)
                #expect(weights.weights.count == output * weights.tapStride)
                for i in 0..<output {
                    let taps = weights.taps(for: i)
                    #expect(!taps.isEmpty)
                    #expect(weights.firstInput[i] >= 0 && weights.firstInput[i] + taps.count <= input)
                    let sum = ResamplingWeights.floatSum(taps)
                    if sum != 1 {
                        Issue.record("\(filter) \(input)->\(output) output \(i): weights sum to \(sum)")
                        return
                    }
                }
            }
        }
    }

    @Test("kernels have their textbook values")
    func kernelValues() {
        #expect(ResamplingFilter.bicubic.weight(at: 0) == 1)
        #expect(ResamplingFilter.bicubic.weight(at: 1) == 0)
        #expect(ResamplingFilter.bicubic.weight(at: 2) == 0)
        #expect(ResamplingFilter.bicubic.weight(at: 0.5) == 0.5625)
        #expect(ResamplingFilter.bicubic.weight(at: -1.5) == -0.0625)
        #expect(ResamplingFilter.lanczos3.weight(at: 0) == 1)
        #expect(abs(ResamplingFilter.lanczos3.weight(at: 1)) < 1e-15)
        #expect(abs(ResamplingFilter.lanczos3.weight(at: 0.5) - 0.6079271018540267) < 1e-12)
        #expect(ResamplingFilter.lanczos3.weight(at: 3) == 0)
        #expect(ResamplingFilter.bilinear.weight(at: -0.25) == 0.75)
        #expect(ResamplingFilter.box.weight(at: 0.5) == 1 && ResamplingFilter.box.weight(at: -0.5) == 0)
        #expect(ResamplingFilter.bicubic.support == 2 && ResamplingFilter.lanczos3.support == 3)
    }

    @Test("2x upscale weights: centres at (i + 0.5) / 2 - 0.5, edge taps renormalised")
    func upscaleGeometry() {
        let weights = ResamplingWeights(filter: .bilinear, inputSize: 4, outputSize: 8)
        // Output 1 is centred on input 0.25: 3/4 of input 0, 1/4 of input 1.
        #expect(weights.firstInput[1] == 0)
        #expect(Array(weights.taps(for: 1)) == [0.75, 0.25])
        // Output 0 is centred on input -0.25: only input 0 is in range (weight renormalised to 1).
        #expect(weights.firstInput[0] == 0 && Array(weights.taps(for: 0)) == [1])
        #expect(weights.inputRange(for: 2..<4) == 0..<3)
        // Downscale by 3 with a box: each output averages exactly three inputs.
        let box = ResamplingWeights(filter: .box, inputSize: 9, outputSize: 3)
        #expect(box.firstInput == [0, 3, 6] && box.tapCounts == [3, 3, 3])
        #expect(abs(box.taps(for: 1)[box.taps(for: 1).startIndex] - 1.0 / 3) < 1e-7)
    }

    // MARK: Whole images

    @Test("a constant image stays constant; 0 and 1 exactly", arguments: ResamplingFilter.allCases)
    func constantImage(_ filter: ResamplingFilter) {
        for (w, h, ow, oh) in [(23, 17, 61, 45), (23, 17, 9, 7), (7, 5, 56, 40), (100, 3, 7, 30), (1, 1, 5, 4)] {
            for value: Float in [0, 1, 0.37] {
                let image = Image(width: w, height: h, colorChannels: 1, hasAlpha: true, fill: value)
                let output = image.resized(width: ow, height: oh, filter: filter, clampingToUnitRange: false)
                let worst = output.planes[0].map { abs($0 - value) }.max() ?? 0
                if value == 0.37 {
                    #expect(worst <= 1e-6, "\(filter) \(w)x\(h)->\(ow)x\(oh): off by \(worst)")
                } else {
                    #expect(worst == 0, "\(filter) \(w)x\(h)->\(ow)x\(oh) of \(value): off by \(worst)")
                }
                #expect(output.alpha!.allSatisfy { $0 == 1 }, "opaque alpha must stay exactly 1")
            }
        }
    }

    @Test("resizing to the same size returns the same pixels", arguments: ResamplingFilter.allCases)
    func identity(_ filter: ResamplingFilter) throws {
        let input = try Self.loadImage("crop-23x17.bin", width: 23, height: 17)
        var withAlpha = input
        withAlpha.alpha = Self.noise(count: 23 * 17, seed: 7)
        for clamp in [true, false] {
            let output = withAlpha.resized(width: 23, height: 17, filter: filter, clampingToUnitRange: clamp)
            #expect(Self.bits(output) == Self.bits(withAlpha))
        }
    }

    @Test("the result does not depend on the number of threads or the band size")
    func threadIndependence() {
        let w = 97, h = 61
        let image = Image(width: w, height: h,
                          planes: (0..<3).map { Self.noise(count: w * h, seed: UInt64($0) + 1) },
                          alpha: Self.noise(count: w * h, seed: 99))
        for filter in ResamplingFilter.allCases {
            for (ow, oh) in [(300, 211), (31, 17), (97, 200), (250, 61), (40, 130)] {
                let single = image.resized(width: ow, height: oh, filter: filter, clamp: false, threads: 1)
                for threads in [2, 3, 8, 64] {
                    let many = image.resized(width: ow, height: oh, filter: filter, clamp: false, threads: threads)
                    #expect(Self.bits(many) == Self.bits(single), "\(filter) -> \(ow)x\(oh) with \(threads) threads")
                }
            }
        }
    }

    @Test("banded resampling with ResamplingWeights gives the same bits as resized()")
    func bandedMatchesWhole() {
        let w = 53, h = 41, ow = 150, oh = 117
        let plane = Self.noise(count: w * h, seed: 5)
        let whole = Image(width: w, height: h, planes: [plane])
            .resized(width: ow, height: oh, filter: .lanczos3, clampingToUnitRange: false)
        let horizontal = ResamplingWeights(filter: .lanczos3, inputSize: w, outputSize: ow)
        let vertical = ResamplingWeights(filter: .lanczos3, inputSize: h, outputSize: oh)
        var banded = [Float](repeating: .nan, count: ow * oh)
        var start = 0
        for bandRows in [1, 7, 30, 79] where start < oh {
            let rows = start..<min(oh, start + bandRows)
            let needed = vertical.inputRange(for: rows)
            // A caller holding only the needed input rows (here: copied out of the plane).
            let band = Array(plane[(needed.lowerBound * w)..<(needed.upperBound * w)])
            var intermediate = [Float](repeating: 0, count: needed.count * ow)
            band.withUnsafeBufferPointer { input in
                intermediate.withUnsafeMutableBufferPointer { horizontal.resampleRows(input, rowCount: needed.count, into: $0) }
            }
            intermediate.withUnsafeBufferPointer { input in
                banded.withUnsafeMutableBufferPointer { output in
                    vertical.resampleColumns(input, bandFirstRow: needed.lowerBound, width: ow, outputRows: rows,
                                             into: UnsafeMutableBufferPointer(rebasing: output[(rows.lowerBound * ow)...]))
                }
            }
            start = rows.upperBound
        }
        #expect(start == oh)
        #expect(banded.map(\.bitPattern) == whole.planes[0].map(\.bitPattern))
    }

    @Test("bicubic and Lanczos overshoot on both sides of a step edge; bilinear and box do not",
          arguments: ResamplingFilter.allCases)
    func stepEdge(_ filter: ResamplingFilter) {
        // Left half 0, right half 1, upscaled 4x horizontally.
        let w = 16, h = 2
        let plane = (0..<(w * h)).map { Float($0 % w < w / 2 ? 0 : 1) }
        let image = Image(width: w, height: h, planes: [plane])
        let raw = image.resized(width: 4 * w, height: h, filter: filter, clampingToUnitRange: false).planes[0]
        let row = Array(raw[0..<(4 * w)])
        let dark = row[0..<(2 * w)], bright = row[(2 * w)...]
        switch filter {
        case .bicubic, .lanczos3:
            // Ringing: undershoot below 0 on the dark side, overshoot above 1 on the bright side.
            #expect(dark.min()! < -0.01, "\(filter) dark side minimum \(dark.min()!)")
            #expect(bright.max()! > 1.01, "\(filter) bright side maximum \(bright.max()!)")
            #expect(dark.max()! < 0.5 && bright.min()! > 0.5)
        case .bilinear, .box:
            #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        // Monotone far from the edge: the ends stay exactly at their levels.
        #expect(row.first == 0 && row.last == 1)
        let clamped = image.resized(width: 4 * w, height: h, filter: filter).planes[0]
        #expect(clamped.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(zip(clamped, raw).allSatisfy { $0 == min(max($1, 0), 1) })
    }

    @Test("metadata, alpha and gray planes are carried through")
    func metadataAndPlanes() {
        var metadata = ImageMetadata(bitDepth: 16, exif: Data([0x49, 0x49, 0x2A, 0]), notes: ["kept"])
        metadata.colorSpace.gamma = 0.45455
        let image = Image(width: 10, height: 6, planes: [Self.noise(count: 60, seed: 3)],
                          alpha: Self.noise(count: 60, seed: 4), metadata: metadata)
        let output = image.resized(width: 25, height: 3, filter: .bicubic)
        #expect(output.metadata == metadata)
        #expect(output.isGray && output.width == 25 && output.height == 3)
        #expect(output.alpha?.count == 75)
        // Alpha is resampled as its own plane, exactly like a colour plane with the same samples.
        let alphaAsColour = Image(width: 10, height: 6, planes: [image.alpha!])
            .resized(width: 25, height: 3, filter: .bicubic)
        #expect(output.alpha! == alphaAsColour.planes[0])
    }

    @Test("resized(scale:) rounds the size; empty outputs are empty")
    func scaleAndEmpty() {
        let image = Image(width: 23, height: 17, colorChannels: 3, fill: 0.5)
        let up = image.resized(scale: 2.5, filter: .lanczos3)
        #expect(up.width == 58 && up.height == 43)
        let down = image.resized(scale: 0.01, filter: .bicubic)
        #expect(down.width == 1 && down.height == 1 && abs(down.planes[2][0] - 0.5) < 1e-6)
        let empty = image.resized(width: 0, height: 5, filter: .box)
        #expect(empty.width == 0 && empty.height == 5 && empty.planes.count == 3 && empty.planes[0].isEmpty)
    }
}
