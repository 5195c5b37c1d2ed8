package bitsgd.harness.train;

import bitsgd.harness.model.Inputs;
import bitsgd.harness.model.Model;
import bitsgd.harness.model.Tensor;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.optim.AdamCoefficients;
import bitsgd.kernel.optim.OptimKernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's optimizer, torch.optim's rules ({@link OptimizerSpec}, {@link OptimKernels}): {@code sgd} is the model's
 * fused step, untouched; the others take {@link Model#gradient}, update a flat copy of the parameters tensor by tensor
 * with the rate of the tensor's group, and set the model from it.
 *
 * <p>State, for checkpoints ({@link #state()}, {@link #restore}): per tensor, {@code momentum_buffer.NAME} (momentum,
 * nesterov) or {@code exp_avg.NAME} and {@code exp_avg_sq.NAME} (adam, adamw), torch's names, each a float array of the
 * tensor's size in {@link Model#parameters()} order; and the number of steps taken (Adam's bias corrections count from it).
 */
public final class Optimizer {
    private final OptimizerSpec spec;
    private final OptimKernels kernels;
    private final List<Tensor> tensors;
    private final int[] offsets;
    /** ∂L/∂θ of the current step; momentum buffer or exp_avg; exp_avg_sq (flat, parameters() order; null when unused). */
    private final float[] grad, first, second;
    private long steps;

    /** The optimizer of {@code spec} for {@code model}, on the provider's update kernels. */
    public Optimizer(OptimizerSpec spec, Model model) {
        this(spec, model, Kernels.optim());
    }

    public Optimizer(OptimizerSpec spec, Model model, OptimKernels kernels) {
        this.spec = spec;
        this.kernels = kernels;
        this.tensors = model.tensors();
        this.offsets = Tensor.offsets(tensors);
        int size = offsets[tensors.size()];
        if (size != model.parameterCount()) throw new IllegalStateException(model.describe() + ": tensors do not cover the parameters");
        grad = spec.isSgd() ? null : new float[size];
        first = spec.isSgd() ? null : new float[size];
        second = spec.isAdam() ? new float[size] : null;
    }

    public OptimizerSpec spec() {
        return spec;
    }

    /**
     * One step on the batch: θ moves by the optimizer's rule with rate {@code lr[g]} for the tensors of group g and
     * weight decay λ.
     *
     * @return the mean batch loss at the parameters before the step
     */
    public float step(Model model, Inputs x, float[] y, Loss loss, float[] lr, float weightDecay) {
        if (spec.isSgd()) {
            steps++;
            return model.step(x, y, loss, lr, weightDecay);
        }
        float l = model.gradient(x, y, loss, grad);
        float[] p = model.parameters();
        steps++;
        for (int t = 0; t < tensors.size(); t++) {
            int from = offsets[t], to = offsets[t + 1];
            float eta = lr[tensors.get(t).group()];
            if (spec.usesMomentum()) {
                kernels.momentum(p, grad, first, from, to, eta, weightDecay, (float) (double) spec.momentum(), spec.name().equals("nesterov"));
            } else {
                AdamCoefficients c = AdamCoefficients.of(eta, weightDecay, spec.beta1(), spec.beta2(), spec.eps(), steps,
                        spec.name().equals("adamw"));
                kernels.adam(p, grad, first, second, from, to, c);
            }
        }
        model.setParameters(p);
        return l;
    }

    /** Steps taken (restored ones included). */
    public long steps() {
        return steps;
    }

    /** Copies of the state arrays by name, tensor by tensor ({@code exp_avg.W}, …); empty for sgd. */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int t = 0; t < tensors.size(); t++) {
            String name = tensors.get(t).name();
            int from = offsets[t], to = offsets[t + 1];
            if (spec.usesMomentum()) out.put("momentum_buffer." + name, java.util.Arrays.copyOfRange(first, from, to));
            if (spec.isAdam()) {
                out.put("exp_avg." + name, java.util.Arrays.copyOfRange(first, from, to));
                out.put("exp_avg_sq." + name, java.util.Arrays.copyOfRange(second, from, to));
            }
        }
        return out;
    }

    /** Sets the state and step count from a {@link #state()} and {@link #steps()} saved earlier; the names and sizes must match. */
    public void restore(Map<String, float[]> state, long stepsTaken) {
        if (stepsTaken < 0) throw new IllegalArgumentException("steps must be >= 0, got " + stepsTaken);
        Map<String, float[]> expected = state();
        if (!expected.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(spec.name() + " state needs " + expected.keySet() + ", got " + state.keySet());
        }
        for (int t = 0; t < tensors.size(); t++) {
            String name = tensors.get(t).name();
            int from = offsets[t], size = offsets[t + 1] - from;
            if (spec.usesMomentum()) copyIn(state, "momentum_buffer." + name, first, from, size);
            if (spec.isAdam()) {
                copyIn(state, "exp_avg." + name, first, from, size);
                copyIn(state, "exp_avg_sq." + name, second, from, size);
            }
        }
        steps = stepsTaken;
    }

    private static void copyIn(Map<String, float[]> state, String key, float[] into, int from, int size) {
        float[] v = state.get(key);
        if (v.length != size) throw new IllegalArgumentException(key + " has " + v.length + " values, the tensor " + size);
        System.arraycopy(v, 0, into, from, size);
    }
}
