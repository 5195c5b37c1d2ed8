package bitsgd.harness.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumed from any of its checkpoints, through the file, ends with the bits of the run never stopped: the
 * parameters, every curve point and the result, for every architecture and the data set-ups that draw mid-run.
 */
class ResumeTest {

    /** Settings by spec key over a small base run that does not stop when solved. */
    static TrainConfig config(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("n", 12, "k", 2, "width", 40, "batch", 16, "lr", 0.1, "max_steps", 600,
                "eval_every", 50, "stop_on_solve", false, "eval_samples", 512, "seed", 3));
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        if (m.get("arch") instanceof String a && (a.equals("neuron") || a.equals("polynet"))) m.remove("width");
        return new Settings().setAll(m, "test").toConfig();
    }

    static List<TrainConfig> configs() {
        return List.of(
                config(),
                config("kernels", "scalar", "wd", 0.01, "schedule", "halve:200"),
                config("kernels", "vector", "width", 600, "loss", "logistic"),   // resumed on 2 threads, below
                config("train_size", 100, "label_noise", 0.1, "wd", 0.01),
                config("label_noise", 0.2),
                config("arch", "neuron", "activation", "sin", "lr", 0.01),
                config("arch", "polynet", "lr", 0.05),
                config("arch", "resnet", "depth", 3, "width", 8, "target", "staircase:3", "inputs", "gaussian", "loss", "square",
                        "lr", 0.05, "track_prefixes", 3),
                config("arch", "resnet", "depth", 2, "width", 8, "inputs", "biased:0.3", "layer_lr", List.of(0.1, 0.05)),
                // the optimizer's buffers and step count travel in the checkpoint too
                config("optimizer", "adam", "lr", 0.01, "wd", 0.001),
                config("optimizer", "nesterov", "momentum", 0.8, "kernels", "scalar"),
                config("arch", "resnet", "depth", 3, "width", 8, "optimizer", "adamw", "lr", 0.01, "wd", 0.01),
                config("arch", "polynet", "optimizer", "momentum", "lr", 0.01),
                config("arch", "transformer", "width", 8, "heads", 2, "depth", 1, "optimizer", "adam", "lr", 0.003, "max_steps", 600));
    }

    @Test
    void resumedRunsHaveTheBitsOfTheRunNeverStopped(@TempDir Path dir) throws Exception {
        int c = 0;
        for (TrainConfig cfg : configs()) {
            check(cfg, false, dir.resolve("c" + c++ + ".npz"));
        }
        check(config(), true, dir.resolve("random.npz"));   // the random-label control draws its labels mid-run
    }

    private static void check(TrainConfig cfg, boolean randomLabels, Path file) throws Exception {
        List<TrainState> states = new ArrayList<>();
        Trainer whole = new Trainer(cfg).randomLabels(randomLabels).checkpoints(200, states::add);
        List<CurvePoint> curve = new ArrayList<>();
        RunResult r = whole.run(curve::add);
        float[] end = whole.model().parameters();
        assertEquals(List.of(200L, 400L, 600L), states.stream().map(TrainState::step).toList(), cfg.toString());
        for (TrainState mid : states.subList(0, 2)) {
            Checkpoints.write(file, cfg, whole.model(), whole.tracked(), mid, 200);
            Checkpoints.Loaded back = Checkpoints.read(file);
            assertEquals(cfg, back.config());
            Trainer resumed = new Trainer(back.config()).resume(back.state());
            if (cfg.kernels().equals("vector")) resumed.threads(2);   // same bits on any number of threads
            List<CurvePoint> again = new ArrayList<>();
            RunResult r2 = resumed.run(again::add);
            String what = cfg.model().arch() + " " + cfg.setup() + " from step " + mid.step();
            assertArrayEquals(end, resumed.model().parameters(), what);
            assertEquals(curve.size(), again.size(), what);
            for (int i = 0; i < curve.size(); i++) same(curve.get(i), again.get(i), what + " point " + i);
            assertEquals(r.tC(), r2.tC(), what);
            assertEquals(r.steps(), r2.steps(), what);
            assertEquals(r.finalLoss(), r2.finalLoss(), what);
            assertEquals(r.finalEvalAccuracy(), r2.finalEvalAccuracy(), what);
            assertEquals(r.finalEvalMse(), r2.finalEvalMse(), what);
            assertEquals(r.finalTrainAccuracy(), r2.finalTrainAccuracy(), what);
        }
    }

    private static void same(CurvePoint a, CurvePoint b, String what) {
        assertEquals(a.step(), b.step(), what);
        assertEquals(a.loss(), b.loss(), what);
        assertEquals(a.evalAccuracy(), b.evalAccuracy(), what);
        assertEquals(a.evalScored(), b.evalScored(), what);
        assertEquals(a.full(), b.full(), what);
        assertEquals(a.trainAccuracy(), b.trainAccuracy(), what);
        assertEquals(a.evalMse(), b.evalMse(), what);
        assertArrayEquals(a.coefficients(), b.coefficients(), what);
    }

    @Test
    void aLongerRunContinuesAFinishedOne(@TempDir Path dir) throws Exception {
        TrainConfig shortRun = config("max_steps", 300), longRun = config("max_steps", 700);
        List<TrainState> states = new ArrayList<>();
        Trainer first = new Trainer(shortRun).checkpoints(100, states::add);
        first.run(p -> {});
        TrainState last = states.get(states.size() - 1);
        assertEquals(300, last.step(), "the run's end is checkpointed");
        Trainer more = new Trainer(longRun).resume(last);
        RunResult r = more.run(p -> {});
        Trainer direct = new Trainer(longRun);
        RunResult d = direct.run(p -> {});
        assertArrayEquals(direct.model().parameters(), more.model().parameters());
        assertEquals(d.finalLoss(), r.finalLoss());
        assertTrue(r.trainSeconds() > 0);
    }
}
