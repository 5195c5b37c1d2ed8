package bitsgd.kernel.mlp;

import bitsgd.kernel.bits.BitBatch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarMlpKernels}. Loaded only after the provider has checked that the
 * incubator module is present.
 */
public final class VectorMlpKernels implements MlpKernels {

    /** Chosen once from -Dbitsgd.vectorBits or the CPU's preferred shape; static final so C2 folds it. */
    static final VectorSpecies<Float> F = pickSpecies();
    static final int LANES = F.length();

    private VectorMlpKernels() {}

    public static MlpKernels create() {
        return new VectorMlpKernels();
    }

    private static VectorSpecies<Float> pickSpecies() {
        String bits = System.getProperty("bitsgd.vectorBits");
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        try {
            return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dbitsgd.vectorBits must be 64, 128, 256 or 512, got '" + bits + "'");
        }
    }

    /** Null when these kernels can run well here, else why not. */
    public static String unsupportedReason() {
        int max = VectorShape.preferredShape().vectorBitSize();
        if (max < 128) return "preferred vector width is " + max + " bits (< 128): no useful SIMD";
        if (F.vectorBitSize() < 128) return "vector width " + F.vectorBitSize() + " bits is below 128";
        if (F.vectorBitSize() > max) {
            return "vector width " + F.vectorBitSize() + " bits forced, but this CPU supports at most " + max;
        }
        return null;
    }

    public static String describe() {
        return F.vectorBitSize() + "-bit, " + LANES + " float lanes, max " + VectorShape.preferredShape().vectorBitSize() + "-bit";
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    static final class Scratch implements Workspace {
        final int n, h, maxBatch;
        final float[] z, f, g, grad;

        Scratch(int n, int h, int maxBatch) {
            this.n = n;
            this.h = h;
            this.maxBatch = maxBatch;
            this.z = new float[Math.multiplyExact(maxBatch, h)];
            this.f = new float[maxBatch];
            this.g = new float[maxBatch];
            this.grad = new float[h];
        }
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch) {
        return new Scratch(n, h, maxBatch);
    }

    @Override
    public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
        Scratch s = check(net, x, ws);
        forward(net, x, s.z, f);
    }

    private static void forward(Mlp2 net, BitBatch x, float[] z, float[] f) {
        int n = net.n, h = net.h, batch = x.size();
        int bound = F.loopBound(h);
        for (int s = 0; s < batch; s++) {
            int zb = s * h;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector acc = FloatVector.fromArray(F, net.b, j);
                for (int i = 0; i < n; i++) {
                    FloatVector wv = FloatVector.fromArray(F, net.w, i * h + j);
                    acc = x.bit(s, i) ? acc.sub(wv) : acc.add(wv);
                }
                acc.intoArray(z, zb + j);
            }
            for (; j < h; j++) {
                float acc = net.b[j];
                for (int i = 0; i < n; i++) acc += x.bit(s, i) ? -net.w[i * h + j] : net.w[i * h + j];
                z[zb + j] = acc;
            }
            FloatVector out = FloatVector.zero(F);
            j = 0;
            for (; j < bound; j += LANES) {
                FloatVector zv = FloatVector.fromArray(F, z, zb + j).max(0f);
                out = FloatVector.fromArray(F, net.a, j).fma(zv, out);
            }
            float o = out.reduceLanes(VectorOperators.ADD);
            for (; j < h; j++) o += net.a[j] * Math.max(z[zb + j], 0f);
            f[s] = net.c + o;
        }
    }

    @Override
    public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr, float weightDecay, Workspace ws) {
        // TODO(helper): fast fused kernel. Until then the reference math, for a compiling build.
        return ScalarMlpKernels.INSTANCE.step(net, x, y, loss, lr, weightDecay, ScalarMlpKernels.INSTANCE.workspace(net.n, net.h, x.size()));
    }

    private static Scratch check(Mlp2 net, BitBatch x, Workspace ws) {
        if (!(ws instanceof Scratch s)) throw new IllegalArgumentException("workspace is not from the vector kernels");
        if (s.n != net.n || s.h != net.h) throw new IllegalArgumentException("workspace shape differs from the net's");
        if (x.n() != net.n) throw new IllegalArgumentException("batch has n=" + x.n() + ", net has n=" + net.n);
        if (x.size() > s.maxBatch) throw new IllegalArgumentException("batch " + x.size() + " > workspace " + s.maxBatch);
        return s;
    }
}
