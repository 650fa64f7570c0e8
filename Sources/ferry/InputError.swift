/// Bad input found while running (a malformed reference, an unreadable list or auth file).
/// Printed as `Error: <message>` without the usage text, which would only bury the message.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
