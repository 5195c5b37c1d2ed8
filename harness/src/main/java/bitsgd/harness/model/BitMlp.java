package bitsgd.harness.model;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.HandoverMlpKernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import bitsgd.kernel.mlp.ScalarMlpKernels;
import bitsgd.kernel.mlp.TwinMlpKernels;
import java.util.List;

/**
 * The 2-layer MLP on bit-packed inputs (σ = ReLU or z^k, {@link bitsgd.kernel.mlp.Activation}), run by the fused
 * {@link MlpKernels} (scalar or Vector API).
 * Groups: 0 = first layer (W, b), 1 = second layer (a, c). Parameter order: W (input-major), b, a, c.
 */
public final class BitMlp implements Model {
    private final Mlp2 net;
    private final MlpKernels kernels;
    private MlpKernels.Workspace trainWs, evalWs, gradientWs;
    private int trainCap, evalCap, gradientCap;
    private int threads = 1;

    public BitMlp(Mlp2 net, MlpKernels kernels) {
        this.net = net;
        this.kernels = kernels;
    }

    /** The live parameters. */
    public Mlp2 net() { return net; }

    public MlpKernels kernels() { return kernels; }

    @Override public String describe() { return "mlp " + net.activation + " width=" + net.h + " (" + kernels.name() + ")"; }

    @Override public int inputs() { return net.n; }

    @Override public int layers() { return 2; }

    @Override public String[] layerNames() { return new String[] {"first", "second"}; }

    @Override
    public float step(Inputs x, float[] y, Loss loss, float[] lr, float weightDecay) {
        int size = x.size();
        if (trainWs == null || size > trainCap) {
            trainCap = Math.max(size, trainCap);
            trainWs = kernels.workspace(net.n, net.h, trainCap, threads);
        }
        return kernels.step(net, x.bits(), y, loss, lr[0], lr[1], weightDecay, trainWs);
    }

    /**
     * The gradient pass of the step's own algorithm, on one thread: the scalar reference's for the scalar kernels; for
     * the vector kernels their plain-Java twin's ({@link TwinMlpKernels#gradient}), whose bits are the vector step's
     * (the Vector API code fuses the update into its backward pass and has no gradient-only pass).
     */
    @Override
    public float gradient(Inputs x, float[] y, Loss loss, float[] grad) {
        int size = x.size();
        TwinMlpKernels twin = gradientTwin();
        if (gradientWs == null || size > gradientCap) {
            gradientCap = Math.max(size, gradientCap);
            gradientWs = twin != null ? twin.workspace(net.n, net.h, gradientCap) : ScalarMlpKernels.INSTANCE.workspace(net.n, net.h, gradientCap);
        }
        return twin != null ? twin.gradient(net, x.bits(), y, loss, grad, gradientWs)
                : ScalarMlpKernels.INSTANCE.gradient(net, x.bits(), y, loss, grad, gradientWs);
    }

    /** The kernels {@link #gradient} runs on (one thread): the twin of the step's kernels, or the scalar reference. */
    public String gradientKernelsName() {
        TwinMlpKernels twin = gradientTwin();
        return twin != null ? twin.name() : ScalarMlpKernels.INSTANCE.name();
    }

    /** The twin whose bits are those of this model's kernels, or null for the scalar reference. */
    private TwinMlpKernels gradientTwin() {
        if (kernels instanceof ScalarMlpKernels) return null;
        if (kernels instanceof HandoverMlpKernels h) return h.twin();
        if (kernels instanceof TwinMlpKernels t) return t;
        return Kernels.twinMlp();   // the Vector API kernels alone (benchmarks, validation)
    }

    @Override
    public void forward(Inputs x, float[] f) {
        int size = x.size();
        if (evalWs == null || size > evalCap) {
            evalCap = Math.max(size, evalCap);
            evalWs = kernels.workspace(net.n, net.h, evalCap, threads);
        }
        kernels.forward(net, x.bits(), f, evalWs);
    }

    /** The vector kernels split the hidden units; the scalar reference runs on one thread. */
    @Override
    public boolean splitOver(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be >= 1, got " + t);
        if (t > 1 && kernels instanceof ScalarMlpKernels) return false;
        if (trainWs != null || evalWs != null) throw new IllegalStateException("set the threads before the first step");
        threads = t;
        return true;
    }

    /** Threads the steps ran on (1 before the first step). */
    @Override
    public int threads() {
        return trainWs != null ? trainWs.threads() : evalWs != null ? evalWs.threads() : 1;
    }

    @Override public long parameterCount() { return net.parameterCount(); }

    @Override
    public float[] parameters() {
        float[] p = new float[(int) net.parameterCount()];
        System.arraycopy(net.w, 0, p, 0, net.w.length);
        System.arraycopy(net.b, 0, p, net.w.length, net.h);
        System.arraycopy(net.a, 0, p, net.w.length + net.h, net.h);
        p[p.length - 1] = net.c;
        return p;
    }

    @Override
    public void setParameters(float[] p) {
        if (p.length != net.parameterCount()) throw new IllegalArgumentException("expected " + net.parameterCount() + " parameters, got " + p.length);
        System.arraycopy(p, 0, net.w, 0, net.w.length);
        System.arraycopy(p, net.w.length, net.b, 0, net.h);
        System.arraycopy(p, net.w.length + net.h, net.a, 0, net.h);
        net.c = p[p.length - 1];
    }

    /** W input-major (n × h), b, a, c; groups first (W, b) and second (a, c). */
    @Override
    public List<Tensor> tensors() {
        return List.of(new Tensor("W", 0, net.n, net.h), new Tensor("b", 0, net.h), new Tensor("a", 1, net.h), new Tensor("c", 1, 1));
    }

    @Override public float[] firstLayer() { return net.w.clone(); }

    @Override public int firstLayerUnits() { return net.h; }

    @Override public boolean needsBits() { return true; }

    @Override
    public long twinSteps() {
        if (!(kernels instanceof HandoverMlpKernels)) return -1;
        return trainWs instanceof HandoverMlpKernels.Scratch s ? s.twinSteps() : 0;
    }
}
