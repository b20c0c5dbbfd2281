import NN

/// The shared resolution of user-given paths (`~`, `~user`, NUL refused, relative to a base);
/// see `UserPath.resolve(_:relativeTo:environment:)`. Re-exported for the kernel's CLI.
public typealias UserPaths = UserPath
