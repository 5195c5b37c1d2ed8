package bitsgd.harness.io;

import bitsgd.harness.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
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
        InFlight.add(tmp);
        try {
            Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + reason(e), e);
        } finally {
            deleteQuietly(tmp);
            InFlight.remove(tmp);
        }
    }

    /**
     * Makes {@code dir} (and its missing parents) an output directory and proves it writable before any work: writes a
     * one-byte probe file there and deletes it. On failure the directories it created are removed again and a
     * {@link UsageException} names {@code what} (e.g. {@code --out}), the directory and the cause.
     */
    public static Path writableDirectory(Path dir, String what) {
        if (dir.toString().isEmpty()) throw new UsageException(what + " is empty: give a directory (. for the current one)");
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

    /** Temp files being written now; on SIGTERM or SIGINT the JVM's shutdown deletes them (kill -9 cannot be caught). */
    private static final class InFlight {
        private static final Set<Path> FILES = ConcurrentHashMap.newKeySet();

        static {
            // a plain Runnable, no lambda: train --out writes files on the cold path
            Runnable cleanup = new Runnable() {
                @Override
                public void run() {
                    for (Path p : FILES) deleteQuietly(p);
                }
            };
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "bitsgd-temp-cleanup"));
            } catch (IllegalStateException shuttingDown) {
                // first write during shutdown: its own finally still deletes the temp file
            }
        }

        static void add(Path p) {
            FILES.add(p);
        }

        static void remove(Path p) {
            FILES.remove(p);
        }
    }
}
