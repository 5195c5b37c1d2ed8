package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.ModelSpec;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting that defines a run, with its one name: {@code --name} on the command line, {@code name} with {@code -}
 * written {@code _} in sweep specs, {@code --config} files and records ({@code --max-steps} = {@code max_steps}; specs
 * and config files accept either spelling). Each setting's default and help text live here once, so {@code train},
 * {@code trace}, {@code popgrad}, specs and records cannot drift apart.
 */
public enum Setting {
    TARGET("target", Kind.STRING, "parity",
            "parity | staircase:d | double-staircase:d1,d2 | chi:d | monomials:'x1 + x1*x2 + 0.5*x3' | majority."),
    ARCH("arch", Kind.STRING, "mlp", "mlp | neuron | polynet | resnet | transformer."),
    ACTIVATION("activation", Kind.STRING, null,
            "mlp: relu | pow (z^k); neuron: sin | zigzag | zigzag-inf | poly; resnet: relu (default: relu, sin for neuron)."),
    DEGREE("degree", Kind.INT, "0", "k of z^k, of the k-zigzag and the degree-k polynomial, PolyNet's factors; 0 = k."),
    DEPTH("depth", Kind.INT, "2", "ResNet layers L (n→W, (L−2)×(W→W) with skips, W→1); transformer blocks."),
    HEADS("heads", Kind.INT, "" + ModelSpec.DEFAULT_HEADS, "Transformer attention heads; --width / --heads (the attention dimension) must be whole."),
    SECOND_LAYER("second-layer", Kind.BOOL, "true", "Neuron nets: f = a·σ(w·x+b)+c, or with --no-second-layer f = σ(w·x+b)."),
    INIT("init", Kind.STRING, "uniform", "uniform (PyTorch's nn.Linear default; Xavier-uniform for transformer) | gaussian (Kaiming) | bernoulli | sign."),
    N("n", Kind.INT, null, "Input dimension (required)."),
    K("k", Kind.INT, null, "Degree |S| of --target parity (required for it, unless --secret gives S); other targets set their own."),
    WIDTH("width", Kind.INT, "" + TrainConfig.DEFAULT_WIDTH, "Hidden units of mlp and resnet; the transformer's embedding dimension."),
    BATCH("batch", Kind.INT, "" + TrainConfig.DEFAULT_BATCH, "Fresh samples per step."),
    LR("lr", Kind.DOUBLE, "" + TrainConfig.DEFAULT_LR, "Learning rate."),
    WD("wd", Kind.DOUBLE, "0", "Weight decay, torch.optim style: added to the gradient (sgd: p ← p − lr (grad + wd p)); adamw decouples it."),
    OPTIMIZER("optimizer", Kind.STRING, "sgd", "sgd (the fused step) | momentum | nesterov | adam | adamw, torch.optim's rules;"
            + " adamw's decay is decoupled: p ← p (1 − lr wd) before the update."),
    MOMENTUM("momentum", Kind.DOUBLE, null, "Momentum μ of --optimizer momentum and nesterov (default: 0.9)."),
    BETA1("beta1", Kind.DOUBLE, null, "β₁ of --optimizer adam and adamw, the first moment's decay (default: 0.9)."),
    BETA2("beta2", Kind.DOUBLE, null, "β₂ of --optimizer adam and adamw, the second moment's decay (default: 0.999)."),
    EPS("eps", Kind.DOUBLE, null, "ε of --optimizer adam and adamw, added to the root of the second moment (default: 1e-8)."),
    LAYER_LR("layer-lr", Kind.DOUBLE_LIST, null, "Per-layer learning rates, first layer first (default: --lr for every layer)."),
    SCHEDULE("schedule", Kind.STRING, "none", "none | halve:P | steps:P:f0,f1,...: a learning-rate factor per period of P steps."),
    LOSS("loss", Kind.LOSS, "hinge", "hinge | square | logistic | correlation."),
    LABEL_NOISE("label-noise", Kind.DOUBLE, "0", "Flip each training label with probability P; eval labels stay clean."),
    TRAIN_SIZE("train-size", Kind.INT, "0", "Finite sample: M fixed training samples cycled in order; 0 = a fresh batch every step."),
    INPUTS("inputs", Kind.STRING, "pm1", "pm1 | biased:P | gaussian; the last two need --arch resnet."),
    TARGET_MSE("target-mse", Kind.DOUBLE, "0.05", "Real-valued targets: solved when eval MSE <= F × Var(target)."),
    TRACK_PREFIXES("track-prefixes", Kind.INT, "0", "Record f̂_{1:j} = E[f(x) x1⋯xj] for j = 0..D at every check; 0 = off."),
    SCORE_MSE("score-mse", Kind.BOOL, "false",
            "Score a ±1 target by eval MSE (solved by --target-mse), as the staircase paper does for chi:d."),
    MAX_STEPS("max-steps", Kind.LONG, "" + TrainConfig.DEFAULT_MAX_STEPS, "Step budget."),
    EVAL_EVERY("eval-every", Kind.LONG, "" + TrainConfig.DEFAULT_EVAL_EVERY,
            "Convergence check period in steps; t_c is reported at this resolution."),
    EVAL_SAMPLES("eval-samples", Kind.INT, "" + TrainConfig.DEFAULT_EVAL_SAMPLES, "Fixed fresh eval set, drawn once per run."),
    TARGET_ACCURACY("target-accuracy", Kind.DOUBLE, "" + TrainConfig.DEFAULT_TARGET_ACCURACY,
            "Solved = accuracy on the eval set >= this; 1.0 = every sample right."),
    STOP_ON_SOLVE("stop-on-solve", Kind.BOOL, "true", "Stop at the first solved check; --no-stop-on-solve runs all steps."),
    KERNELS("kernels", Kind.STRING, "auto", "auto | scalar | vector."),
    SECRET("secret", Kind.INT_LIST, null, "Fix S, 0-based, e.g. 0,1,2 (default: random per seed)."),
    SEED("seed", Kind.LONG, "0", "Run seed; init, secret, data and eval streams are split from it.");

