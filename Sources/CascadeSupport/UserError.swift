/// An error caused by the user's input (files, configs, options).
///
/// Its `description` is the single line printed to stderr: it names the file and the
/// row/column or JSON path at fault. Commands exit non-zero and leave no partial output.
///
/// ```swift
/// throw UserError("samples/toy/wjets.h5: column \"ht\" not found")
/// ```
public struct UserError: Error, CustomStringConvertible, Equatable, Sendable {
  public var message: String
  /// An error printed as `message`; by convention `<file>: <row/column or JSON path>: <what>`,
  /// without the `cascade: error: ` prefix, which the command line adds.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
