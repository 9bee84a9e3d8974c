import CascadeSupport
import EventData
import Foundation

/// CSV reader: the bytes become a file (in memory-backed /dev/shm when present) that is
/// inspected, read whole and read in blocks, as `cascade inspect/convert/apply` do.
let path: String = {
  let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
  return dir + "/cascade-fuzz-\(getpid()).csv"
}()

/// One fuzz input (called by libFuzzer through `LLVMFuzzerRunDriver`, see Entry.swift).
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  guard let fh = fopen(path, "wb") else { fatalError("cannot write \(path)") }
  if size > 0 { fwrite(bytes.baseAddress!, 1, size, fh) }
  fclose(fh)
  do {
    let reader = try openEventFile(path, options: EventFileOptions(threads: 1))
    let whole = try reader.readAll(columns: nil)
    var rows = 0
    for block in reader.blockRanges(of: 7) {
      rows += try reader.read(columns: reader.schema.map(\.name), rows: block).rowCount
    }
    precondition(rows == whole.rowCount, "blocks give \(rows) rows, readAll \(whole.rowCount)")
    for c in whole.columns { _ = c.float64Values() }
  } catch is UserError {
  } catch {
    fatalError("not a UserError: \(error)")
  }
  return 0
}
