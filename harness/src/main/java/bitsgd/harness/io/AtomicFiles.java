package bitsgd.harness.io;

import bitsgd.harness.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every file bitsgd writes goes through here. Writes whole files so readers see either the old file or the complete
 * new one, never a part; a failed write leaves no temp file behind and says which file and why
 * ({@code cannot write DIR/result.json: No space left on device}).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes to a temp file in the same directory, then renames it over {@code target}
     * ({@code ATOMIC_MOVE}; fails rather than falling back to a copy). The temp file is created
     * with the process umask (not {@code createTempFile}'s owner-only mode), so results stay readable.
     *
     * @throws IOException whose message is one line naming {@code target} and the cause
     */
    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #write(Path, String)}, for bytes (PNG images). */
    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tempName(target.toAbsolutePath().getParent(), "." + target.getFileName());
        InFlight.LOCK.readLock().lock();
        try {
            if (InFlight.stopped) throw new IOException("cannot write " + target + ": the process is stopping (a signal)");
            InFlight.FILES.add(tmp);
            try {
                Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": " + reason(e), e);
            } finally {
                deleteQuietly(tmp);
                InFlight.FILES.remove(tmp);
            }
        } finally {
            InFlight.LOCK.readLock().unlock();
        }
    }

    /**
     * On the JVM's shutdown (SIGTERM, SIGINT): lets the writes in flight finish (each is quick; a whole file or none),
     * then refuses every later one, so no temp file is left behind and what is on disk stays put while the process ends.
     * A write stuck longer than a few seconds (a hung network file system) has its temp file removed instead.
     */
    public static synchronized void stopWrites() {
        if (InFlight.stopped) return;
        boolean settled = false;
        try {
            settled = InFlight.LOCK.writeLock().tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            InFlight.stopped = true;
            for (Path p : InFlight.FILES) deleteQuietly(p);
        } finally {
            if (settled) InFlight.LOCK.writeLock().unlock();
        }
    }

    /** True once {@link #stopWrites} ran: the JVM is ending on a signal. */
    public static boolean stopping() {
        return InFlight.stopped;
    }

    /**
     * Makes {@code dir} (and its missing parents) an output directory and proves it writable before any work: writes a
     * one-byte probe file there and deletes it. On failure the directories it created are removed again and a
     * {@link UsageException} names {@code what} (e.g. {@code --out}), the directory and the cause.
     */
    public static Path writableDirectory(Path dir, String what) {
        if (dir.toString().isEmpty()) throw new UsageException(what + " is empty: give a path (. for the current directory)");
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UsageException(what + " " + dir + " exists and is not a directory");
        List<Path> created = new ArrayList<>();   // deepest last; only what was confirmed absent, so nothing else is removed
        for (Path p = dir.toAbsolutePath().normalize(); p != null && Files.notExists(p); p = p.getParent()) created.addFirst(p);
        Path probe = null;
        try {
            Files.createDirectories(dir);
            if (!Files.isDirectory(dir)) throw new NotDirectoryException(dir.toString());
            probe = tempName(dir, ".bitsgd-probe");
            Files.write(probe, new byte[] {'\n'}, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.delete(probe);
            return dir;
        } catch (IOException e) {
            if (probe != null) deleteQuietly(probe);
            for (Path p : created.reversed()) deleteQuietly(p);
            throw new UsageException("cannot write to " + what + " " + dir + ": " + reason(e));
        }
    }

    /** {@link Files#createDirectories}, failing with a message that names {@code dir} and the cause. */
    public static Path createDirectories(Path dir) throws IOException {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create " + dir + ": " + reason(e), e);
        }
    }

    /** The cause of an I/O failure as the system says it ("No space left on device"), without the path. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) return f.getReason();
            if (e instanceof NoSuchFileException) return "No such file or directory";
            if (e instanceof AccessDeniedException) return "Permission denied";
            if (e instanceof FileAlreadyExistsException) return "File exists";
            if (e instanceof NotDirectoryException) return "Not a directory";
            if (e instanceof DirectoryNotEmptyException) return "Directory not empty";
            return e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Removes the temp files in {@code dir} left by writers that are gone (kill -9, power loss): named as
     * {@link #tempName} names them, by a process that no longer runs. They never count as results; this only tidies.
     */
    public static void removeStaleTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : temps) {
                String[] parts = p.getFileName().toString().split("\\.");
                if (parts.length < 4) continue;   // ["", name..., pid, hex, "tmp"]
                long pid;
                try {
                    pid = Long.parseLong(parts[parts.length - 3]);
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) deleteQuietly(p);
            }
        }
    }

    /** {@code dir/<prefix>.<pid>.<random hex>.tmp}: never a record's name, and unique across processes and threads. */
    private static Path tempName(Path dir, String prefix) {
        return dir.resolve(prefix + "." + ProcessHandle.current().pid() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the write's own failure is the one to report; a temp file never looks like a result
        }
    }

    /** The writes in flight (their temp files) and, once the JVM shuts down, the refusal of new ones. */
    private static final class InFlight {
        private static final Set<Path> FILES = ConcurrentHashMap.newKeySet();
        /** Writers share it; {@link #stopWrites} takes it alone, so it sees no write half done. */
        private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();
        private static volatile boolean stopped;

        static {
            // a plain Runnable, no lambda: train --out writes files on the cold path
            Runnable stop = new Runnable() {
                @Override
                public void run() {
                    stopWrites();
                }
            };
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(stop, "bitsgd-stop-writes"));
            } catch (IllegalStateException shuttingDown) {
                // first write during shutdown: its own finally still deletes the temp file
            }
        }
    }
}
