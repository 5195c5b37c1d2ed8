package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PopGradCommandTest {

    static MainTest.Run run(String... args) {
        return MainTest.run(args);
    }

    static Stream<String> badInputs() {
        return Stream.of(
                "popgrad --n 40 --k 3",
                "popgrad --n 0 --k 1",
                "popgrad --n 10",
                "popgrad --n 10 --k 11",
                "popgrad --n 10 --k 3 --width 0",
                "popgrad --n 10 --k 3 --flip 1.5",
                "popgrad --n 10 --k 3 --flip NaN",
                "popgrad --n 10 --k 3 --init bogus",
                "popgrad --n 10 --k 3 --target bogus",
                "popgrad --n 10 --k 3 --loss bogus",
                "popgrad --n 10 --target majority",
                "popgrad --n 10 --k 3 --secret 1,2",
                "popgrad --n 10 --k 3 --repeat 0",
                "popgrad --n 10 --k 3 --kernels fast",
                "popgrad --n 10 --k 3 --steps -1",
                "popgrad --n 10 --k 3 --steps 5 --lr -1",
                "popgrad --n 30 --k 3 --width 100000000",
                "train --n 10 --k 3 --probe-every -1",
                "train --n 10 --k 3 --probe-neurons 0",
                "train --n 10 --k 3 --width 4 --probe-every 10 --probe-neurons 4");
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneLine(String line, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("o");
        String[] args = (line + " --out " + out).split(" ");
        MainTest.Run r = run(args);
        assertEquals(2, r.code(), r.err());
        List<String> err = r.err().lines().filter(s -> !s.startsWith("INFO") && !s.startsWith("WARNING")).toList();
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("bitsgd: "), r.err());
        assertFalse(Files.exists(out), "no partial output");
    }

    @Test
    void theoryCheckPrintsTheRatio(@TempDir Path dir) throws Exception {
        MainTest.Run r = run("popgrad", "--n", "15", "--secret", "0,5", "--init", "sign", "--loss", "correlation", "--width", "2",
                "--json", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(n−k)/(k−1) = 13.00000000"), r.out());
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> m = Json.parse(last);
        assertEquals(15, ((Number) m.get("n")).intValue());
        double on = ((Number) m.get("grad_on_s_mean_abs")).doubleValue(), off = ((Number) m.get("grad_off_s_mean_abs")).doubleValue();
        assertEquals(13.0, on / off, 1e-9);
        assertTrue(Files.readString(dir.resolve("gradient.csv")).startsWith("i,in_s,j,d_w\n0,1,0,"));
        assertEquals(15 * 2 + 1, Files.readAllLines(dir.resolve("gradient.csv")).size());
        assertTrue(Files.exists(dir.resolve("popgrad.json")));
    }

    /** --steps T measures the net a train run has after T steps: the probe's reading at that step. */
    @Test
    void stepsMatchesTrainProbes(@TempDir Path dir) throws Exception {
        MainTest.Run t = run("train", "--n", "10", "--k", "2", "--width", "8", "--max-steps", "40", "--no-stop-on-solve", "--probe-every", "40",
                "--seed", "3", "--out", dir.toString());
        assertEquals(0, t.code(), t.err());
        double popLoss = Double.parseDouble(Csv.read(dir.resolve("probes.csv")).values("pop_loss").get(1));
        MainTest.Run p = run("popgrad", "--n", "10", "--k", "2", "--width", "8", "--steps", "40", "--seed", "3", "--json");
        assertEquals(0, p.code(), p.err());
        Map<String, Object> m = Json.parse(p.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(popLoss, ((Number) m.get("pop_loss")).doubleValue(), 0.0);
    }

    @Test
    void trainWritesProbes(@TempDir Path dir) throws Exception {
        MainTest.Run r = run("train", "--n", "10", "--k", "2", "--width", "8", "--max-steps", "200", "--no-stop-on-solve", "--probe-every", "50",
                "--random-labels", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("probes  5 readings"), r.out());
        List<String> lines = Files.readAllLines(dir.resolve("probes.csv"));
        assertEquals(6, lines.size());
        assertTrue(lines.get(0).contains("gap_overall"));
        Map<String, Object> m = Json.parse(Files.readString(dir.resolve("result.json")));
        assertEquals(Boolean.TRUE, m.get("random_labels"));
    }
}
