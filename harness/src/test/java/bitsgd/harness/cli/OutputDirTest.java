package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** --out is checked the same way by every command, before any work: the same message and exit 2 for the same mistake. */
class OutputDirTest {

    static final String TINY = """
            {"name": "tiny", "fixed": {"k": 2, "width": 8, "batch": 16, "lr": 1, "eval_every": 5, "eval_samples": 128},
             "grid": {"n": [6]}, "seeds": 1, "budget": 200}
            """;

    /** A finished sweep and a finished train run, the inputs of merge, summarize, plot and plot-run. */
    @TempDir
    static Path inputs;

    static Map<String, List<String>> commands;

    @BeforeAll
    static void prepareInputs() throws Exception {
        Path spec = Files.writeString(inputs.resolve("tiny.json"), TINY);
        Path sweep = inputs.resolve("sweep");
        SweepRunner.run(SweepSpec.parse(TINY, null), sweep, new SweepRunner.Options(1, Shards.Shard.ALL, ProgressMode.NONE, Map.of()),
                new PrintWriter(new StringWriter()));
        Path run = inputs.resolve("run");
        assertEquals(0, MainTest.run("train", "--n", "6", "--k", "2", "--width", "8", "--max-steps", "50", "--out", run.toString()).code());
        commands = Map.ofEntries(
                Map.entry("train", List.of("train", "--n", "6", "--k", "2")),
                Map.entry("sweep", List.of("sweep", spec.toString(), "--progress", "none")),
                Map.entry("merge", List.of("merge", sweep.toString())),
                Map.entry("summarize", List.of("summarize", sweep.toString())),
                Map.entry("plot", List.of("plot", sweep.toString())),
                Map.entry("reproduce", List.of("reproduce", "finding1", "--quick")),
                Map.entry("popgrad", List.of("popgrad", "--n", "4", "--k", "2", "--width", "4")),
                Map.entry("trace", List.of("trace", "--n", "6", "--k", "2", "--width", "4", "--steps", "2")),
                Map.entry("validate", List.of("validate", "--cases", "1")),
                Map.entry("plot-run", List.of("plot-run", "--run", run.toString())),
                Map.entry("profile", List.of("profile", "--shapes", "6,2,4,4", "--solve-shapes", "none", "--rounds", "1", "--round-seconds", "0.01")));
    }

    /** Every subcommand that takes --out. */
    static Stream<String> commandsTakingOut() {
        return Stream.of(Main.Subcommand.values()).filter(s -> s.options().options.stream().anyMatch(o -> o.name.equals("--out"))).map(s -> s.command);
    }

    static MainTest.Run withOut(String command, String out) {
        List<String> a = new ArrayList<>(commands.get(command));
        a.addAll(List.of("--out", out));
        return MainTest.run(a.toArray(String[]::new));
    }

    @Test
    void everyCommandTakingOutIsCheckedHere() {
        assertEquals(new TreeSet<>(commands.keySet()), commandsTakingOut().collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest
    @MethodSource("commandsTakingOut")
    void anEmptyOutIsRefusedNotTheCurrentDirectory(String command) {
        MainTest.Run empty = withOut(command, "");
        assertEquals(Main.USAGE, empty.code(), empty.err());
        assertEquals(List.of("bitsgd: --out is empty: give a path (. for the current directory)"), empty.errLines());
        assertEquals("", empty.out());
    }

    @ParameterizedTest
    @MethodSource("commandsTakingOut")
    void anOutUnderARegularFileIsExit2WithOneLineNamingThePathBeforeAnyWork(String command, @TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path under = file.resolve("sub");   // cannot be made: its parent is a file
        MainTest.Run bad = withOut(command, under.toString());
        assertEquals(Main.USAGE, bad.code(), bad.err());
        assertEquals(List.of("bitsgd: cannot write to --out " + under + ": Not a directory"), bad.errLines());
        assertEquals("", bad.out(), "worked before checking --out");
        assertEquals("x", Files.readString(file));

        MainTest.Run isFile = withOut(command, file.toString());
        assertEquals(Main.USAGE, isFile.code(), isFile.err());
        assertEquals(List.of("bitsgd: --out " + file + " exists and is not a directory"), isFile.errLines());
        assertEquals("x", Files.readString(file));
    }

    /** /proc takes no new entries, even from root: an unwritable --out wherever the tests run. */
    @ParameterizedTest
    @MethodSource("commandsTakingOut")
    void anOutUnderProcIsExit2WithOneLineNamingThePathAndTheCause(String command) {
        Path proc = Path.of("/proc/bitsgd-test/out");
        MainTest.Run bad = withOut(command, proc.toString());
        assertEquals(Main.USAGE, bad.code(), bad.err());
        assertEquals(List.of("bitsgd: cannot write to --out " + proc + ": No such file or directory"), bad.errLines());
        assertEquals("", bad.out());
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