    /** The kind of value, for the command line and for JSON. */
    public enum Kind { INT, LONG, DOUBLE, STRING, BOOL, LOSS, INT_LIST, DOUBLE_LIST }

    /** The name as on the command line without {@code --}, e.g. {@code max-steps}. */
    public final String name;
    public final Kind kind;
    /** The default as text, or null: no default (required, or derived from other settings). */
    public final String defaultText;
    public final String help;

    Setting(String name, Kind kind, String defaultText, String help) {
        this.name = name;
        this.kind = kind;
        this.defaultText = defaultText;
        this.help = help;
    }

    /** The key in specs, config files and records: the name with {@code _} for {@code -}. */
    public String key() {
        return name.replace('-', '_');
    }

    /** The command-line option, {@code --name}. */
    public String option() {
        return "--" + name;
    }

    /** True for the settings a sweep may fix or vary (the seed is the spec's own top-level list). */
    public boolean isAxis() {
        return this != SEED;
    }

    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();

    /** The names early sweep specs used; read, never written. */
    private static final Map<String, Setting> OLD_KEYS = Map.of("task", TARGET, "architecture", ARCH, "score_by_mse", SCORE_MSE);

    static {
        for (Setting s : values()) BY_KEY.put(s.key(), s);
    }

    /** The setting named {@code key} ({@code max-steps} or {@code max_steps}), or null. */
    public static Setting byKey(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        Setting s = BY_KEY.get(k);
        return s != null ? s : OLD_KEYS.get(k);
    }

    /** The setting named {@code key}, or a usage error listing the known names ({@code what}: "spec key", "config key"). */
    public static Setting of(String key, String what) {
        Setting s = byKey(key);
        if (s != null) return s;
        StringBuilder known = new StringBuilder();
        for (Setting k : values()) known.append(known.length() == 0 ? "" : ", ").append(k.key());
        throw new UsageException("unknown " + what + " '" + key + "' (known: " + known + ")");
    }

    /**
     * The canonical value (Integer, Long, Double, String, Boolean, or a List of Integer or Double) of a value read
     * from JSON or given on the command line, or a one-line usage error naming the setting and the value.
     */
    public Object canonical(Object v) {
        if (v == null) {
            if (defaultText == null) return null;   // "not set": the run derives it (k from secret, activation from arch)
            throw new UsageException(key() + " must not be null");
        }
        try {
            return switch (kind) {
                case INT -> Math.toIntExact(integer(v));
                case LONG -> integer(v);
                case DOUBLE -> real(v);
                case BOOL -> {
                    if (v instanceof Boolean b) yield b;
                    throw new UsageException(key() + " must be true or false, got " + v);
                }
                case LOSS -> {
                    String s = (v instanceof Loss l ? l.name() : str(v)).toUpperCase(Locale.ROOT).replace('-', '_')
                            .replace("CROSS_ENTROPY", "LOGISTIC");
                    try {
                        yield Loss.valueOf(s).name().toLowerCase(Locale.ROOT);   // canonical: the name, as specs and records write it
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(key() + " '" + v + "' must be hinge, square, logistic or correlation");
                    }
                }
                case STRING -> string(str(v));
                case INT_LIST, DOUBLE_LIST -> {
                    if (!(v instanceof List<?> l)) throw new UsageException(key() + " must be a list, got " + v);
                    List<Object> out = new ArrayList<>();
                    for (Object o : l) out.add(kind == Kind.INT_LIST ? (Object) Math.toIntExact(integer(o)) : (Object) real(o));
                    yield List.copyOf(out);
                }
            };
        } catch (ArithmeticException e) {
            throw new UsageException(key() + " value " + v + " is out of range");
        }
    }

    /** Names are case-insensitive; the target keeps its case (monomials:'0.5*x1'), trimmed; the old init name is uniform. */
    private String string(String s) {
        if (this == TARGET) return s.equals("sparse_parity") ? "parity" : s;
        String lower = s.toLowerCase(Locale.ROOT);
        if (this == ARCH && lower.equals("relu_mlp2")) return "mlp";
        if (this == INIT && (lower.equals("pytorch_default") || lower.equals("pytorch"))) return "uniform";
        return lower;
    }

    private String str(Object v) {
        if (!(v instanceof String s)) throw new UsageException(key() + " must be a string, got " + v);
        return s.strip();
    }

    private long integer(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        if (v instanceof java.math.BigInteger b) return b.longValueExact();
        if (v instanceof Number d && d.doubleValue() == Math.rint(d.doubleValue()) && Math.abs(d.doubleValue()) < 9e15) {
            return (long) d.doubleValue(); // 1e5 is a fine step budget
        }
        throw new UsageException(key() + " must be an integer, got " + v);
    }

    private double real(Object v) {
        if (v instanceof Number d) return d.doubleValue();
        throw new UsageException(key() + " must be a number, got " + v);
    }
}
