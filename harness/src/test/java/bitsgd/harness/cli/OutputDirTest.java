package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --out is checked the same way by every command, before any work: the same message and exit 2 for the same mistake. */
class OutputDirTest {

    static final String TINY = """
            {"name": "tiny", "fixed": {"k": 2, "width": 8, "batch": 16, "lr": 1, "eval_every": 5, "eval_samples": 128},
             "grid": {"n": [6]}, "seeds": 1, "budget": 200}
            """;

    /** Every command that takes --out, each with the arguments it needs besides --out. */
    static List<List<String>> commands(Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("tiny.json"), TINY);
        Path sweep = tmp.resolve("sweep");
        SweepRunner.run(SweepSpec.parse(TINY, null), sweep, new SweepRunner.Options(1, Shards.Shard.ALL, ProgressMode.NONE, Map.of()),
                new PrintWriter(new StringWriter()));
        Path run = tmp.resolve("run");
        assertEquals(0, MainTest.run("train", "--n", "6", "--k", "2", "--width", "8", "--max-steps", "50", "--out", run.toString()).code());
        return List.of(
                List.of("train", "--n", "6", "--k", "2"),
                List.of("sweep", spec.toString(), "--progress", "none"),
                List.of("merge", sweep.toString()),
                List.of("summarize", sweep.toString()),
                List.of("plot", sweep.toString()),
                List.of("reproduce", "finding1", "--quick"),
                List.of("popgrad", "--n", "4", "--k", "2", "--width", "4"),
                List.of("trace", "--n", "6", "--k", "2", "--width", "4", "--steps", "2"),
                List.of("validate", "--cases", "1"),
                List.of("plot-run", "--run", run.toString()),
                List.of("profile", "--shapes", "6,2,4,4", "--solve-shapes", "none", "--rounds", "1", "--round-seconds", "0.01"));
    }

    static MainTest.Run withOut(List<String> cmd, String out) {
        List<String> a = new ArrayList<>(cmd);
        a.addAll(List.of("--out", out));
        return MainTest.run(a.toArray(String[]::new));
    }

    @Test
    void anEmptyOrUnwritableOutIsTheSameUsageErrorInEveryCommand(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path under = file.resolve("sub");   // cannot be made: its parent is a file
        for (List<String> cmd : commands(tmp)) {
            MainTest.Run empty = withOut(cmd, "");
            assertEquals(Main.USAGE, empty.code(), cmd + ": " + empty.err());
            // "" would be the current directory: refused rather than writing there
            assertEquals(List.of("bitsgd: --out is empty: give a path (. for the current directory)"), empty.errLines(), cmd.toString());

            MainTest.Run bad = withOut(cmd, under.toString());
            assertEquals(Main.USAGE, bad.code(), cmd + ": " + bad.err());
            assertEquals(List.of("bitsgd: cannot write to --out " + under + ": Not a directory"), bad.errLines(), cmd.toString());
            assertEquals("", bad.out(), cmd + " worked before checking --out");
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void reproduceNamesEveryPresetWhenItDoesNotKnowOne() {
        MainTest.Run r = MainTest.run("reproduce", "nosuch");
        assertEquals(Main.USAGE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        for (String name : List.of("finding1", "scaling-relu100", "width", "noisy", "grokking", "leap", "hidden-progress", "staircase")) {
            assertTrue(r.err().contains(name), name + " missing: " + r.err());
        }
        assertFalse(r.err().contains("\n\n"));
    }
}
