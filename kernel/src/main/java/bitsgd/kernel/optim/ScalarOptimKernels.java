package bitsgd.kernel.optim;

/** The reference: one loop per rule that reads like the math in {@link OptimKernels}, in its float order. */
public final class ScalarOptimKernels implements OptimKernels {

    public static final ScalarOptimKernels INSTANCE = new ScalarOptimKernels();

    private ScalarOptimKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void momentum(float[] p, float[] g, float[] buf, int from, int to, float lr, float weightDecay, float momentum, boolean nesterov) {
        OptimKernels.checkRange(from, to, p, g, buf);
        for (int i = from; i < to; i++) {
            float d = weightDecay != 0f ? Math.fma(p[i], weightDecay, g[i]) : g[i];
            float b = buf[i] * momentum + d;
            buf[i] = b;
            if (nesterov) d = Math.fma(b, momentum, d);
            else d = b;
            p[i] = Math.fma(d, -lr, p[i]);
        }
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, AdamCoefficients c) {
        OptimKernels.checkRange(from, to, p, g, m, v);
        for (int i = from; i < to; i++) {
            float d = c.weightDecay() != 0f ? Math.fma(p[i], c.weightDecay(), g[i]) : g[i];
            float pi = p[i] * c.decay();
            float mi = Math.fma(d, c.oneMinusBeta1(), m[i] * c.beta1());
            float vi = v[i] * c.beta2() + (c.oneMinusBeta2() * d) * d;
            float denom = (float) Math.sqrt(vi) / c.bc2Sqrt() + c.eps();
            m[i] = mi;
            v[i] = vi;
            p[i] = pi + (c.negStepSize() * mi) / denom;
        }
    }
}
