package bitsgd.kernel.optim;

import bitsgd.kernel.mlp.VectorMlpKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarOptimKernels}: the same float operations lane by lane (fma, sqrt and division are
 * IEEE-rounded per lane), so the two agree bit for bit; the elements past the last full vector run the scalar loop.
 * Loaded only after the provider has checked that the incubator module is present.
 */
public final class VectorOptimKernels implements OptimKernels {

    /** The MLP kernels' species (one -Dbitsgd.vectorBits choice per JVM); static final so C2 folds it. */
    static final VectorSpecies<Float> F = VectorMlpKernels.species();
    static final int LANES = F.length();

    private VectorOptimKernels() {}

    public static OptimKernels create() {
        return new VectorOptimKernels();
    }

    @Override
    public String name() {
        return "vector-" + LANES * 32;
    }

    @Override
    public void momentum(float[] p, float[] g, float[] buf, int from, int to, float lr, float weightDecay, float momentum, boolean nesterov) {
        OptimKernels.checkRange(from, to, p, g, buf);
        int i = from;
        FloatVector mu = FloatVector.broadcast(F, momentum), wd = FloatVector.broadcast(F, weightDecay), negLr = FloatVector.broadcast(F, -lr);
        boolean decay = weightDecay != 0f;
        for (; i + LANES <= to; i += LANES) {
            FloatVector pv = FloatVector.fromArray(F, p, i), d = FloatVector.fromArray(F, g, i);
            if (decay) d = pv.fma(wd, d);
            FloatVector b = FloatVector.fromArray(F, buf, i).mul(mu).add(d);
            b.intoArray(buf, i);
            d = nesterov ? b.fma(mu, d) : b;
            d.fma(negLr, pv).intoArray(p, i);
        }
        ScalarOptimKernels.INSTANCE.momentum(p, g, buf, i, to, lr, weightDecay, momentum, nesterov);
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, AdamCoefficients c) {
        OptimKernels.checkRange(from, to, p, g, m, v);
        FloatVector wd = FloatVector.broadcast(F, c.weightDecay()), decay = FloatVector.broadcast(F, c.decay());
        FloatVector beta1 = FloatVector.broadcast(F, c.beta1()), oneMinusBeta1 = FloatVector.broadcast(F, c.oneMinusBeta1());
        FloatVector beta2 = FloatVector.broadcast(F, c.beta2()), oneMinusBeta2 = FloatVector.broadcast(F, c.oneMinusBeta2());
        FloatVector negStep = FloatVector.broadcast(F, c.negStepSize()), bc2Sqrt = FloatVector.broadcast(F, c.bc2Sqrt());
        FloatVector eps = FloatVector.broadcast(F, c.eps());
        boolean l2 = c.weightDecay() != 0f;
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector pv = FloatVector.fromArray(F, p, i), d = FloatVector.fromArray(F, g, i);
            if (l2) d = pv.fma(wd, d);
            pv = pv.mul(decay);
            FloatVector mv = d.fma(oneMinusBeta1, FloatVector.fromArray(F, m, i).mul(beta1));
            FloatVector vv = FloatVector.fromArray(F, v, i).mul(beta2).add(oneMinusBeta2.mul(d).mul(d));
            FloatVector denom = vv.sqrt().div(bc2Sqrt).add(eps);
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            pv.add(negStep.mul(mv).div(denom)).intoArray(p, i);
        }
        ScalarOptimKernels.INSTANCE.adam(p, g, m, v, i, to, c);
    }
}
