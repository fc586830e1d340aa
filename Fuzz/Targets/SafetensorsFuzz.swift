import Foundation
@testable import GigaEngine

/// libFuzzer entry: SafetensorsFile on arbitrary bytes (it maps a file, so each input is written
/// to one scratch file in /dev/shm first), then every tensor it accepts is read back as floats.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(scratchPath)") }
    var written = 0
    while written < count {
        let n = write(fd, bytes + written, count - written)
        guard n > 0 else { fatalError("cannot write \(scratchPath)") }
        written += n
    }
    close(fd)
    if let file = try? SafetensorsFile(path: scratchPath) {
        for name in file.names { _ = try? file.floats(name) }
    }
    return 0
}

let scratchPath = "/dev/shm/gigascale-fuzz-safetensors-\(getpid())"
