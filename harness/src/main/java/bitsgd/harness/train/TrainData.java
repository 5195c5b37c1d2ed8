package bitsgd.harness.train;

import bitsgd.harness.model.Inputs;
import bitsgd.harness.task.Target;
import java.util.random.RandomGenerator;

/** Where a step's batch comes from: fresh samples every step (online) or a fixed training set cycled in order. */
public interface TrainData {

    /** Fills the batch {@code x} (all {@code x.size()} samples) and its training labels {@code y}. */
    void next(Inputs x, float[] y);

    /**
     * Moves on to where the run is after {@code steps} steps of {@code batch} samples, for a resumed run whose streams
     * were restored: only a fixed training set's position depends on the step (online data is all in the streams).
     */
    default void skip(long steps, int batch) {}

    /** The fixed training set, or null for online data. */
    default EvalSet fixedSet() {
        return null;
    }

    /**
     * Online: {@code dist} samples from {@code data}, labels by {@code target}; then each label flipped with
     * probability {@code noise} or, for the control run, replaced by a random sign, both from {@code noiseRng}.
     */
    static TrainData online(Target target, InputDist dist, double noise, boolean randomLabels, RandomGenerator data,
                            RandomGenerator noiseRng) {
        return (x, y) -> {
            dist.fill(x, data);
            target.labels(x, y);
            if (randomLabels) Trainer.randomSigns(y, x.size(), noiseRng);
            else if (noise > 0) for (int b = 0; b < x.size(); b++) if (noiseRng.nextDouble() < noise) y[b] = -y[b];
        };
    }

    /**
     * Finite sample: m samples drawn once from {@code data} (labels flipped once with probability {@code noise},
     * or with probability ½ = independent random signs for the control run), then batch t holds samples
     * (tB + b) mod m: multi-pass, in order.
     */
    static TrainData fixed(Target target, InputDist dist, int m, double noise, boolean randomLabels, RandomGenerator data,
                           RandomGenerator noiseRng) {
        EvalSet set = new EvalSet(target, dist, m, data);
        if (randomLabels) set.flipLabels(0.5, noiseRng);
        else if (noise > 0) set.flipLabels(noise, noiseRng);
        return new TrainData() {
            private long cursor;

            @Override
            public void next(Inputs x, float[] y) {
                for (int b = 0; b < x.size(); b++) set.copySample((int) (cursor++ % m), x, b, y);
                x.changed();
            }

            @Override
            public void skip(long steps, int batch) {
                cursor = Math.multiplyExact(steps, batch);
            }

            @Override
            public EvalSet fixedSet() {
                return set;
            }
        };
    }
}
