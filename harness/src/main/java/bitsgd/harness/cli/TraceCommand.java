package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Fmt;
import bitsgd.harness.io.Json;
import bitsgd.harness.model.BitMlp;
import bitsgd.harness.trace.TraceExport;
import bitsgd.harness.train.OptimizerSpec;
import bitsgd.harness.train.RunStreams;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd trace}: export a run's initial parameters, batches and losses for replay in PyTorch. */
public final class TraceCommand implements Callable<Integer> {
    static final Opt<Integer> STEPS = Opt.integer("--steps", "Steps to trace.").defaultValue("300");
    static final Opt<Path> OUT = Output.out("trace.json").required();
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("trace")
            .details("The online parity ReLU MLP only, under any --optimizer; its settings are train's, with train's defaults.")
            .add(ProblemOptions.all()).add(SavedModelOption.MODEL, STEPS, OUT, JSON);

    /** The problem settings trace has no use for: it replays the parity MLP's steps, no checks. */
    private static final Setting[] UNUSED = {Setting.MAX_STEPS, Setting.EVAL_EVERY, Setting.EVAL_SAMPLES, Setting.TARGET_ACCURACY,
        Setting.STOP_ON_SOLVE, Setting.TARGET_MSE, Setting.TRACK_PREFIXES, Setting.SCORE_MSE};

    private final Parsed parsed;
    private final PrintWriter stdout;
    final int steps;
    final Path out;
    final boolean json;

    TraceCommand(Parsed p, PrintWriter stdout) {
        parsed = p;
        this.stdout = stdout;
        steps = p.get(STEPS);
        out = p.get(OUT);
        json = p.get(JSON);
    }

    /** The largest trace.json written: it is built as one string in memory, and PyTorch's replay reads it whole. */
    static final long MAX_BYTES = 1L << 30;

    /**
     * trace.json's size, measured: about 21 bytes per 64-bit word of a batch's bits and 3 per label, 12 per parameter
     * for the initial and the final net.
     */
    static long estimatedBytes(TrainConfig cfg, int steps) {
        long words = (cfg.n() + 63) / 64;
        return (long) steps * cfg.batch() * (21 * words + 3) + 2L * 12 * ((long) cfg.n() * cfg.width() + 2L * cfg.width());
    }

    @Override
    public Integer call() throws Exception {
        ProblemOptions.refuseUnused(parsed, "trace", UNUSED);
        TrainConfig cfg = SavedModelOption.settings(parsed).toConfig();
        float[] start = SavedModelOption.parameters(parsed, new BitMlp(Trainer.initialNet(cfg, new RunStreams(cfg.seed())), Kernels.scalarMlp()));
        if (!cfg.setup().withOptimizer(OptimizerSpec.SGD).isDefault()) {
            throw new UsageException("trace exports the online parity ReLU MLP only (PyTorch replays nn.Linear → ReLU → nn.Linear):"
                    + " leave --target, --arch, --init and the data options at their defaults");
        }
        if (steps < 1 || steps > 100_000) throw new UsageException("--steps must be in [1, 100000], got " + steps);
        long bytes = estimatedBytes(cfg, steps);
        if (bytes > MAX_BYTES) {
            throw new UsageException("trace.json would be about " + Fmt.rate(bytes / 1e9) + " GB (every batch's bits as JSON: --steps "
                    + steps + " × --batch " + cfg.batch() + " × --n " + cfg.n() + "), over the 1 GB a trace may take: trace fewer"
                    + " --steps, or a smaller --batch or --n");
        }
        Output.directory(out);
        Map<String, Object> trace = TraceExport.export(cfg, Kernels.runMlp(cfg.kernels()), steps, start);
        Path file = out.resolve("trace.json");
        AtomicFiles.write(file, Json.line(trace) + "\n");
        @SuppressWarnings("unchecked")
        List<Double> loss = (List<Double>) trace.get("loss");
        stdout.println("trace " + steps + " steps of n=" + cfg.n() + " k=" + cfg.k() + " width=" + cfg.width() + " seed=" + cfg.seed()
                + " on " + trace.get("kernel_name") + ", final loss " + loss.getLast() + " -> " + file);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("steps", steps);
            m.put("kernel_name", trace.get("kernel_name"));
            m.put("final_loss", loss.getLast());
            Output.json(stdout, m);
        }
        stdout.flush();
        return Main.OK;
    }
}
