import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A journal file on disk, read and appended as Optuna's `JournalFileBackend` does it:
///
/// - reading hands over the complete lines appended since the last read, from the byte offset where that
///   read stopped, up to the size the file had when this one began; a last line without its newline is being
///   written and is left for the next read;
/// - appending takes the lock file, writes the line in one `write(2)` to a descriptor opened for this write
///   (so that network file systems revalidate the file's size), and releases the lock; a durable write is
///   flushed to disk before the release on network file systems, after it on local ones.
///
/// Not thread-safe: its storage calls it only under its own lock (hence the unchecked `Sendable`).
final class JournalFile: @unchecked Sendable {
    let path: String
    let lock: JournalFileLock
    /// Bytes of the complete lines handed over so far.
    private(set) var offset = 0
    /// Lines handed over so far.
    private(set) var lineCount = 0
    private var buffer: [UInt8] = []
    /// True when the journal is on a file system of this machine's disks (not a network one).
    let isLocal: Bool
    /// How much is read at once; a longer line is read whole.
    static let chunkSize = 1 << 20

    /// Receives one line, without its newline, and its number (from 1).
    typealias LineHandler = (UnsafeBufferPointer<UInt8>, Int) throws -> Void

    /// Opens the journal at `path`, creating an empty one when there is no file there (as Optuna does).
    init(path: String, lock: JournalFileLock) throws(StorageError) {
        self.path = path
        self.lock = lock
        isLocal = Self.isOnLocalFileSystem(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(errno, "cannot open the journal \(path)") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure(errno, "cannot read the journal \(path)") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .backend("the journal \(path) is not a regular file") }
    }

