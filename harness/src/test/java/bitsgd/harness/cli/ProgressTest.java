package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.train.CurvePoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress goes to stderr only, as --progress says; stdout keeps the results, the run's header first. */
class ProgressTest {

    @Test
    void trainStreamsOneJsonObjectPerCheckOnStderr() {
        MainTest.Run r = MainTest.run("train", "--n", "10", "--k", "2", "--width", "16", "--max-steps", "700", "--no-stop-on-solve",
                "--progress", "jsonl");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(7, lines.size(), r.err());   // a check every 100 steps
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> m = Json.parse(lines.get(i));
            assertEquals(100L * (i + 1), ((Number) m.get("step")).longValue());
            assertTrue(((Number) m.get("eval_accuracy")).doubleValue() >= 0);
            assertTrue(m.containsKey("loss") && m.containsKey("seconds"), lines.get(i));
        }
        assertTrue(r.out().startsWith("task    parity n=10 k=2"), r.out());
        assertFalse(r.out().contains("{\"step\""), "progress never on stdout");
    }

    @Test
    void shortRunsShowNoLinesAndNoneShowsNothing() {
        for (String mode : List.of("auto", "lines", "bar", "none")) {
            MainTest.Run r = MainTest.run("train", "--n", "10", "--k", "2", "--max-steps", "200", "--progress", mode);
            assertEquals(0, r.code(), r.toString());
            assertEquals("", r.err(), mode + ": a run that ends in the first half second prints no progress");
        }
    }

    @Test
    void aBarIsRedrawnInPlaceAndEndsItsLine() {
        StringWriter err = new StringWriter();
        TrainProgress p = new TrainProgress(ProgressMode.BAR, new PrintWriter(err), 1000);
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 700_000_000L) Thread.onSpinWait();   // the bar waits half a second
        p.accept(new CurvePoint(250, 0.9, 0.6, 1000, true));
        p.close();
        String s = err.toString();
        assertTrue(s.startsWith("\rtrain  25% [======>"), s);
        assertTrue(s.contains("step 250/1000, eval accuracy 0.6000, loss 0.9000"), s);
        assertTrue(s.endsWith(System.lineSeparator()), s);
    }

    /** Checks far apart (a large n): the watcher draws the step count and the time left before the first check. */
    @Test
    void theWatcherShowsStepsBetweenChecks() throws InterruptedException {
        StringWriter err = new StringWriter();
        TrainProgress p = new TrainProgress(ProgressMode.BAR, new PrintWriter(err), 40);
        java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
        p.watch(steps::get);
        steps.set(10);
        long t0 = System.nanoTime();
        while (!err.toString().contains("step 10/40") && System.nanoTime() - t0 < 20_000_000_000L) Thread.sleep(50);
        p.close();
        String s = err.toString();
        assertTrue(s.startsWith("\rtrain  25% [======>"), s);
        assertTrue(s.contains("step 10/40, no check yet, "), s);
        assertTrue(s.matches("(?s).*steps/s, elapsed \\d+s, at most \\d+s to go.*"), s);
        assertTrue(s.endsWith(System.lineSeparator()), s);
        int drawn = s.length();
        steps.set(20);
        Thread.sleep(1500);
        assertEquals(drawn, err.toString().length(), "a closed display draws nothing more");
    }

    @Test
    void aSweepStreamsOneJsonObjectPerRun(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("s.json");
        Files.writeString(spec, """
                {"name": "s", "fixed": {"n": 6, "k": 2, "width": 8, "eval_every": 50, "eval_samples": 256},
                 "grid": {"lr": [0.5, 0.25]}, "seeds": 2, "budget": 100}""");
        MainTest.Run r = MainTest.run("sweep", spec.toString(), "--out", tmp.resolve("out").toString(), "--progress", "jsonl", "--threads", "2");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(4, lines.size(), r.err());
        for (String l : lines) {
            Map<String, Object> m = Json.parse(l);
            assertEquals(4, ((Number) m.get("total")).intValue());
            assertTrue(m.containsKey("config_index") && m.containsKey("seed") && m.containsKey("solved"), l);
        }
        assertEquals(4, ((Number) Json.parse(lines.getLast()).get("done")).intValue());
    }
}
