package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.cli.Main;
import bitsgd.harness.io.DirLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output dir: a second sweep (or merge) into a dir another process is writing is refused at once. */
class SweepLockTest {

    /** Run in a second JVM: takes the lock of args[0] as a sweep does, says "locked", holds it until stdin closes. */
    public static void main(String[] args) throws IOException {
        try (DirLock lock = DirLock.acquire(Path.of(args[0]), "sweep", null)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }

    /** How the holder lets go: it finishes (closes the lock), or kill -9 (the OS drops the lock of a dead process). */
    enum HolderEnds { EXITS, KILLED_BY_SIGKILL }

    @ParameterizedTest
    @EnumSource(HolderEnds.class)
    void aSecondProcessIsRefusedWhileTheFirstHoldsTheDirAndRunsOnceItIsGone(HolderEnds ends, @TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("tiny.json"), SweepTest.TINY);
        Path out = Files.createDirectories(tmp.resolve("out"));
        String java = ProcessHandle.current().info().command().orElse("java");
        // file locks belong to a process: the holder must be another JVM, as a second `bitsgd sweep` would be
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SweepLockTest.class.getName(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", said.readLine());
            StringWriter o = new StringWriter(), e = new StringWriter();
            int code = Main.run(new PrintWriter(o), new PrintWriter(e), "sweep", spec.toString(), "--out", out.toString(), "--progress", "none");
            assertEquals(Main.USAGE, code, e.toString());
            assertEquals(List.of("bitsgd: another bitsgd process (sweep pid " + holder.pid() + ") is writing into " + out + " (it holds "
                    + out.resolve(DirLock.FILE) + "); wait for it to finish or give another --out"), e.toString().lines().toList());
            assertEquals("", o.toString());
            assertEquals(0, Records.readAll(out).size(), "the refused sweep ran nothing");
            // merge into the same dir is refused alike
            SweepRunner.prepare(SweepTest.tiny(), tmp.resolve("src"));
            var merge = assertThrows(UsageException.class, () -> Merge.merge(out, List.of(tmp.resolve("src"))));
            assertTrue(merge.getMessage().startsWith("another bitsgd process"), merge.getMessage());
        } finally {
            if (ends == HolderEnds.KILLED_BY_SIGKILL) holder.destroyForcibly();
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        if (ends == HolderEnds.KILLED_BY_SIGKILL) assertEquals(137, holder.exitValue(), "killed, not exited");
        // the holder is gone, and with it the lock: the same command now runs every run, once
        var r = SweepTest.run(SweepTest.tiny(), out, 2, Shards.Shard.ALL);
        assertEquals(12, r.ran());
    }

    @Test
    void twoSweepsInOneProcessAreRefusedToo(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        try (DirLock first = DirLock.acquire(out, "sweep", null)) {
            UsageException e = assertThrows(UsageException.class, () -> SweepTest.run(SweepTest.tiny(), out, 1, Shards.Shard.ALL));
            assertTrue(e.getMessage().contains("is writing into " + out), e.getMessage());
        }
        assertEquals(12, SweepTest.run(SweepTest.tiny(), out, 2, Shards.Shard.ALL).ran());
    }
}