    /// Hands every complete line appended since the last call to `handle`, in file order. When `handle`
    /// throws, the line stays unread (the next call hands it over again) and the error propagates.
    func readNewLines(_ handle: LineHandler) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(errno, "cannot open the journal \(path)") }
        defer { close(descriptor) }
        _ = try readNewLines(from: descriptor, handle)
    }

    /// The end of a write: flushing it to disk (when durable) and closing its descriptor. On a local file
    /// system this is left to the caller, to do after releasing its own lock too, so that the flushes of
    /// several threads and processes overlap (the file system commits them together); `complete()` must be
    /// called exactly once.
    struct PendingFlush: Sendable {
        fileprivate let descriptor: Int32
        fileprivate let durable: Bool
        fileprivate let path: String

        static let none = PendingFlush(descriptor: -1, durable: false, path: "")

        func complete() throws(StorageError) {
            guard descriptor >= 0 else { return }
            var failure: StorageError?
            if durable, fsync(descriptor) != 0 { failure = JournalFile.failure(errno, "cannot flush the journal \(path) to disk") }
            if close(descriptor) != 0, failure == nil { failure = JournalFile.failure(errno, "cannot close the journal \(path)") }
            if let failure { throw failure }
        }
    }

    /// Appends `line` (which ends with a newline) while holding the lock. Under the lock it first hands the
    /// lines others appended to `handle` and runs `check` on the state they lead to: when `check` throws,
    /// nothing is written. `inPlace` is true when the line went right after those (the usual case): it counts
    /// as read, and the caller applies it itself; false when someone else appended meanwhile (without the
    /// lock, or after breaking it): then the file was read again, the line included, through `handle`.
    /// A network file system gets the data flushed before the lock is released (the next writer must find it
    /// on the server); on a local one the next writer sees it at once, and `flush` is left to the caller.
    func append(_ line: [UInt8], durable: Bool, handle: LineHandler, check: () throws -> Void) throws -> (inPlace: Bool, flush: PendingFlush) {
        try lock.acquire()
        var locked = true
        defer { if locked { lock.release() } }
        let descriptor = open(path, O_RDWR | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(errno, "cannot open the journal \(path) for writing") }
        var isOpen = true
        defer { if isOpen { close(descriptor) } }

        let size = try readNewLines(from: descriptor, handle)
        guard offset == size else {
            throw StorageError.invalidJournal(path: path, line: lineCount + 1, reason: "the last line has no newline at its end: a writer stopped while writing it. Remove that incomplete line to write to the journal again")
        }
        try check()

        var written = 0
        while written < line.count {
            let count = line.withUnsafeBytes { bytes in write(descriptor, bytes.baseAddress! + written, line.count - written) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                // Take back a partial line, unless something else was appended meanwhile.
                if written > 0, lseek(descriptor, 0, SEEK_END) == off_t(size + written) { _ = ftruncate(descriptor, off_t(size)) }
                throw StorageError.backend("cannot write to the journal \(path): \(String(cString: strerror(code)))")
            }
            written += count
        }
        let end = Int(lseek(descriptor, 0, SEEK_CUR))
        isOpen = false
        var flush = PendingFlush(descriptor: descriptor, durable: durable, path: path)
        var flushError: StorageError?
        if !isLocal {
            do { try flush.complete() } catch { flushError = error }
            flush = .none
        }
        lock.release()
        locked = false

        let inPlace = end == size + line.count
        if inPlace {
            offset = end
            lineCount += 1
        } else {
            do { try readNewLines(handle) } catch { try? flush.complete(); throw error }
        }
        if let flushError { throw flushError }
        return (inPlace, flush)
    }

    /// Reads from `descriptor` as `readNewLines(_:)` does; returns the file size the read went up to.
    private func readNewLines(from descriptor: Int32, _ handle: LineHandler) throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure(errno, "cannot read the journal \(path)") }
        let size = Int(info.st_size)
        guard size >= offset else {
            throw StorageError.backend("the journal \(path) has \(size) bytes, fewer than the \(offset) already read: it was truncated or replaced while open. Open it again")
        }
        var length = min(size - offset, Self.chunkSize)
        while offset < size {
            let start = offset
            if buffer.count < length { buffer = [UInt8](repeating: 0, count: max(length, buffer.count * 2)) }
            var filled = 0
            while filled < length {
                let count = buffer.withUnsafeMutableBytes { bytes in
                    pread(descriptor, bytes.baseAddress! + filled, length - filled, off_t(start + filled))
                }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    if count == 0 { throw StorageError.backend("the journal \(path) became shorter while it was read: it was truncated or replaced while open") }
                    throw Self.failure(errno, "cannot read the journal \(path)")
                }
                filled += count
            }
            var lineStart = 0
            try buffer.withUnsafeBufferPointer { bytes in
                let base = bytes.baseAddress!
                while lineStart < length, let found = memchr(base + lineStart, Int32(UInt8(ascii: "\n")), length - lineStart) {
                    let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    try handle(UnsafeBufferPointer(start: base + lineStart, count: newline - lineStart), lineCount + 1)
                    offset += newline - lineStart + 1
                    lineCount += 1
                    lineStart = newline + 1
                }
            }
            if lineStart == 0 {
                // A line being written starts as every journal line does; anything else never becomes one
                // (a database, a binary file), and is not read to its end to find that out.
                guard buffer[0] == UInt8(ascii: "{") else {
                    throw StorageError.invalidJournal(path: path, line: lineCount + 1, reason: "not JSON (the file's last line starts with \(String(format: "0x%02x", buffer[0])), not '{', and has no newline at its end)")
                }
                if start + length == size { break }  // the last line is still being written
                length = min(length * 2, size - start)
                continue
            }
            length = min(size - offset, Self.chunkSize)
        }
        return size
    }

    /// True for the local disk file systems of Linux (ext2-4, XFS, Btrfs, tmpfs, ZFS, F2FS, overlay), found in
    /// `/proc/self/mounts` by the journal's folder; false for any other (network ones included), and when in doubt.
    static func isOnLocalFileSystem(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return false }
        let directory = String(cString: resolved)
        free(resolved)
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return false }
        var best: (length: Int, type: Substring)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces and the like as octal (`\040`).
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let contains = point == "/" || directory == point || directory.hasPrefix(point + "/")
            if contains, point.count >= (best?.length ?? -1) { best = (point.count, fields[2]) }
        }
        guard let type = best?.type else { return false }
        return ["ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "overlay"].contains(type)
    }

    /// `what` failed with the error `code` (the caller's `errno`, taken before anything can change it).
    fileprivate static func failure(_ code: Int32, _ what: String) -> StorageError {
        .backend("\(what): \(String(cString: strerror(code)))")
    }
}
