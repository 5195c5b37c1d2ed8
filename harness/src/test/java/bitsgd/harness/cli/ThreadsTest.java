package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.io.Json;
import bitsgd.harness.model.ModelSpec;
import bitsgd.harness.train.CurvePoint;
import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import bitsgd.harness.io.ProgressMode;
import bitsgd.kernel.Kernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --threads} and {@code sweep --split-width}: a run split over threads gives the bits of the same run on one
 * thread (curve and record), and says how many threads it ran on.
 */
class ThreadsTest {
    @BeforeAll
    static void vectorKernels() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
    }

    @Test
    void aRunOnThreadsGivesTheOneThreadBits() {
        // the Vector API code from the first step (no twin), so the runs really split into 3; 48 blocks + 5 units: a tail block too
        int width = 3 * Kernels.vectorBits() / 32 * 16 + 5;
        for (String act : List.of("relu", "pow")) {
            TrainConfig base = TrainConfig.defaults(30, 3).withTraining(width, 19, act.equals("pow") ? 0.01 : 0.1, 0.01, Loss.HINGE)
                    .withSteps(600, 100, false).withSeed(5);
            TrainConfig cfg = base.withSetup(base.setup().withModel(new ModelSpec("mlp", width, 2, act, 0, true, "uniform")));
            List<CurvePoint> c1 = new ArrayList<>(), c3 = new ArrayList<>();
            RunResult one = new Trainer(cfg, Kernels.vectorMlp()).run(c1::add);
            RunResult three = new Trainer(cfg, Kernels.vectorMlp()).threads(3).run(c3::add);
            assertEquals(c1, c3, act + ": curves");
            assertEquals(withoutTiming(one.toMap()), withoutTiming(three.toMap()), act + ": records");
            assertEquals(1, one.threads());
            assertEquals(3, three.threads(), act);
        }
    }

    @Test
    void trainSaysHowManyThreadsItRanOn(@TempDir Path tmp) throws Exception {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "train", "--n", "20", "--k", "3", "--width", "600", "--max-steps", "300",
                "--threads", "2", "--out", tmp.toString());
        assertEquals(0, code, e.toString());
        Map<String, Object> rec = Json.parse(Files.readString(tmp.resolve("result.json")));
        // a run this short finishes on the twin, which runs on one thread: the record says what ran
        long twin = ((Number) rec.get("twin_steps")).longValue();
        assertEquals(twin == 300 ? 1 : 2, ((Number) rec.get("threads")).intValue(), rec.toString());
    }

    /** Everything but the timings and where it ran (which includes the thread count): equal for equal runs. */
    static Map<String, Object> withoutTiming(Map<String, Object> record) {
        return new TreeMap<>(Records.deterministicPart(record));
    }

    @Test
    void aSweepSplitsItsWideRunsAndKeepsTheirBits(@TempDir Path tmp) throws Exception {
        String spec = """
                {"name": "wide", "fixed": {"n": 24, "k": 3, "batch": 16, "max_steps": 400, "eval_every": 100, "stop_on_solve": false},
                 "grid": {"width": [20, 600]}, "seeds": 2}""";
        Path split = tmp.resolve("split"), plain = tmp.resolve("plain");
        Kernels.vectorFromStart();   // what a long sweep does: its runs split from their first step (the twin runs on one thread)
        StringWriter log = new StringWriter();
        SweepRunner.run(SweepSpec.parse(spec, null), split,
                new SweepRunner.Options(2, Shards.Shard.ALL, ProgressMode.NONE, Map.of(), 100), new PrintWriter(log));
        SweepRunner.run(SweepSpec.parse(spec, null), plain, SweepRunner.Options.of(2), new PrintWriter(log));
        for (String run : List.of("0-0", "0-1", "1-0", "1-1")) {
            Map<String, Object> a = Json.parse(Files.readString(split.resolve("runs/" + run + ".json")));
            Map<String, Object> b = Json.parse(Files.readString(plain.resolve("runs/" + run + ".json")));
            assertEquals(withoutTiming(b), withoutTiming(a), run);
            assertEquals(1, ((Number) b.get("threads")).intValue(), run);
            assertEquals(run.startsWith("1-") ? 2 : 1, ((Number) a.get("threads")).intValue(), run);
        }
        String script = Shards.sbatch(SweepSpec.parse(spec, null), tmp.resolve("s.json"), tmp, 4, 8, 4096, "bitsgd");
        assertTrue(script.contains(" --split-width 4096 "), script);
    }
}
