package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a running sweep: one line saying where it stopped, no temp file, and the same command finishes the sweep. */
class SweepSignalTest {

    /** 20 runs that do not solve within the budget (~0.25 s each on one thread): still busy when the first record appears. */
    static final String LONG = """
            {"name": "long",
             "fixed": {"k": 5, "width": 32, "batch": 32, "lr": 0.05, "eval_every": 500, "eval_samples": 256},
             "grid": {"n": [24, 30]},
             "seeds": 10,
             "budget": 5000}
            """;

    @Test
    void sigtermSaysWhereTheSweepStoppedAndTheSameCommandResumesIt(@TempDir Path tmp) throws Exception {
        Path specFile = Files.writeString(tmp.resolve("long.json"), LONG);
        Path out = tmp.resolve("out"), errLog = tmp.resolve("err.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "sweep", specFile.toString(), "--out", out.toString(), "--threads", "1", "--progress", "none")
                .redirectError(errLog.toFile()).redirectOutput(tmp.resolve("out.log").toFile()).start();
        try {
            // wait (not a timing assertion) for the first record, so the signal comes mid-sweep with work on disk
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive() && Records.readAll(out).isEmpty()) Thread.sleep(10);
            assertTrue(p.isAlive(), "the sweep ended before the signal");
            p.destroy();   // SIGTERM on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(143, p.exitValue(), "exit by SIGTERM");
        // without the launcher the JVM's own incubator-module warning comes first
        List<String> err = Files.readAllLines(errLog).stream().filter(l -> !l.startsWith("WARNING: Using incubator") && !l.isBlank()).toList();
        assertEquals(1, err.size(), String.join("\n", err));
        Matcher said = Pattern.compile("bitsgd: sweep long: stopped by a signal after (\\d+) of 20 runs; the records written stay valid,"
                + " run the same command again to resume").matcher(err.getFirst());
        assertTrue(said.matches(), err.getFirst());
        assertEquals(Integer.parseInt(said.group(1)), Records.readAll(out).size(), "the line counts the records on disk");
        assertEquals(List.of(), FullDiskTest.tempFiles(out));

        // the same command again: runs only what is missing, and the records equal those of one uninterrupted sweep
        SweepSpec spec = SweepSpec.parse(LONG, null);
        int before = Records.readAll(out).size();
        var resumed = SweepTest.run(spec, out, 2, Shards.Shard.ALL);
        assertEquals(before, resumed.skipped());
        assertEquals(20 - before, resumed.ran());
        SweepTest.run(spec, tmp.resolve("whole"), 2, Shards.Shard.ALL);
        assertEquals(SweepTest.deterministic(tmp.resolve("whole")), SweepTest.deterministic(out));
    }
}
