package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a given size mounted on a test's directory (needs root, or CAP_SYS_ADMIN): a real full disk. Where mounting
 * is impossible the test is skipped with the reason. tmpfs counts whole 4 KiB pages per file and nothing for directories,
 * so a size in pages decides exactly how many small files fit.
 */
final class Tmpfs implements AutoCloseable {
    static final int PAGE = 4096;

    final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code pages} pages on {@code dir} (an empty directory), or skips the test saying why not. */
    static Tmpfs mount(Path dir, int pages) throws IOException, InterruptedException {
        String err = run("mount", "-t", "tmpfs", "-o", "size=" + pages * PAGE, "tmpfs", dir.toString());
        assumeTrue(err == null, "cannot mount a tmpfs here, so no real full disk to test on: " + err);
        return new Tmpfs(dir);
    }

    /** Gives the file system {@code pages} pages in all (e.g. room to resume after a full disk). */
    void resize(int pages) throws IOException, InterruptedException {
        String err = run("mount", "-o", "remount,size=" + pages * PAGE, dir.toString());
        if (err != null) throw new IOException("remount failed: " + err);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String err = run("umount", dir.toString());
        if (err != null && run("umount", "-l", dir.toString()) != null) throw new IOException("umount " + dir + " failed: " + err);
    }

    /** Null when the command succeeded, else what it said (or why it could not start). */
    private static String run(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " timed out";
            }
            return p.exitValue() == 0 ? null : String.join(" ", cmd) + ": " + (out.isEmpty() ? "exit " + p.exitValue() : out);
        } catch (IOException e) {
            return String.join(" ", cmd) + ": " + e.getMessage();
        }
    }
}
