package bitsgd.harness.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.Json;
import bitsgd.harness.train.OptimizerSpec;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bitsgd against PyTorch autograd: golden traces made by scripts/torch_replay.py (nn.Linear → ReLU →
 * nn.Linear, torch.optim.SGD with weight decay, and SGD with momentum, Nesterov, Adam and AdamW; the same initial
 * parameters and batches; torch 1.13, float32). 300 steps per file; the largest deviation seen when they were made
 * was 3.6e-7 (loss) and 2.1e-7 (parameters), so a tolerance of 2e-5 leaves room for other summation orders but not
 * for a bug.
 */
class GoldenTraceTest {
    static final double TOLERANCE = 2e-5;

    static Stream<String> goldens() {
        return Stream.of("torch-hinge-n20-h32-b32.json", "torch-square-n20-h32-b32.json",
                "torch-logistic-n20-h32-b32.json", "torch-hinge-n70-h100-b33.json",
                "torch-momentum-square-n20-h32-b32.json", "torch-nesterov-hinge-n20-h32-b32.json",
                "torch-adam-square-n20-h32-b32.json", "torch-adamw-logistic-n20-h32-b32.json", "torch-adam-hinge-n70-h100-b33.json");
    }

    static Stream<Object[]> cases() {
        return goldens().flatMap(g -> Stream.of(new Object[] {g, "scalar"}, new Object[] {g, "auto"}));
    }

    @ParameterizedTest(name = "{0} with {1} kernels")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesPyTorchStepByStep(String file, String kernels) throws IOException {
        Map<String, Object> golden = load(file);
        Map<String, Object> c = (Map<String, Object>) golden.get("config");
        TrainConfig cfg = config(c);
        int steps = ((Number) golden.get("steps")).intValue();
        MlpKernels k = Kernels.mlp(kernels);
        TraceExport.Trajectory tr = TraceExport.run(cfg, k, steps, (t, x, y) -> {});

        List<Number> torchLoss = (List<Number>) golden.get("loss");
        double worst = 0;
        for (int t = 0; t < steps; t++) worst = Math.max(worst, Math.abs(tr.losses()[t] - torchLoss.get(t).doubleValue()));
        assertTrue(worst <= TOLERANCE, k.name() + ": largest per-step loss deviation " + worst);

        Map<String, Object> fin = (Map<String, Object>) golden.get("final");
        Mlp2 net = tr.last();
        List<List<Number>> w = (List<List<Number>>) fin.get("w");
        List<Number> b = (List<Number>) fin.get("b"), a = (List<Number>) fin.get("a");
        double dev = Math.abs(net.c - ((Number) fin.get("c")).doubleValue());
        for (int j = 0; j < cfg.width(); j++) {
            dev = Math.max(dev, Math.abs(net.b[j] - b.get(j).doubleValue()));
            dev = Math.max(dev, Math.abs(net.a[j] - a.get(j).doubleValue()));
            for (int i = 0; i < cfg.n(); i++) dev = Math.max(dev, Math.abs(net.w[i * cfg.width() + j] - w.get(j).get(i).doubleValue()));
        }
        assertTrue(dev <= TOLERANCE, k.name() + ": largest final parameter deviation " + dev);
    }

    @ParameterizedTest
    @MethodSource("goldens")
    @SuppressWarnings("unchecked")
    void traceTrainsExactlyAsTheTrainer(String file) throws IOException {
        TrainConfig cfg = config((Map<String, Object>) load(file).get("config")).withSteps(300, 1000, false);
        Trainer trainer = new Trainer(cfg, Kernels.scalarMlp());
        trainer.run(p -> {});
        Mlp2 traced = TraceExport.run(cfg, Kernels.scalarMlp(), 300, (t, x, y) -> {}).last();
        assertTrue(trainer.net().bitEquals(traced), "the exported batches are the Trainer's batches");
    }

    private static TrainConfig config(Map<String, Object> c) {
        TrainConfig cfg = TrainConfig.defaults(num(c, "n"), num(c, "k"))
                .withTraining(num(c, "width"), num(c, "batch"), ((Number) c.get("lr")).doubleValue(),
                        ((Number) c.get("wd")).doubleValue(), Loss.valueOf(((String) c.get("loss")).toUpperCase(Locale.ROOT)))
                .withSeed(((Number) c.get("seed")).longValue());
        if (!c.containsKey("optimizer")) return cfg;   // the first goldens predate the optimizers: SGD
        OptimizerSpec o = OptimizerSpec.of((String) c.get("optimizer"), real(c, "momentum"), real(c, "beta1"), real(c, "beta2"), real(c, "eps"));
        return cfg.withSetup(cfg.setup().withOptimizer(o));
    }

    private static Double real(Map<String, Object> c, String key) {
        return c.get(key) == null ? null : ((Number) c.get(key)).doubleValue();
    }

    private static int num(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).intValue();
    }

    private static Map<String, Object> load(String file) throws IOException {
        try (InputStream in = GoldenTraceTest.class.getResourceAsStream("/golden/" + file)) {
            assertEquals(true, in != null, "missing golden file " + file);
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
