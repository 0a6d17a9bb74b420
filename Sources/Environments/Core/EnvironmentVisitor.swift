/// Work to do on an environment whose concrete type is known only at run time (from a name on the command
/// line). `EnvironmentRegistry.visit` calls `visit` with the concrete type, so the work is specialised for it
/// and its steps go through no existential.
public protocol EnvironmentVisitor {
    associatedtype Result
    func visit<E: Environment>(_ environment: E) throws -> Result
}
