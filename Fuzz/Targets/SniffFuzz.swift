import Foundation
@testable import GigaImage

/// libFuzzer entry: the format sniffer and the whole read path it dispatches to
/// (`ImageReader.read(data:)`: sniff, decode, EXIF orientation), on arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSniff(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let sniffed = ImageFormat.sniff(data)
    _ = ImageFormat.truncatedSignature(data)
    if sniffed == nil {
        _ = try? ImageReader.detectFormat(data)
    } else {
        _ = try? ImageReader.read(data: data, limits: fuzzLimits)
    }
    return 0
}

let fuzzLimits = DecodeLimits(maxInputPixels: 4_000_000, maxOutputPixels: 16_000_000, maxDimension: 16_384)
