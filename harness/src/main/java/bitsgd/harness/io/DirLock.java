package bitsgd.harness.io;

import bitsgd.harness.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on an output directory ({@code DIR/.bitsgd.lock}, an OS file lock): one process at a time writes
 * records there. A second one is refused at once rather than made to wait, so two sweeps never do every run twice and a
 * forgotten one never blocks silently. The OS drops the lock when its holder dies, even by kill -9; the file stays.
 */
public final class DirLock implements AutoCloseable {
    public static final String FILE = ".bitsgd.lock";

    /**
     * The lock files this JVM holds. An OS file lock guards against other processes only, and opening and closing a second
     * channel on the file here would drop this process's lock (POSIX), so a second taker in this JVM is refused from this set.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (an existing directory) for {@code what} ("sweep", "merge"); {@code log} (may be null)
     * gets the one warning line when the file system has no locks.
     *
     * @throws UsageException naming the directory when another process (or another sweep in this one) holds it
     * @throws IOException naming the lock file when it cannot be created
     */
    public static DirLock acquire(Path dir, String what, PrintWriter log) throws IOException {
        Path file = dir.resolve(FILE);
        Path key = dir.toRealPath().resolve(FILE);
        if (!HELD.add(key)) throw busy(dir, file, "another " + what + " in this process");
        FileChannel ch = null;
        try {
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new IOException("cannot write " + file + ": " + AtomicFiles.reason(e), e);
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;   // cannot happen with HELD; refuse rather than share
            } catch (IOException e) {
                // a file system without locks (some NFS or Lustre mounts): run unprotected rather than not at all
                if (log != null) {
                    log.println("bitsgd: warning: cannot lock " + file + " (" + AtomicFiles.reason(e) + "); nothing stops a second " + what
                            + " from writing into " + dir + " at the same time");
                    log.flush();
                }
                return new DirLock(key, ch, null);
            }
            if (l == null) {
                String holder = holder(ch);
                throw busy(dir, file, "another bitsgd process" + (holder.isEmpty() ? "" : " (" + holder + ")"));
            }
            note(ch, what);
            return new DirLock(key, ch, l);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (ch != null) ch.close();
            throw e;
        }
    }

    /** A usage error (exit 2), as any other unusable --out: nothing was done, and the same command works once the dir is free. */
    private static UsageException busy(Path dir, Path file, String who) {
        return new UsageException(who + " is writing into " + dir
                + " (it holds " + file + "); wait for it to finish or give another --out");
    }

    /** Writes who holds the lock into the file, for the message of the one refused; a full disk must not stop the holder. */
    private static void note(FileChannel ch, String what) {
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((what + " pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException ignored) {
            // the lock itself is held; the note is a courtesy
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(200);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock != null) lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(key);
            }
        }
    }
}
