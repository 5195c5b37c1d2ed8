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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bitsgd trace}: export a run's initial parameters, batches and losses for replay in PyTorch. */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a run's initial parameters, every batch and bitsgd's per-step losses as JSON,",
                "for scripts/torch_replay.py to replay through PyTorch autograd and compare."})
public final class TraceCommand implements Callable<Integer> {
    @Option(names = "--n", required = true) int n;
    @Option(names = "--k", required = true) int k;
    @Option(names = "--width", defaultValue = "32") int width;
    @Option(names = "--batch", defaultValue = "32") int batch;
    @Option(names = "--lr", defaultValue = "0.1") double lr;
    @Option(names = "--wd", defaultValue = "0.01") double wd;
    @Option(names = "--loss", defaultValue = "hinge") Loss loss;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--steps", defaultValue = "300", description = "Steps to trace (default: ${DEFAULT-VALUE}).") int steps;
    @Option(names = "--kernels", defaultValue = "scalar", description = "auto | scalar | vector (default: ${DEFAULT-VALUE}).") String kernels;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSON file to write (atomically).") Path out;

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
