import Foundation
@testable import GigaImage

/// libFuzzer entry: PNGDecoder on arbitrary bytes. Any ImageError is fine; a crash, a hang or an
/// AddressSanitizer report is a finding. Limits are tightened so a legitimate large image cannot
/// exhaust the fuzzer's memory budget.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? PNGDecoder.decode(Data(bytes: bytes, count: count), limits: fuzzLimits)
    return 0
}

let fuzzLimits = DecodeLimits(maxInputPixels: 4_000_000, maxOutputPixels: 16_000_000, maxDimension: 16_384)
