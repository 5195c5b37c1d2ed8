package bitsgd.harness.train;

import bitsgd.harness.model.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything of a run beyond the sparse-parity MLP basics of {@link TrainConfig}: which target, which network,
 * which inputs, how the data is sampled and how the learning rate moves. {@link #DEFAULT} is the online
 * sparse-parity ReLU MLP the rest of the config describes.
 *
 * @param target      target spec: parity | staircase:d | double-staircase:d1,d2 | chi:d | monomials:SPEC | majority
 * @param model       the network (its width is ignored: {@link TrainConfig#width()} is the one width)
 * @param layerLr     per-layer learning rates (one per parameter group, first layer first), or null: every group --lr
 * @param schedule    learning-rate schedule: none | halve:P (η·2^−⌊t/P⌋) | steps:P:f0,f1,… (factor f_i in period i, the last repeats)
 * @param labelNoise  probability p of flipping each training label (eval labels stay clean)
 * @param trainSize   m > 0: a fixed training set of m samples cycled in order (multi-pass); 0: a fresh batch every step
 * @param inputs      pm1 (uniform ±1, bit-packed) | biased:P ((Ber(P) − P)/√(P(1−P)) per coordinate, dense) | gaussian (N(0,1), dense)
 * @param targetMse   real-valued targets: solved ⇔ eval MSE ≤ targetMse × Var(target)
 * @param trackPrefixes d > 0: also record f̂_{1:j} = E[f(x)·x1⋯xj] for j = 0..d at every check (0: off); a real-valued
 *                    target's own monomials are always tracked
 * @param scoreByMse  score ±1 targets by eval MSE too, and call them solved by the MSE bar (the staircase paper's χ_{1:d}
 *                    baseline); real-valued targets are always scored by MSE
 * @param optimizer   sgd (the models' fused step), or momentum, nesterov, adam, adamw with their hyper-parameters
 */
public record Setup(String target, ModelSpec model, List<Double> layerLr, String schedule, double labelNoise, int trainSize,
                    String inputs, double targetMse, int trackPrefixes, boolean scoreByMse, OptimizerSpec optimizer) {

    public static final Setup DEFAULT = new Setup("parity", ModelSpec.DEFAULT, null, "none", 0.0, 0, "pm1", 0.05, 0, false,
            OptimizerSpec.SGD);

    /** Plain SGD. */
    public Setup(String target, ModelSpec model, List<Double> layerLr, String schedule, double labelNoise, int trainSize,
                 String inputs, double targetMse, int trackPrefixes, boolean scoreByMse) {
        this(target, model, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, scoreByMse, OptimizerSpec.SGD);
    }

    /** Accuracy scoring for ±1 targets. */
    public Setup(String target, ModelSpec model, List<Double> layerLr, String schedule, double labelNoise, int trainSize,
                 String inputs, double targetMse, int trackPrefixes) {
        this(target, model, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, false);
    }

    public Setup {
        target = target == null ? "parity" : target.trim();
        schedule = schedule == null ? "none" : schedule.trim().toLowerCase(Locale.ROOT);
        inputs = inputs == null ? "pm1" : inputs.trim().toLowerCase(Locale.ROOT);
        // the width lives in TrainConfig alone: one canonical value here, so equals() (and DEFAULT) ignore it
        model = (model == null ? ModelSpec.DEFAULT : model).withWidth(ModelSpec.DEFAULT.width());
        if (layerLr != null) layerLr = List.copyOf(layerLr);
        if (optimizer == null) optimizer = OptimizerSpec.SGD;
    }

    /**
     * Equal to {@link #DEFAULT}, field by field: a record's generated equals() sets up method handles on its first call,
     * ~20 ms of a cold run, and every run asks this.
     */
    public boolean isDefault() {
        Setup d = DEFAULT;
        ModelSpec m = model, dm = d.model;
        return target.equals(d.target) && m.arch().equals(dm.arch()) && m.depth() == dm.depth()
                && java.util.Objects.equals(m.activation(), dm.activation()) && m.degree() == dm.degree()
                && m.secondLayer() == dm.secondLayer() && java.util.Objects.equals(m.init(), dm.init()) && layerLr == null
                && schedule.equals(d.schedule) && Double.compare(labelNoise, d.labelNoise) == 0 && trainSize == d.trainSize
                && inputs.equals(d.inputs) && Double.compare(targetMse, d.targetMse) == 0 && trackPrefixes == d.trackPrefixes
                && scoreByMse == d.scoreByMse && optimizer.isSgd();
    }

    public Setup withTarget(String t) {
        return new Setup(t, model, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, scoreByMse, optimizer);
    }

    public Setup withModel(ModelSpec m) {
        return new Setup(target, m, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, scoreByMse, optimizer);
    }

    public Setup withData(double noise, int m, String in) {
        return new Setup(target, model, layerLr, schedule, noise, m, in, targetMse, trackPrefixes, scoreByMse, optimizer);
    }

    public Setup withRates(List<Double> perLayer, String sched) {
        return new Setup(target, model, perLayer, sched, labelNoise, trainSize, inputs, targetMse, trackPrefixes, scoreByMse, optimizer);
    }

    public Setup withTracking(double mse, int prefixes) {
        return new Setup(target, model, layerLr, schedule, labelNoise, trainSize, inputs, mse, prefixes, scoreByMse, optimizer);
    }

    public Setup withScoreByMse(boolean on) {
        return new Setup(target, model, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, on, optimizer);
    }

    public Setup withOptimizer(OptimizerSpec o) {
        return new Setup(target, model, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, scoreByMse, o);
    }

    /** Snake-case keys for JSON records; only what differs from the default parity MLP setup is worth reading, but all is written. */
    public Map<String, Object> toMap() {
        var m = new LinkedHashMap<String, Object>();
        m.put("target", target);
        m.putAll(model.toMap());
        m.remove("width");
        m.put("layer_lr", layerLr);
        m.put("schedule", schedule);
        m.put("label_noise", labelNoise);
        m.put("train_size", trainSize);
        m.put("inputs", inputs);
        m.put("target_mse", targetMse);
        m.put("track_prefixes", trackPrefixes);
        m.put("score_by_mse", scoreByMse);
        m.put("optimizer", optimizer.name());
        m.put("momentum", optimizer.momentum());
        m.put("beta1", optimizer.beta1());
        m.put("beta2", optimizer.beta2());
        m.put("eps", optimizer.eps());
        return m;
    }
}
