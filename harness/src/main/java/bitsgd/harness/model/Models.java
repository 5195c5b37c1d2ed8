package bitsgd.harness.model;

import bitsgd.harness.UsageException;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Mlp2;
import java.util.List;
import java.util.Locale;
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
        validate(spec, n, taskK);
        return switch (spec.arch()) {
            case "mlp" -> mlp(spec, n, taskK, init, kernels);
            case "neuron" -> neuron(spec, n, taskK, init);
            case "polynet" -> new PolyNet(n, spec.degreeOr(taskK)).init(scheme(spec), init);
            case "resnet" -> new ResNet(n, spec.width(), spec.depth(), Kernels.dense(kernels)).init(scheme(spec), init);
            case "transformer" -> new Transformer(n, spec.width(), spec.heads(), spec.depth(), Kernels.attention(kernels)).init(init);
            default -> throw new IllegalStateException("validated arch " + spec.arch());
        };
    }

    /**
     * Checks the spec without building a model (sweep specs are checked before any run starts).
     *
     * @throws UsageException with a one-line message naming the first bad setting
     */
    public static void validate(ModelSpec spec, int n, int taskK) {
        if (spec.degree() < 0) throw new UsageException("--degree must be >= 1 (or 0: the task's k), got " + spec.degree());
        if (!List.of("uniform", "gaussian", "bernoulli", "sign").contains(spec.init())) {
            throw new UsageException("--init must be uniform, gaussian, bernoulli or sign, got '" + spec.init() + "'");
        }
        if (spec.init().equals("sign") && !spec.arch().equals("mlp") && !spec.arch().equals("transformer")) {
            throw new UsageException("--init sign is the 2-layer MLP's theory-check init; --arch " + spec.arch() + " takes uniform, gaussian or bernoulli");
        }
        switch (spec.arch()) {
            case "mlp" -> {
                checkWidth(spec);
                checkActivation(spec, "relu", "pow");
                if (spec.activation().equals("pow")) checkDegree(spec, taskK, "--activation pow");
            }
            case "neuron" -> {
                NeuronActivation.Kind kind = NeuronActivation.parse(spec.activation());
                if (kind == null) checkActivation(spec, "sin", "zigzag", "zigzag-inf", "poly");
                if (kind != NeuronActivation.Kind.SIN) checkDegree(spec, taskK, "--activation " + spec.activation());
            }
            case "polynet" -> {
                // PolyNet has no activation: relu (every arch's default) and none are accepted and ignored
                checkActivation(spec, "relu", "none");
                int k = checkDegree(spec, taskK, "--arch polynet");
                if (k > n) throw new UsageException("--arch polynet multiplies k = " + k + " linear units of n = " + n + " inputs: needs k <= n");
            }
            case "resnet" -> {
                checkWidth(spec);
                checkActivation(spec, "relu");
                if (spec.depth() < 2) throw new UsageException("--depth for --arch resnet must be >= 2, got " + spec.depth());
            }
            case "transformer" -> {
                checkWidth(spec);
                checkActivation(spec, "relu");
                if (!spec.init().equals("uniform")) {
                    throw new UsageException("--init for --arch transformer must be uniform (drawn Xavier-uniform, the paper's), got '" + spec.init() + "'");
                }
                if (spec.depth() < 1) throw new UsageException("--depth for --arch transformer (blocks) must be >= 1, got " + spec.depth());
                if (spec.heads() < 1 || spec.width() % spec.heads() != 0) {
                    throw new UsageException("--heads must be >= 1 and divide --width (attention dimension = width / heads), got --width "
                            + spec.width() + " --heads " + spec.heads());
                }
            }
            default -> throw new UsageException("--arch must be mlp, neuron, polynet, resnet or transformer, got '" + spec.arch() + "'");
        }
    }

    private static void checkWidth(ModelSpec spec) {
        if (spec.width() < 1) throw new UsageException("--width must be >= 1, got " + spec.width());
    }

    private static void checkActivation(ModelSpec spec, String... allowed) {
        if (!List.of(allowed).contains(spec.activation())) {
            String list = allowed.length == 1 ? allowed[0]
                    : String.join(", ", List.of(allowed).subList(0, allowed.length - 1)) + " or " + allowed[allowed.length - 1];
            throw new UsageException("--activation for --arch " + spec.arch() + " must be " + list + ", got '" + spec.activation() + "'");
        }
    }

    /** The spec's degree, 0 resolved to the task's k; at least 1. */
    private static int checkDegree(ModelSpec spec, int taskK, String what) {
        int k = spec.degreeOr(taskK);
        if (k < 1) throw new UsageException(what + " needs --degree >= 1 (or a task k >= 1), got " + k);
        return k;
    }

    private static Model mlp(ModelSpec spec, int n, int taskK, RandomGenerator rng, String kernels) {
        Activation act = spec.activation().equals("pow") ? Activation.pow(spec.degreeOr(taskK)) : Activation.RELU;
        Mlp2 net = new Mlp2(n, spec.width(), act);
        switch (spec.init()) {
            case "uniform" -> net.initUniform(rng);
            case "sign" -> Init.sign(net);
            default -> {
                InitScheme s = scheme(spec);
                s.fill(net.w, n, rng);
                s.fill(net.b, n, rng);
                s.fill(net.a, spec.width(), rng);
                net.c = s.draw(spec.width(), rng);
            }
        }
        return new BitMlp(net, Kernels.runMlp(kernels));
    }

    /** f = a·σ(w·x + b) + c or σ(w·x + b); the width is ignored, the degree k sets the zigzags' and the polynomial's k. */
    private static Model neuron(ModelSpec spec, int n, int taskK, RandomGenerator rng) {
        NeuronActivation.Kind kind = NeuronActivation.parse(spec.activation());
        int k = kind == NeuronActivation.Kind.SIN ? 0 : spec.degreeOr(taskK);
        return new Neuron(n, new NeuronActivation(kind, k), spec.secondLayer()).init(scheme(spec), rng);
    }

    /** The random init scheme of a validated spec whose init is not {@code sign}. */
    static InitScheme scheme(ModelSpec spec) {
        return InitScheme.valueOf(spec.init().toUpperCase(Locale.ROOT));
    }
}
