import Foundation
import GigaEngine
import GigaImage

/// The inputs of the load test: small PNG, JPEG and TIFF images of varied size, depth and
/// channels, written by the real encoders from a fixed seed, and a few broken files (cut short,
/// empty, random bytes) that must each be reported, not enlarged.
struct LoadCorpus {
    struct Input {
        let path: String
        let width: Int
        let height: Int
        /// Why the file cannot be read, for a deliberately broken one.
        let breakage: String?
        /// The bytes written, to prove afterwards that the input was not touched.
        let bytes: Data
    }

    let inputs: [Input]

    var brokenCount: Int { inputs.filter { $0.breakage != nil }.count }

    func count(of format: String) -> Int { inputs.filter { $0.path.hasSuffix("." + format) }.count }

    /// Writes `count` inputs named PREFIX-NNNN.EXT into `folder`, with sides from `sides`.
    static func make(count: Int, in folder: String, sides: ClosedRange<Int>, prefix: String = "img",
                     seed: UInt64 = 9) throws -> LoadCorpus {
        var random = SplitMix64(seed: seed)
        var inputs: [Input] = []
        for index in 0..<count {
            let format = ["png", "jpg", "tif"][index % 3]
            let path = folder + "/" + prefix + String(format: "-%04d.", index + 1) + format
            let width = Int(random.next(below: UInt64(sides.count))) + sides.lowerBound
            let height = Int(random.next(below: UInt64(sides.count))) + sides.lowerBound
            let image = pattern(width: width, height: height, gray: index % 7 == 3,
                                alpha: format != "jpg" && index % 11 == 5, random: &random)
            var bytes = try ImageWriter.encode(image, settings: settings(format: format, index: index))
            let breakage = breakage(at: index)
            switch breakage {
            case "cut short": bytes = bytes.prefix(bytes.count / 2)
            case "empty": bytes = Data()
            case "random bytes": bytes = Data((0..<1500).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            default: break
            }
            guard FileManager.default.createFile(atPath: path, contents: bytes) else {
                throw LoadTestError("cannot write \(path)")
            }
            inputs.append(Input(path: path, width: width, height: height, breakage: breakage, bytes: bytes))
        }
        return LoadCorpus(inputs: inputs)
    }

    /// One file in fifty is cut in half; one in two hundred and fifty is empty, and another is
    /// random bytes under an image's name.
    private static func breakage(at index: Int) -> String? {
        if index % 250 == 100 { return "empty" }
        if index % 250 == 200 { return "random bytes" }
        if index % 50 == 17 { return "cut short" }
        return nil
    }

    private static func settings(format: String, index: Int) -> EncodeSettings {
        let deep = index % 13 == 0
        switch format {
        case "png": return .png(PNGEncodeOptions(bitDepth: deep ? 16 : 8))
        case "jpg": return .jpeg(JPEGEncodeOptions(quality: 90, chromaSubsampling: index % 2 == 0 ? .yuv420 : .yuv444,
                                                   progressive: index % 5 == 0))
        default:
            let compression = TIFFEncodeOptions.Compression.allCases[index % 3]
            return .tiff(TIFFEncodeOptions(bitDepth: deep ? 16 : 8, compression: compression))
        }
    }

    /// Gradients, stripes and a little noise, so every image differs and none compresses away.
    private static func pattern(width: Int, height: Int, gray: Bool, alpha: Bool, random: inout SplitMix64) -> Image {
        let phase = Float(random.next(below: 1000)) / 100
        let planes = (0..<(gray ? 1 : 3)).map { channel in
            (0..<(width * height)).map { i -> Float in
                let x = Float(i % width) / Float(width), y = Float(i / width) / Float(height)
                let wave = 0.25 * sin(phase + Float(channel + 1) * 9 * x + 5 * y)
                let noise = Float(random.next(below: 1000)) / 1000 * 0.1
                return min(max(0.4 + 0.3 * (channel == 0 ? x : y) + wave + noise, 0), 1)
            }
        }
        let alphaPlane = alpha ? (0..<(width * height)).map { Float($0 % width) / Float(max(width - 1, 1)) } : nil
        return Image(width: width, height: height, planes: planes, alpha: alphaPlane)
    }
}

extension SplitMix64 {
    /// The corpus's own draw (modulo, slightly biased): kept so every run makes the same corpus as before.
    mutating func next(below bound: UInt64) -> UInt64 { next() % bound }
}

/// Why the load test could not run (as opposed to what it found).
struct LoadTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
