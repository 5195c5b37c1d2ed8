package bitsgd.harness.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes whole files so readers see either the old file or the complete new one, never a part. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes to a temp file in the same directory, then renames it over {@code target}
     * ({@code ATOMIC_MOVE}; fails rather than falling back to a copy). The temp file is created
     * with the process umask (not {@code createTempFile}'s owner-only mode), so results stay readable.
     */
    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #write(Path, String)}, for bytes (PNG images). */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
