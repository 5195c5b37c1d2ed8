package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.trace.TraceExport;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.TrainConfig;
import bitsgd.kernel.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bitsgd trace}: export a run's initial parameters, batches and losses for replay in PyTorch. */
public final class TraceCommand implements Callable<Integer> {
    static final Opt<Integer> STEPS = Opt.integer("--steps", "Steps to trace.").defaultValue("300");
    static final Opt<Path> OUT = Opt.path("--out", "Write trace.json into DIR (atomically).").label("DIR").required();

    static final Options OPTIONS = new Options("trace")
            .details("The online parity ReLU MLP only; its settings are train's, with train's defaults.")
            .add(ProblemOptions.all()).add(STEPS, OUT);

    /** The problem settings trace has no use for: it replays the parity MLP's steps, no checks. */
    private static final Setting[] UNUSED = {Setting.MAX_STEPS, Setting.EVAL_EVERY, Setting.EVAL_SAMPLES, Setting.TARGET_ACCURACY,
        Setting.STOP_ON_SOLVE, Setting.TARGET_MSE, Setting.TRACK_PREFIXES, Setting.SCORE_MSE};

    private final Parsed parsed;
    final int steps;
    final Path out;

    TraceCommand(Parsed p) {
        parsed = p;
        steps = p.get(STEPS);
        out = p.get(OUT);
    }

    @Override
    public Integer call() throws Exception {
        ProblemOptions.refuseUnused(parsed, "trace", UNUSED);
        TrainConfig cfg = ProblemOptions.read(parsed).toConfig();
        if (!cfg.setup().isDefault()) {
            throw new UsageException("trace exports the online parity ReLU MLP only (PyTorch replays nn.Linear → ReLU → nn.Linear):"
                    + " leave --target, --arch, --init and the data options at their defaults");
        }
        if (steps < 1 || steps > 100_000) throw new UsageException("--steps must be in [1, 100000], got " + steps);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out " + out + " exists and is not a directory");
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("trace.json"), Json.line(TraceExport.export(cfg, Kernels.runMlp(cfg.kernels()), steps)) + "\n");
        return Main.OK;
    }
}
