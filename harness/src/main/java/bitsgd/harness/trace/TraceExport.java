package bitsgd.harness.trace;

import bitsgd.harness.model.BitMlp;
import bitsgd.harness.model.Inputs;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.Optimizer;
import bitsgd.harness.train.OptimizerSpec;
import bitsgd.harness.train.RunStreams;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A run's initial parameters, every batch and every loss, for replay in another framework
 * (scripts/torch_replay.py). The batches are the ones {@link Trainer} draws for the same config:
 * the init and data streams of the seed, one fresh batch per step, and the config's optimizer.
 *
 * <pre>
 * JSON: config{…}, steps, init{w[h][n], b[h], a[h], c}   (w as torch's Linear.weight: row j = unit j)
 *       x[t][s] = hex words of sample s at step t (bit i = 1 ⇔ x_i = −1, LSB-first, as BitBatch)
 *       y[t][s] = ±1 label, loss[t] = bitsgd's batch loss at step t, final{w, b, a, c}
 * </pre>
 */
public final class TraceExport {
    private TraceExport() {}

    /** The trajectory itself: per-step losses and the parameters after the last step. */
    public record Trajectory(float[] losses, Mlp2 last) {}

    /** Trains {@code steps} steps exactly as the Trainer would (no evaluation), calling back per batch. */
    public static Trajectory run(TrainConfig cfg, MlpKernels kernels, int steps, BatchSink sink) {
        return run(cfg, kernels, steps, null, sink);
    }

    /** As above from the parameters {@code start} (a saved model's, BitMlp order) instead of the seed's init; null: the init. */
    public static Trajectory run(TrainConfig cfg, MlpKernels kernels, int steps, float[] start, BatchSink sink) {
        RunStreams streams = new RunStreams(cfg.seed());
        SparseParity target = Trainer.parity(cfg, streams);
        Mlp2 net = initialNet(cfg, streams, start);
        RandomGenerator data = streams.get(RunStreams.Stream.DATA);
        Inputs in = Inputs.bits(cfg.n(), cfg.batch());
        BitBatch x = in.bits();
        float[] y = new float[cfg.batch()];
        float[] losses = new float[steps];
        OptimizerSpec optimizer = cfg.setup().optimizer();
        if (!optimizer.isSgd()) {   // the Trainer's path for every other optimizer: gradient pass, then the update kernels
            BitMlp model = new BitMlp(net, kernels);
            Optimizer opt = new Optimizer(optimizer, model);
            float[] lr = {(float) cfg.lr(), (float) cfg.lr()};
            for (int t = 0; t < steps; t++) {
                x.fillUniform(data);
                in.changed();
                target.labels(x, y);
                sink.accept(t, x, y);
                losses[t] = opt.step(model, in, y, cfg.loss(), lr, (float) cfg.wd());
            }
            return new Trajectory(losses, net);
        }
        MlpKernels.Workspace ws = kernels.workspace(cfg.n(), cfg.width(), cfg.batch());
        for (int t = 0; t < steps; t++) {
            x.fillUniform(data);
            target.labels(x, y);
            sink.accept(t, x, y);
            losses[t] = kernels.step(net, x, y, cfg.loss(), (float) cfg.lr(), (float) cfg.lr(), (float) cfg.wd(), ws);
        }
        return new Trajectory(losses, net);
    }

    /** The seed's initial net, or one holding {@code start} (the init stream is drawn either way: the data stream does not depend on it). */
    private static Mlp2 initialNet(TrainConfig cfg, RunStreams streams, float[] start) {
        Mlp2 net = Trainer.initialNet(cfg, streams);
        if (start != null) new BitMlp(net, Kernels.scalarMlp()).setParameters(start);
        return net;
    }

    /** Receives each step's batch before the step. */
    public interface BatchSink {
        void accept(int step, BitBatch x, float[] y);
    }

    /** The full export as a JSON-ready map. */
    public static Map<String, Object> export(TrainConfig cfg, MlpKernels kernels, int steps) {
        return export(cfg, kernels, steps, null);
    }

    /** As above from the parameters {@code start} (null: the seed's init). */
    public static Map<String, Object> export(TrainConfig cfg, MlpKernels kernels, int steps, float[] start) {
        List<Object> xs = new ArrayList<>(), ys = new ArrayList<>();
        RunStreams streams = new RunStreams(cfg.seed());
        Mlp2 init = initialNet(cfg, streams, start);
        Trajectory tr = run(cfg, kernels, steps, start, (t, x, y) -> {
            List<String> rows = new ArrayList<>();
            for (int s = 0; s < x.size(); s++) {
                StringBuilder sb = new StringBuilder();
                for (int w = 0; w < x.words(); w++) {
                    if (w > 0) sb.append(' ');
                    sb.append(String.format(Locale.ROOT, "%016x", x.rows()[s * x.words() + w]));
                }
                rows.add(sb.toString());
            }
            xs.add(rows);
            List<Integer> labels = new ArrayList<>();
            for (float v : y) labels.add((int) v);
            ys.add(labels);
        });
        var m = new LinkedHashMap<String, Object>();
        m.put("config", cfg.toMap());
        m.put("kernel_name", kernels.name());
        m.put("steps", steps);
        m.put("init", params(init));
        m.put("x", xs);
        m.put("y", ys);
        List<Double> losses = new ArrayList<>();
        for (float l : tr.losses()) losses.add((double) l);
        m.put("loss", losses);
        m.put("final", params(tr.last()));
        return m;
    }

    /** Parameters in torch's layout: w[j][i] = W_ij (nn.Linear(n, h).weight), b, a, c. */
    public static Map<String, Object> params(Mlp2 net) {
        List<List<Double>> w = new ArrayList<>();
        for (int j = 0; j < net.h; j++) {
            List<Double> row = new ArrayList<>();
            for (int i = 0; i < net.n; i++) row.add((double) net.w[i * net.h + j]);
            w.add(row);
        }
        var m = new LinkedHashMap<String, Object>();
        m.put("w", w);
        m.put("b", floats(net.b));
        m.put("a", floats(net.a));
        m.put("c", (double) net.c);
        return m;
    }

    private static List<Double> floats(float[] v) {
        List<Double> l = new ArrayList<>(v.length);
        for (float f : v) l.add((double) f);
        return l;
    }
}
