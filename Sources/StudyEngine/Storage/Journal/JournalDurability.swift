/// When a journal write is forced to disk (`fsync`). Other processes see every write at once in any mode
/// (it is in the file when the lock is released); this only decides what survives a crash of the machine
/// or the loss of its power. A crash of a process loses nothing in any mode.
public enum JournalDurability: Sendable, Hashable {
    /// After every write, as Optuna's `JournalFileBackend` does: nothing acknowledged is ever lost, and each
    /// write costs a disk flush.
    case everyWrite
    /// After the writes that finish a trial, change a study, or add a trial from a template (enqueued or
    /// imported); the writes of a running trial (its parameters, intermediate values and attributes) are
    /// flushed with the next of those. A machine crash can lose only what running trials had recorded, which
    /// their crash loses anyway.
    case finishedTrials
    /// Never: the operating system writes the file back when it likes.
    case none
}
