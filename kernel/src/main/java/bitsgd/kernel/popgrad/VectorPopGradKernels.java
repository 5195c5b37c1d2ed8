package bitsgd.kernel.popgrad;

import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.VectorMlpKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarPopGradKernels}. Rows are padded to a whole number of vectors with
 * zeros (a_j = 0, T = 0, base = 0 in the padding: z = 0 there, so those lanes add nothing), so the hot
 * loops have no scalar tail and no masks. Loaded only after the provider checked the incubator module.
 */
public final class VectorPopGradKernels implements PopGradKernels, Enumeration.BlockOps {

    /** The MLP kernels' species (one -Dbitsgd.vectorBits choice per JVM); static final so C2 folds it. */
    static final VectorSpecies<Float> F = VectorMlpKernels.species();
    static final int LANES = F.length();

    private VectorPopGradKernels() {}

    public static PopGradKernels create() {
        return new VectorPopGradKernels();
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    @Override
    public PopGrad compute(Mlp2 net, PopTarget target, Loss loss, double flip) {
        return Enumeration.run(name(), this, net, target, loss, flip);
    }

    @Override
    public int stride(int h) {
        return (h + LANES - 1) / LANES * LANES;
    }

    @Override
    public void base(Mlp2 net, int lowBits, long q, float[] base) {
        int n = net.n, h = net.h, bound = F.loopBound(h);
        float[] w = net.w;
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector acc = FloatVector.fromArray(F, net.b, j);
            for (int i = lowBits; i < n; i++) {
                FloatVector wv = FloatVector.fromArray(F, w, i * h + j);
                acc = (q >>> (i - lowBits) & 1) != 0 ? acc.sub(wv) : acc.add(wv);
            }
            acc.intoArray(base, j);
        }
        for (; j < h; j++) {
            float acc = net.b[j];
            for (int i = lowBits; i < n; i++) acc += (q >>> (i - lowBits) & 1) != 0 ? -w[i * h + j] : w[i * h + j];
            base[j] = acc;
        }
    }

    /** Four inputs per pass over the hidden units: base and a are loaded once for four outputs. */
    @Override
    public void forward(float[] base, float[] table, float[] a, float c, int inputs, int stride, float[] f) {
        float[] lanes = new float[LANES];
        int p = 0;
        for (; p + 4 <= inputs; p += 4) {
            int r0 = p * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int j = 0; j < stride; j += LANES) {
                FloatVector bv = FloatVector.fromArray(F, base, j), av = FloatVector.fromArray(F, a, j);
                s0 = av.fma(bv.add(FloatVector.fromArray(F, table, r0 + j)).max(0f), s0);
                s1 = av.fma(bv.add(FloatVector.fromArray(F, table, r1 + j)).max(0f), s1);
                s2 = av.fma(bv.add(FloatVector.fromArray(F, table, r2 + j)).max(0f), s2);
                s3 = av.fma(bv.add(FloatVector.fromArray(F, table, r3 + j)).max(0f), s3);
            }
            f[p] = c + sumLanes(s0, lanes);
            f[p + 1] = c + sumLanes(s1, lanes);
            f[p + 2] = c + sumLanes(s2, lanes);
            f[p + 3] = c + sumLanes(s3, lanes);
        }
        for (; p < inputs; p++) {
            int r0 = p * stride;
            FloatVector s0 = FloatVector.zero(F);
            for (int j = 0; j < stride; j += LANES) {
                FloatVector bv = FloatVector.fromArray(F, base, j), av = FloatVector.fromArray(F, a, j);
                s0 = av.fma(bv.add(FloatVector.fromArray(F, table, r0 + j)).max(0f), s0);
            }
            f[p] = c + sumLanes(s0, lanes);
        }
    }

    /**
     * Lane sum in a fixed order: reduceLanes(ADD) may associate differently once C2 compiles it,
     * which would make results depend on JIT timing (same inputs, different last bits).
     */
    private static float sumLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float sum = 0f;
        for (int l = 0; l < LANES; l++) sum += lanes[l];
        return sum;
    }

    /**
     * One vector of hidden units at a time, all inputs of the block inside: base, E and GA stay in
     * registers. Two inputs per iteration with separate accumulators: the E and GA add chains would
     * otherwise serialise on FP latency. g·max(z, 0) = d·z with d = g·[z &gt; 0], one fma.
     */
    @Override
    public void backward(float[] base, float[] table, float[] g, int inputs, int stride, float[] d, float[] e, float[] ga) {
        for (int j = 0; j < stride; j += LANES) {
            FloatVector bv = FloatVector.fromArray(F, base, j);
            FloatVector zero = FloatVector.zero(F);
            FloatVector e0 = zero, e1 = zero, ga0 = zero, ga1 = zero;
            int p = 0;
            for (; p + 2 <= inputs; p += 2) {
                int o0 = p * stride + j, o1 = o0 + stride;
                FloatVector z0 = bv.add(FloatVector.fromArray(F, table, o0));
                FloatVector z1 = bv.add(FloatVector.fromArray(F, table, o1));
                FloatVector d0 = zero.blend(g[p], z0.compare(VectorOperators.GT, 0f));
                FloatVector d1 = zero.blend(g[p + 1], z1.compare(VectorOperators.GT, 0f));
                FloatVector.fromArray(F, d, o0).add(d0).intoArray(d, o0);
                FloatVector.fromArray(F, d, o1).add(d1).intoArray(d, o1);
                e0 = e0.add(d0);
                e1 = e1.add(d1);
                ga0 = d0.fma(z0, ga0);
                ga1 = d1.fma(z1, ga1);
            }
            for (; p < inputs; p++) {
                int o0 = p * stride + j;
                FloatVector z0 = bv.add(FloatVector.fromArray(F, table, o0));
                FloatVector d0 = zero.blend(g[p], z0.compare(VectorOperators.GT, 0f));
                FloatVector.fromArray(F, d, o0).add(d0).intoArray(d, o0);
                e0 = e0.add(d0);
                ga0 = d0.fma(z0, ga0);
            }
            e0.add(e1).intoArray(e, j);
            ga0.add(ga1).intoArray(ga, j);
        }
    }
}
