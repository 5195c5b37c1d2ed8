package bitsgd.harness.model;

import bitsgd.harness.UsageException;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Mlp2;
import java.util.random.RandomGenerator;

/** Builds the {@link Model} a {@link ModelSpec} names, initialised from the run's INIT stream. */
public final class Models {
    private Models() {}

    /**
     * @param n        input dimension
     * @param taskK    the task's k (resolves {@code degree = 0})
     * @param init     the run's INIT stream (the only randomness drawn)
     * @param kernels  auto | scalar | vector, for the models with fast kernels
     * @throws UsageException with a one-line message when the combination makes no sense
     */
    public static Model create(ModelSpec spec, int n, int taskK, RandomGenerator init, String kernels) {
        return switch (spec.arch()) {
            case "mlp" -> mlp(spec, n, taskK, init, kernels);
            case "neuron" -> neuron(spec, n, taskK, init);
            case "polynet" -> polynet(spec, n, taskK, init);
            default -> throw new UsageException("--arch must be mlp, neuron, polynet or resnet, got '" + spec.arch() + "'");
        };
    }

    private static Model mlp(ModelSpec spec, int n, int taskK, RandomGenerator rng, String kernels) {
        if (spec.width() < 1) throw new UsageException("--width must be >= 1, got " + spec.width());
        Activation act = switch (spec.activation()) {
            case "relu" -> Activation.RELU;
            case "pow" -> Activation.pow(degree(spec, taskK, "--activation pow"));
            default -> throw new UsageException("--activation for --arch mlp must be relu or pow, got '" + spec.activation() + "'");
        };
        Mlp2 net = new Mlp2(n, spec.width(), act);
        switch (spec.init()) {
            case "uniform" -> net.initUniform(rng);
            case "sign" -> Init.sign(net);
            case "gaussian", "bernoulli" -> {
                InitScheme s = InitScheme.valueOf(spec.init().toUpperCase(java.util.Locale.ROOT));
                s.fill(net.w, n, rng);
                s.fill(net.b, n, rng);
                s.fill(net.a, spec.width(), rng);
                net.c = s.draw(spec.width(), rng);
            }
            default -> throw new UsageException("--init must be uniform, gaussian, bernoulli or sign, got '" + spec.init() + "'");
        }
        return new BitMlp(net, Kernels.mlp(kernels));
    }

    /**
     * f = a·σ(w·x + b) + c or σ(w·x + b). The width is ignored; the degree k (0 = the task's k) sets the zigzags'
     * and the polynomial's k.
     */
    private static Model neuron(ModelSpec spec, int n, int taskK, RandomGenerator rng) {
        NeuronActivation.Kind kind = NeuronActivation.parse(spec.activation());
        if (kind == null) {
            throw new UsageException("--activation for --arch neuron must be sin, zigzag, zigzag-inf or poly, got '" + spec.activation() + "'");
        }
        int k = kind == NeuronActivation.Kind.SIN ? 0 : degree(spec, taskK, "--activation " + kind.flag());
        InitScheme scheme = scheme(spec, "neuron");
        return new Neuron(n, new NeuronActivation(kind, k), spec.secondLayer()).init(scheme, rng);
    }

    /** f = Π_{i≤k} (w_i·x + b_i). Takes no activation (relu, the default, and none are accepted and ignored). */
    private static Model polynet(ModelSpec spec, int n, int taskK, RandomGenerator rng) {
        String a = spec.activation();
        if (a != null && !a.isEmpty() && !a.equals("none") && !a.equals(ModelSpec.DEFAULT.activation())) {
            throw new UsageException("--arch polynet takes no --activation (it is a product of k linear units), got '" + a + "'");
        }
        int k = degree(spec, taskK, "--arch polynet");
        if (k > n) throw new UsageException("--arch polynet needs degree k <= n, got k=" + k + " > n=" + n);
        return new PolyNet(n, k).init(scheme(spec, "polynet"), rng);
    }

    /** The spec's degree, 0 resolved to the task's k; at least 1. */
    private static int degree(ModelSpec spec, int taskK, String what) {
        int k = spec.degreeOr(taskK);
        if (k < 1) throw new UsageException(what + " needs --degree >= 1 (or a task k >= 1), got " + k);
        return k;
    }

    /** uniform | gaussian | bernoulli; sign is the MLP theory check's init only. */
    private static InitScheme scheme(ModelSpec spec, String arch) {
        return switch (spec.init()) {
            case "uniform" -> InitScheme.UNIFORM;
            case "gaussian" -> InitScheme.GAUSSIAN;
            case "bernoulli" -> InitScheme.BERNOULLI;
            case "sign" -> throw new UsageException("--init sign is for --arch mlp only (the theory check), not " + arch);
            default -> throw new UsageException("--init must be uniform, gaussian or bernoulli for --arch " + arch + ", got '" + spec.init() + "'");
        };
    }
}
