package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.Machine;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.VectorMlpKernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {

    record Run(int code, String out, String err) {
        List<String> outLines() { return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R")); }
        List<String> errLines() { return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R")); }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Stream<String> badInputs() {
        return Stream.of(
                "--n 3 --k 5",
                "--n 0 --k 1",
                "--n -4 --k 1",
                "--n 20 --k 0",
                "--n 20",
                "--k 3",
                "--n 20 --k 3 --width 0",
                "--n 20 --k 3 --width -1",
                "--n 20 --k 3 --batch 0",
                "--n 20 --k 3 --lr NaN",
                "--n 20 --k 3 --lr Infinity",
                "--n 20 --k 3 --lr -Infinity",
                "--n 20 --k 3 --lr -0.1",
                "--n 20 --k 3 --lr 1e300",
                "--n 20 --k 3 --wd NaN",
                "--n 20 --k 3 --bogus",
                "--n 20 --k 3 --bogus 7",
                "--n abc --k 3",
                "--n 20 --k 3 --lr 0.1x",
                "--n 20 --k 3 --optimizer rmsprop",
                "--n 20 --k 3 --optimizer adam --momentum 0.9",
                "--n 20 --k 3 --optimizer momentum --beta1 0.9",
                "--n 20 --k 3 --momentum 0.9",
                "--n 20 --k 3 --optimizer adam --eps 0",
                "--n 20 --k 3 --optimizer adam --eps -1e-8",
                "--n 20 --k 3 --optimizer adamw --beta1 1",
                "--n 20 --k 3 --optimizer adam --beta2 -0.1",
                "--n 20 --k 3 --optimizer momentum --momentum -0.5",
                "--n 20 --k 3 --optimizer nesterov --momentum 0",
                "--n 20 --k 3 --batch 3.5",
                "--n 20 --k 3 --seed 1e3",
                "--n 20 --k 3 --max-steps 0",
                "--n 20 --k 3 --eval-every 0",
                "--n 20 --k 3 --eval-samples 0",
                "--n 20 --k 3 --kernels gpu",
                "--n 20 --k 3 --loss cubic",
                "--n 20 --k 3 --secret 0,0,1",
                "--n 20 --k 3 --secret 0,1,20",
                "--n 20 --k 2 --secret 0,1,2",
                "--n 20 --k 3 --secret a,b,c",
                "--n 20 --k 3 extra",
                "--n 40000 --k 3 --width 50000",
                // tasks, architectures, data and schedules (docs/tasks.md)
                "--n 20 --target wave",
                "--n 20 --target staircase:21",
                "--n 20 --target staircase:0",
                "--n 20 --target double-staircase:15,15",
                "--n 20 --target monomials:x1+",
                "--n 20 --target monomials:x1*x1",
                "--n 20 --target monomials:x21",
                "--n 20 --target majority",
                "--n 20 --k 3 --target staircase:3",
                "--n 20 --target monomials:0.5*x1 --loss logistic",
                "--n 20 --target monomials:0 --loss square",
                "--n 20 --target monomials:1",
                "--n 21 --k 3 --target majority",
                "--n 20 --k 3 --target staircase:3 --secret 0,1,2",
                "--n 20 --k 3 --arch transformer --heads 3",   // 3 does not divide the width 100
                "--n 20 --k 3 --activation tanh",
                "--n 20 --k 3 --arch resnet --depth 1",
                "--n 20 --k 3 --arch resnet --init sign",
                "--n 20 --k 3 --init orthogonal",
                "--n 20 --k 3 --inputs gaussian",
                "--n 20 --k 3 --inputs biased:1.5",
                "--n 20 --k 3 --layer-lr 0.1,0.1,0.1",
                "--n 20 --k 3 --layer-lr 0.1,NaN",
                "--n 20 --k 3 --schedule halve:0",
                "--n 20 --k 3 --schedule cosine",
                "--n 20 --k 3 --label-noise 0.6",
                "--n 20 --k 3 --train-size -5",
                "--n 20 --k 3 --target-mse 0",
                "--n 20 --k 3 --track-prefixes 21",
                "--n 20 --target staircase:3 --probe-every 10",
                "--n 20 --k 3 --arch polynet --width 2",
                "--n 20 --k 3 --arch polynet --degree 21",
                "--n 20 --k 3 --arch neuron --width 10",
                "--n 20 --k 3 --arch neuron --activation relu",
                "--n 20 --k 3 --arch polynet --activation sin",
                "--n 20 --k 3 --activation pow --degree -1",
                "--n 20 --k 3 --threads 0",
                "--n 20 --k 3 --threads 2 --kernels scalar",
                "--n 20 --k 3 --threads 2 --arch resnet",
                "--n 20 --k 3 --threads 2 --arch neuron");
    }

    @Test
    void probesOfModelsWithoutAnExactPopulationGradientReadTheWeightsOnly(@TempDir Path tmp) throws Exception {
        for (List<String> model : List.of(List.of("--activation", "pow", "--lr", "0.1"), List.of("--arch", "neuron", "--lr", "0.01"))) {
            Path dir = tmp.resolve(model.get(1));
            List<String> args = new ArrayList<>(List.of("train", "--n", "12", "--k", "3", "--max-steps", "50", "--probe-every", "10",
                    "--out", dir.toString()));
            args.addAll(model);
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), model + " -> " + r);
            String head = Files.readAllLines(dir.resolve("probes.csv")).getFirst();
            assertTrue(head.startsWith("step,rho,") && !head.contains("gap"), head);
        }
    }

    @Test
    void everyTargetAndArchitectureRunsFromTheCli(@TempDir Path tmp) throws Exception {
        List<List<String>> runs = List.of(
                List.of("--n", "12", "--target", "staircase:3", "--loss", "square", "--track-prefixes", "3"),
                List.of("--n", "12", "--target", "double-staircase:3,3", "--loss", "square"),
                List.of("--n", "12", "--target", "monomials:x1+x1*x2*x3-0.5*x4", "--loss", "square", "--lr", "0.05"),
                List.of("--n", "13", "--target", "majority"),
                List.of("--n", "12", "--target", "chi:3", "--score-mse", "--loss", "square"),
                List.of("--n", "12", "--k", "2", "--label-noise", "0.1", "--init", "gaussian"),
                List.of("--n", "12", "--k", "2", "--train-size", "200", "--wd", "0.01", "--init", "bernoulli"),
                List.of("--n", "12", "--k", "2", "--layer-lr", "0.1,0.05", "--schedule", "halve:50"),
                List.of("--n", "12", "--target", "staircase:3", "--arch", "resnet", "--depth", "3", "--width", "16", "--loss", "square",
                        "--inputs", "gaussian", "--schedule", "steps:100:1,0.5"),
                List.of("--n", "12", "--k", "3", "--arch", "neuron", "--activation", "sin", "--no-second-layer", "--lr", "0.01"),
                List.of("--n", "12", "--k", "3", "--arch", "neuron", "--activation", "zigzag-inf", "--init", "bernoulli"),
                List.of("--n", "12", "--k", "3", "--arch", "polynet", "--lr", "0.05", "--layer-lr", "0.05"),
                List.of("--n", "12", "--k", "3", "--activation", "pow", "--degree", "2", "--lr", "0.1"),
                List.of("--n", "12", "--target", "staircase:3", "--arch", "resnet", "--depth", "4", "--width", "8", "--loss", "square",
                        "--inputs", "biased:0.75", "--layer-lr", "0.01,0.01,0.02,0.02"));
        for (List<String> extra : runs) {
            List<String> args = new ArrayList<>(List.of("train", "--max-steps", "200", "--eval-every", "100", "--eval-samples", "500",
                    "--no-stop-on-solve", "--json", "--out", tmp.resolve("r" + runs.indexOf(extra)).toString()));
            args.addAll(extra);
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), extra + " -> " + r);
            Map<String, Object> j = Json.parse(r.outLines().getLast());
            assertEquals(200, ((Number) j.get("steps")).intValue(), extra.toString());
            boolean real = extra.contains("square") && !extra.contains("--k");
            assertTrue(real ? j.get("final_eval_mse") != null : j.get("final_eval_accuracy") != null, extra + " " + j);
        }
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputExits2WithOneLineAndWritesNothing(String line, @TempDir Path tmp) {
        Path outDir = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(Arrays.asList(line.split(" ")));
        args.addAll(List.of("--out", outDir.toString(), "--json"));
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), "exactly one stderr line: " + r.err());
        assertTrue(r.err().startsWith("bitsgd: "), r.err());
        assertEquals("", r.out(), "nothing on stdout");
        assertFalse(Files.exists(outDir), "--out must not be created on bad input");
    }

    @Test
    void noSubcommandAndUnknownSubcommandAreUsageErrors() {
        for (String[] a : List.of(new String[0], new String[] {"frobnicate"}, new String[] {"--nope"})) {
            Run r = run(a);
            assertEquals(2, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("bitsgd: "));
        }
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("bitsgd " + Main.VERSION), v.out());
        Run h = run("train", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--eval-every") && h.out().contains("default: 100"), h.out());
    }

    @Test
    void jsonLastLineHoldsTheResult() {
        Run r = run("train", "--n", "20", "--k", "3", "--width", "100", "--batch", "32", "--lr", "0.1", "--seed", "3", "--json");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.outLines();
        assertTrue(lines.size() > 1, "a human summary precedes the JSON");
        Map<String, Object> j = Json.parse(lines.getLast());
        // one flat object: every setting by its option name, then outcome, timings and provenance
        for (String key : List.of("target", "arch", "n", "k", "width", "batch", "lr", "wd", "loss", "init", "max_steps", "eval_every",
                "eval_samples", "target_accuracy", "kernels", "secret", "seed", "solved", "t_c", "steps", "final_loss",
                "final_eval_accuracy", "train_seconds", "steps_per_second", "steps_per_second_last", "kernel_name",
                "kernel_selection", "jdk", "cpu", "bitsgd_version", "git_commit")) {
            assertTrue(j.containsKey(key), "missing " + key + " in " + lines.getLast());
        }
        for (Object v : j.values()) assertFalse(v instanceof Map, "nested object in " + lines.getLast());
        assertEquals(Boolean.TRUE, j.get("solved"));
        assertEquals(3, ((Number) j.get("seed")).intValue());
        assertEquals("auto", j.get("kernels"));
        assertEquals(Kernels.mlp().name(), j.get("kernel_name"));
        assertEquals(Runtime.version().toString(), j.get("jdk"));
        assertEquals(Machine.cpu(), j.get("cpu"));
        assertInstanceOf(Number.class, j.get("t_c"));
        assertEquals(20, ((Number) j.get("n")).intValue());
        assertEquals("hinge", j.get("loss"));
        assertEquals("uniform", j.get("init"));
        assertEquals(100_000, ((Number) j.get("max_steps")).intValue());
        assertEquals(8192, ((Number) j.get("eval_samples")).intValue());
    }

    @Test
    void adamRunsAndIsRecorded() {
        Run r = run("train", "--n", "12", "--k", "2", "--width", "16", "--lr", "0.01", "--optimizer", "adam", "--beta2", "0.99",
                "--max-steps", "200", "--eval-every", "50", "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.outLines().get(1).contains("adam(beta1 0.9, beta2 0.99, eps 1.0E-8)"), "the header names the optimizer: " + r.out());
        Map<String, Object> j = Json.parse(r.outLines().getLast());
        assertEquals("adam", j.get("optimizer"));
        assertEquals(0.9, ((Number) j.get("beta1")).doubleValue());
        assertEquals(0.99, ((Number) j.get("beta2")).doubleValue());
        assertEquals(1e-8, ((Number) j.get("eps")).doubleValue());
        assertTrue(j.containsKey("momentum") && j.get("momentum") == null, "momentum does not act under adam");
        assertTrue(((Number) j.get("steps")).intValue() > 0);
    }

    @Test
    void unsolvedRunReportsNullTc() {
        Run r = run("train", "--n", "30", "--k", "3", "--max-steps", "50", "--eval-every", "25", "--kernels", "scalar", "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> j = Json.parse(r.outLines().getLast());
        assertEquals(Boolean.FALSE, j.get("solved"));
        assertTrue(j.containsKey("t_c") && j.get("t_c") == null, "t_c present and null");
        assertEquals(50, ((Number) j.get("steps")).intValue());
    }

    @Test
    void plotRunDrawsAPlainRunsCurvesByDefaultAndSaysWhatTheProbeKindsNeed(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("plain");
        Run t = run("train", "--n", "10", "--k", "2", "--width", "8", "--max-steps", "100", "--eval-every", "10", "--out", dir.toString());
        assertEquals(0, t.code(), t.toString());
        Run r = run("plot-run", "--run", dir.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("plot " + dir.resolve("plain-curve.png")), r.out());
        assertTrue(Files.size(dir.resolve("plain-curve.png")) > 1000, "by default into the run's directory, named <run>-<kind>.png");
        assertTrue(r.out().strip().endsWith("\"bytes\":" + Files.size(dir.resolve("plain-curve.png")) + "}"), r.out());
        Run elsewhere = run("plot-run", "--run", dir.toString(), "--kind", "curve", "--out", tmp.resolve("charts").toString());
        assertEquals(0, elsewhere.code(), elsewhere.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("charts/plain-curve.png")));
        Run gap = run("plot-run", "--kind", "gap", "--run", dir.toString());
        assertEquals(Main.USAGE, gap.code(), gap.toString());
        assertTrue(gap.err().contains("need a run trained with --probe-every N"), gap.err());
    }

    @Test
    void outWritesCurveAndResult(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("a/b");
        Run r = run("train", "--n", "20", "--secret", "1,4,9", "--seed", "2", "--eval-every", "50", "--out", dir.toString());
        assertEquals(0, r.code(), r.toString());
        Csv.Table csv = Csv.read(dir.resolve("curve.csv"));
        assertEquals(List.of("step", "loss", "eval_accuracy", "eval_scored", "eval_set", "train_accuracy", "eval_mse"), csv.header());
        assertFalse(csv.rows().isEmpty());
        long prev = 0;
        for (List<String> c : csv.rows()) {
            assertEquals(7, c.size(), c.toString());
            long step = Long.parseLong(c.get(0));
            assertTrue(step > prev && step % 50 == 0, c.toString());
            prev = step;
            assertTrue(Double.isFinite(Double.parseDouble(c.get(1))), c.toString());
            double acc = Double.parseDouble(c.get(2));
            assertTrue(acc >= 0 && acc <= 1, c.toString());
            int scored = Integer.parseInt(c.get(3));
            assertTrue(c.get(4).equals("partial") && scored >= 256 && scored < 8192 || c.get(4).equals("full") && scored == 8192, c.toString());
        }
        assertTrue(Files.readAllLines(dir.resolve("curve.csv")).getLast().endsWith(",1.0,8192,full,,"), csv.rows().getLast().toString());
        Map<String, Object> j = Json.parse(Files.readString(dir.resolve("result.json")));
        assertEquals(List.of(1, 4, 9), j.get("secret"));
        assertEquals(Boolean.TRUE, j.get("solved"));
        assertEquals(prev, ((Number) j.get("t_c")).longValue());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("curve.csv", "model.npz", "result.json"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp files left behind");
        }
    }

    @Test
    void outThatIsAFileIsAUsageError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        Run r = run("train", "--n", "20", "--k", "3", "--out", file.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size());
        assertEquals("x", Files.readString(file));
    }

    @ParameterizedTest
    @MethodSource("badProfileInputs")
    void badProfileInputExits2WithOneLine(String line, @TempDir Path tmp) {
        Path outDir = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("profile"));
        args.addAll(Arrays.asList(line.split(" ")));
        args.addAll(List.of("--out", outDir.toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(outDir));
    }

    static Stream<String> badProfileInputs() {
        return Stream.of("--shapes 20,3,100", "--shapes 20,3,x,32", "--shapes 3,5,10,8", "--shapes 20,3,0,32",
                "--solve-shapes 20,3,100,0", "--rounds 0", "--round-seconds NaN", "--round-seconds -1", "--seeds 0",
                "--max-steps 0", "--bogus");
    }

    @Test
    void profileJsonHasRatesAndSolveTimes(@TempDir Path tmp) throws Exception {
        Run r = run("profile", "--shapes", "8,2,16,8", "--solve-shapes", "8,2,16,8", "--rounds", "2", "--round-seconds", "0.05",
                "--seeds", "2", "--json", "--out", tmp.toString());
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> j = Json.parse(r.outLines().getLast());
        assertTrue(((Number) j.get("peak_lane_adds_per_second")).doubleValue() > 1e8, "the probe measured something");
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) ((List<?>) j.get("throughput")).getFirst();
        @SuppressWarnings("unchecked")
        Map<String, Object> scalar = (Map<String, Object>) row.get("scalar");
        double med = ((Number) scalar.get("steps_per_second_median")).doubleValue();
        assertTrue(med > 0 && ((Number) scalar.get("steps_per_second_min")).doubleValue() <= med);
        assertEquals(2, ((List<?>) scalar.get("rounds")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> solve = (Map<String, Object>) ((List<?>) j.get("time_to_solve")).getFirst();
        assertEquals(2, ((Number) solve.get("seeds")).intValue());
        assertEquals(2, ((List<?>) solve.get("runs")).size());
        assertTrue(Files.exists(tmp.resolve("profile.json")) && Files.exists(tmp.resolve("profile.md")));
        assertTrue(Files.readString(tmp.resolve("profile.md")).contains("| share of add peak | op bound µs | share of op bound |"));
        assertFalse(scalar.containsKey("op_bound_ns_per_step"), "the op bound models the vector kernels only");
        if (Kernels.vectorAvailable()) {
            assertTrue(((Number) j.get("lookup_ns")).doubleValue() > 0, "the lookup probe measured something");
            assertTrue(((Number) j.get("store_ns")).doubleValue() > 0, "the store probe measured something");
            @SuppressWarnings("unchecked")
            Map<String, Object> vector = (Map<String, Object>) row.get(Kernels.vectorMlp().name());
            assertTrue(((Number) vector.get("op_bound_ns_per_step")).doubleValue() > 0);
            assertTrue(((Number) vector.get("share_of_op_bound")).doubleValue() > 0);
        } else {
            assertTrue(j.containsKey("lookup_ns") && j.get("lookup_ns") == null);
        }
    }

    @Test
    void profilePhasesTimeEachPhaseAgainstItsBound(@TempDir Path tmp) throws Exception {
        Run r = run("profile", "--shapes", "9,2,40,6", "--solve-shapes", "none", "--rounds", "2", "--round-seconds", "0.05",
                "--phases", "--json", "--out", tmp.toString());
        if (!Kernels.vectorAvailable()) {
            assertEquals(2, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.err());
            assertFalse(Files.exists(tmp.resolve("profile.json")));
            return;
        }
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> j = Json.parse(r.outLines().getLast());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) ((List<?>) j.get("phases")).getFirst();
        assertEquals(40, ((Number) row.get("width")).intValue());
        assertTrue(((Number) row.get("step_ns_median")).doubleValue() > 0);
        assertTrue(((Number) row.get("rest_ns_median")).doubleValue() > 0);
        List<?> phases = (List<?>) row.get("phases");
        assertEquals(4, phases.size());
        int lanes = VectorMlpKernels.lanes(), blocks = (40 + lanes - 1) / lanes;
        // n = 9, B = 6: G = 3, Q = 2; the forward tables load 4G W rows and store 15G entries per block
        @SuppressWarnings("unchecked")
        Map<String, Object> tables = (Map<String, Object>) phases.getFirst();
        assertEquals("forward tables", tables.get("phase"));
        assertEquals(12L * blocks, ((Number) tables.get("loads")).longValue());
        assertEquals(45L * blocks, ((Number) tables.get("stores")).longValue());
        for (Object o : phases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) o;
            assertTrue(((Number) p.get("ns_median")).doubleValue() > 0, p.toString());
            assertTrue(((Number) p.get("op_bound_ns")).doubleValue() > 0, p.toString());
        }
        String md = Files.readString(tmp.resolve("profile.md"));
        assertTrue(md.contains("| (n,k,h,B) | phase | µs/step | vector loads | vector stores | op bound µs | × op bound |"), md);
        assertTrue(md.contains("| | the parts added up |"), md);
    }

    @Test
    void speedupReportsBothRates() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        Run r = run("train", "--n", "20", "--k", "3", "--width", "120", "--max-steps", "100", "--speedup", "--json"); // any width: the README runs 1000
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> j = Json.parse(r.outLines().getLast());
        double s = ((Number) j.get("scalar_steps_per_second")).doubleValue();
        double v = ((Number) j.get("vector_steps_per_second")).doubleValue();
        double ratio = ((Number) j.get("speedup_vector_over_scalar")).doubleValue();
        assertTrue(s > 0 && v > 0);
        assertEquals(v / s, ratio, 1e-9 * ratio);
        assertNotNull(j.get("vector_kernels"));
        assertTrue(r.out().contains("speedup "), r.out());
    }
}
