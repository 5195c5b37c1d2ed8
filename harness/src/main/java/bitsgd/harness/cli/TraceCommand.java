package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.trace.TraceExport;
import bitsgd.harness.train.TrainConfig;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bitsgd trace}: export a run's initial parameters, batches and losses for replay in PyTorch. */
public final class TraceCommand implements Callable<Integer> {
    static final Opt<Integer> N = Opt.integer("--n", "Input dimension.").required();
    static final Opt<Integer> K = Opt.integer("--k", "Parity degree |S|.").required();
    static final Opt<Integer> WIDTH = Opt.integer("--width", "Hidden units.").defaultValue("32");
    static final Opt<Integer> BATCH = Opt.integer("--batch", "Fresh samples per step.").defaultValue("32");
    static final Opt<Double> LR = Opt.real("--lr", "Learning rate.").defaultValue("0.1");
    static final Opt<Double> WD = Opt.real("--wd", "Weight decay, torch.optim.SGD style.").defaultValue("0.01");
    static final Opt<Loss> LOSS = Opt.choice("--loss", Loss.values(), "hinge | square | logistic | correlation.").defaultValue("hinge");
    static final Opt<Long> SEED = Opt.longInteger("--seed", "Run seed, as in train.").defaultValue("0");
    static final Opt<Integer> STEPS = Opt.integer("--steps", "Steps to trace.").defaultValue("300");
    static final Opt<String> KERNELS = Opt.string("--kernels", "auto | scalar | vector.").defaultValue("scalar");
    static final Opt<Path> OUT = Opt.path("--out", "The JSON file to write (atomically).").label("FILE").required();

    static final Options OPTIONS = new Options("trace").add(N, K, WIDTH, BATCH, LR, WD, LOSS, SEED, STEPS, KERNELS, OUT);

    final int n;
    final int k;
    final int width;
    final int batch;
    final double lr;
    final double wd;
    final Loss loss;
    final long seed;
    final int steps;
    final String kernels;
    final Path out;

    TraceCommand(Parsed p) {
        n = p.get(N);
        k = p.get(K);
        width = p.get(WIDTH);
        batch = p.get(BATCH);
        lr = p.get(LR);
        wd = p.get(WD);
        loss = p.get(LOSS);
        seed = p.get(SEED);
        steps = p.get(STEPS);
        kernels = p.get(KERNELS);
        out = p.get(OUT);
    }

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = TrainConfig.defaults(n, k).withTraining(width, batch, lr, wd, loss).withSeed(seed)
                .withKernels(kernels).validate();
        if (steps < 1 || steps > 100_000) throw new UsageException("--steps must be in [1, 100000], got " + steps);
        if (Files.isDirectory(out)) throw new UsageException("--out " + out + " is a directory");
        AtomicFiles.write(out, Json.line(TraceExport.export(cfg, Kernels.mlp(kernels), steps)) + "\n");
        return Main.OK;
    }
}
