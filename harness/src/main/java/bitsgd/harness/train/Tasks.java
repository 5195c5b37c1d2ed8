package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Model;
import bitsgd.harness.task.Target;
import java.util.ArrayList;
import java.util.List;

/** The run's target from its config, and the monomials whose coefficients its checks track. */
final class Tasks {
    private Tasks() {}

    static Target target(TrainConfig cfg, RunStreams streams) {
        String spec = cfg.setup().target();
        if (spec.equals("parity")) return Trainer.parity(cfg, streams);
        throw new UsageException("--target '" + spec + "' is not known");
    }

    /** Prefix monomials {}, {0}, {0,1}, … of length 0..d (d = 0: none). */
    static List<int[]> tracked(Target target, int prefixes) {
        List<int[]> out = new ArrayList<>();
        if (prefixes > 0) {
            if (prefixes > target.n()) throw new UsageException("--track-prefixes " + prefixes + " exceeds --n " + target.n());
            for (int j = 0; j <= prefixes; j++) {
                int[] m = new int[j];
                for (int i = 0; i < j; i++) m[i] = i;
                out.add(m);
            }
        }
        return out;
    }

    static double[] coefficients(EvalSet eval, Model model, float[] f, List<int[]> monomials) {
        double[] sum = new double[monomials.size()];
        eval.forEachChunk(model, f, (x, y, out) -> {
            for (int m = 0; m < sum.length; m++) {
                int[] mono = monomials.get(m);
                for (int b = 0; b < x.size(); b++) {
                    double chi = 1;
                    for (int i : mono) chi *= x.get(b, i);
                    sum[m] += out[b] * chi;
                }
            }
        });
        for (int m = 0; m < sum.length; m++) sum[m] /= eval.size();
        return sum;
    }
}
