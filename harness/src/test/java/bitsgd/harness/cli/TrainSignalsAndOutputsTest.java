package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single run under signals and bad output directories: one line, nothing half-written, found before training. */
class TrainSignalsAndOutputsTest {

    /** A training JVM on a run that never ends by itself, stdout to tmp/out.log and stderr to tmp/err.log. */
    private static Process endlessRun(Path tmp, String... more) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--n", "30", "--k", "5", "--max-steps", "1000000000", "--no-stop-on-solve", "--progress", "none"));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectError(tmp.resolve("err.log").toFile()).redirectOutput(tmp.resolve("out.log").toFile()).start();
    }

    /** SIGTERM to a training JVM: one line naming the step, exit by the signal, and the --out it created gone again. */
    @Test
    void sigtermStopsARunWithOneLineAndLeavesNoEmptyOutDir(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run"), log = tmp.resolve("err.log");
        Process p = endlessRun(tmp, "--out", out.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // the header is printed before training starts: wait for it, then a little training
        while (System.nanoTime() < deadline && !Files.readString(tmp.resolve("out.log")).contains("model ")) Thread.sleep(20);
        Thread.sleep(300);
        assertTrue(p.isAlive(), "the run ended before the signal");
        p.destroy();   // SIGTERM on Unix
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), "exit by SIGTERM");
        // without the launcher the JVM's own incubator-module warning comes first
        String err = String.join("\n", Files.readAllLines(log).stream().filter(l -> !l.startsWith("WARNING: Using incubator")).toList()).strip();
        assertTrue(err.matches("bitsgd: train stopped by a signal at step \\d+ of 1000000000; no result written"), err);
        assertFalse(Files.exists(out), "the --out this run created is removed when empty");
    }

    /** SIGTERM to a run that checkpoints: the last checkpoint stays whole, the line says how to continue, and --resume does. */
    @Test
    void aSignalledRunWithCheckpointsCanBeResumed(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run"), log = tmp.resolve("err.log");
        Process p = endlessRun(tmp, "--eval-every", "500", "--eval-samples", "256", "--checkpoint-every", "500", "--out", out.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Path checkpoint = out.resolve("checkpoint.npz");
        while (System.nanoTime() < deadline && !Files.exists(checkpoint)) Thread.sleep(20);
        Thread.sleep(200);   // checkpoints keep being replaced while the signal arrives
        assertTrue(p.isAlive(), "the run ended before the signal");
        p.destroy();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), "exit by SIGTERM");
        String err = String.join("\n", Files.readAllLines(log).stream().filter(l -> !l.startsWith("WARNING: Using incubator")).toList()).strip();
        assertTrue(err.matches("bitsgd: train stopped by a signal at step \\d+ of 1000000000; no result written; continue from the last"
                + " checkpoint with: bitsgd train --resume .*run"), err);
        try (var files = Files.list(out)) {
            assertEquals(List.of("checkpoint.npz"), files.map(f -> f.getFileName().toString()).toList(), "one whole checkpoint, no temp file");
        }
        long step = Checkpoints.read(checkpoint).state().step();
        MainTest.Run r = MainTest.run("train", "--resume", out.toString(), "--max-steps", String.valueOf(step + 1000));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resume  from step " + step), r.out());
        assertTrue(Files.exists(out.resolve("result.json")) && Files.exists(out.resolve("model.npz")));
    }

    /** An --out it cannot write (read-only for a user; under /proc even for root) is refused before any step: exit 2, one line. */
    @Test
    void anUnwritableOutIsFoundBeforeTraining(@TempDir Path tmp) throws IOException {
        Path ro = Files.createDirectory(tmp.resolve("ro"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        boolean root = "root".equals(System.getProperty("user.name"));
        for (Path out : root ? new Path[] {Path.of("/proc/bitsgd-test/run")} : new Path[] {ro, Path.of("/proc/bitsgd-test/run")}) {
            MainTest.Run r = MainTest.run("train", "--n", "20", "--k", "3", "--max-steps", "100000000", "--no-stop-on-solve",
                    "--out", out.toString());
            assertEquals(Main.USAGE, r.code(), r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(out.toString()), "names the path: " + r.err());
            assertEquals("", r.out(), "refused before the run's header");
        }
    }

    /** Runs too large for the heap are refused up front with the estimate, for every architecture and data size. */
    @Test
    void runsTooLargeForTheHeapAreRefusedUpFront(@TempDir Path tmp) {
        // a training set of bits twice this JVM's heap: refused whatever the machine's memory (a fixed size fits a large heap)
        long twiceTheHeap = 2 * Runtime.getRuntime().maxMemory() / (8L * ((100000 + 63) / 64));
        for (String args : new String[] {"--n 100 --k 3 --arch resnet --depth 3 --width 40000", "--n 100 --k 3 --arch resnet --depth 50 --width 6000",
            "--n 100 --k 3 --train-size 1000000000", "--n 100000 --k 3 --train-size " + twiceTheHeap}) {
            Path out = tmp.resolve("x");
            String[] cmd = ("train " + args + " --out " + out).split(" ");
            MainTest.Run r = MainTest.run(cmd);
            assertEquals(Main.USAGE, r.code(), args + " -> " + r);
            assertTrue(r.err().contains("GiB") || r.err().contains("too large"), r.err());
            assertFalse(Files.exists(out), args + ": nothing written");
        }
    }

    /** A trace too large to write (every batch's bits as JSON) is refused before any work, with its size; the estimate is honest. */
    @Test
    void aTraceTooLargeToWriteIsRefusedUpFrontWithItsSize(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("t");
        MainTest.Run r = MainTest.run("trace", "--n", "10000", "--k", "3", "--width", "10000", "--batch", "1000", "--steps", "100000",
                "--out", out.toString());
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().startsWith("bitsgd: trace.json would be about 332 GB"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "nothing written");

        MainTest.Run small = MainTest.run("trace", "--n", "100", "--k", "3", "--width", "20", "--batch", "50", "--steps", "150",
                "--out", out.toString());
        assertEquals(Main.OK, small.code(), small.toString());
        long actual = Files.size(out.resolve("trace.json"));
        long estimated = TraceCommand.estimatedBytes(ProblemOptions.read(TraceCommand.OPTIONS.parse(new String[] {
            "--n", "100", "--k", "3", "--width", "20", "--batch", "50", "--out", out.toString()}, 0)).toConfig(), 150);
        assertTrue(Math.abs(estimated - actual) < 0.25 * actual, "estimate " + estimated + " vs " + actual + " bytes");
    }
}
