package bitsgd.harness.model;

import bitsgd.harness.UsageException;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Mlp2;
import java.util.List;
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
            case "mlp" -> mlp(spec, n, init, kernels);
            case "resnet" -> resnet(spec, n, init, kernels);
            default -> throw new UsageException("--arch must be mlp, neuron, polynet or resnet, got '" + spec.arch() + "'");
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
        if (spec.init().equals("sign") && !spec.arch().equals("mlp")) {
            throw new UsageException("--init sign is the 2-layer MLP's theory-check init; --arch " + spec.arch() + " takes uniform, gaussian or bernoulli");
        }
        switch (spec.arch()) {
            case "mlp" -> {
                checkWidth(spec);
                checkActivation(spec, "relu");
            }
            case "resnet" -> {
                checkWidth(spec);
                checkActivation(spec, "relu");
                if (spec.depth() < 2) throw new UsageException("--depth for --arch resnet must be >= 2, got " + spec.depth());
            }
            default -> throw new UsageException("--arch must be mlp, neuron, polynet or resnet, got '" + spec.arch() + "'");
        }
    }

    private static void checkWidth(ModelSpec spec) {
        if (spec.width() < 1) throw new UsageException("--width must be >= 1, got " + spec.width());
    }

    private static void checkActivation(ModelSpec spec, String... allowed) {
        if (!List.of(allowed).contains(spec.activation())) {
            throw new UsageException("--activation for --arch " + spec.arch() + " must be " + String.join(" or ", allowed) + ", got '"
                    + spec.activation() + "'");
        }
    }

    private static Model mlp(ModelSpec spec, int n, RandomGenerator rng, String kernels) {
        Mlp2 net = new Mlp2(n, spec.width());
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
        return new BitMlp(net, Kernels.mlp(kernels));
    }

    /** PROTOCOLS.md §B: the ReLU ResNet with L = depth layers of width W (L = 2: the dense 2-layer ReLU MLP). */
    private static Model resnet(ModelSpec spec, int n, RandomGenerator rng, String kernels) {
        return new ResNet(n, spec.width(), spec.depth(), Kernels.dense(kernels)).init(scheme(spec), rng);
    }

    /** The random init scheme of a validated spec whose init is not {@code sign}. */
    static InitScheme scheme(ModelSpec spec) {
        return InitScheme.valueOf(spec.init().toUpperCase(java.util.Locale.ROOT));
    }
}
