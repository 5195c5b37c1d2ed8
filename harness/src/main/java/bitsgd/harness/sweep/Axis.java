package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import bitsgd.harness.train.TrainConfig;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings a sweep spec may fix or vary: every {@code train} option (snake_case, {@code -} also
 * accepted) plus the axes that have one implemented value today ({@code task}, {@code architecture},
 * {@code init}). A new task, model or init slots in as one more entry here (and a field in
 * {@link TrainConfig}); anything not listed is rejected with a one-line error.
 */
public enum Axis {
    TASK("task", "sparse_parity"),
    ARCHITECTURE("architecture", "relu_mlp2"),
    INIT("init", "pytorch_default"),
    N("n", null),
    K("k", null),
    WIDTH("width", null),
    BATCH("batch", null),
    LR("lr", null),
    WD("wd", null),
    LOSS("loss", null),
    MAX_STEPS("max_steps", null),
    EVAL_EVERY("eval_every", null),
    EVAL_SAMPLES("eval_samples", null),
    TARGET_ACCURACY("target_accuracy", null),
    KERNELS("kernels", null),
    SECRET("secret", null),
    STOP_ON_SOLVE("stop_on_solve", null);

    /** The spec key (snake_case). */
    public final String key;
    /** For the axes with a single implemented value: that value; else null. */
    private final String only;

    Axis(String key, String only) {
        this.key = key;
        this.only = only;
    }

    private static final Map<String, Axis> BY_KEY = new LinkedHashMap<>();

    static {
        for (Axis a : values()) BY_KEY.put(a.key, a);
    }

    /** The axis of a spec key ({@code max-steps} = {@code max_steps}), or a usage error listing the known ones. */
    public static Axis of(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        Axis a = BY_KEY.get(k);
        if (a != null) return a;
        if (k.equals("seed") || k.equals("seeds")) {
            throw new UsageException("'" + key + "' is not an axis: give the seeds as the spec's top-level \"seeds\"");
        }
        throw new UsageException("unknown axis '" + key + "' (known: " + String.join(", ", BY_KEY.keySet()) + ")");
    }

    /**
     * Parses one spec value of this axis into its canonical form (Integer, Long, Double, String,
     * Boolean or List of Integer), or throws a one-line usage error naming the axis and the value.
     */
    public Object parse(Object v) {
        try {
            return switch (this) {
                case TASK, ARCHITECTURE, INIT -> {
                    String s = str(v);
                    if (!s.equals(only)) {
                        throw new UsageException(key + " '" + s + "' is not implemented (today only " + only + ")");
                    }
                    yield s;
                }
                case N, K, WIDTH, BATCH, EVAL_SAMPLES -> Math.toIntExact(integer(v));
                case MAX_STEPS, EVAL_EVERY -> integer(v);
                case LR, WD, TARGET_ACCURACY -> real(v);
                case LOSS -> {
                    String s = str(v).toUpperCase(Locale.ROOT).replace("CROSS_ENTROPY", "LOGISTIC");
                    try {
                        Loss.valueOf(s);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("loss '" + v + "' must be hinge, square or logistic");
                    }
                    yield s.toLowerCase(Locale.ROOT);
                }
                case KERNELS -> str(v).toLowerCase(Locale.ROOT);
                case SECRET -> {
                    if (v == null) yield null;
                    if (!(v instanceof List<?> l)) throw new UsageException("secret must be a list of 0-based indices or null, got " + v);
                    List<Integer> out = new ArrayList<>();
                    for (Object o : l) out.add(Math.toIntExact(integer(o)));
                    yield List.copyOf(out);
                }
                case STOP_ON_SOLVE -> {
                    if (!(v instanceof Boolean b)) throw new UsageException("stop_on_solve must be true or false, got " + v);
                    yield b;
                }
            };
        } catch (ArithmeticException e) {
            throw new UsageException(key + " value " + v + " is out of range");
        }
    }

    private String str(Object v) {
        if (!(v instanceof String s)) throw new UsageException(key + " must be a string, got " + v);
        return s.strip();
    }

    private long integer(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        if (v instanceof java.math.BigInteger b) return b.longValueExact();
        if (v instanceof Number d && d.doubleValue() == Math.rint(d.doubleValue()) && Math.abs(d.doubleValue()) < 9e15) {
            return (long) d.doubleValue(); // 1e5 is a fine step budget
        }
        throw new UsageException(key + " must be an integer, got " + v);
    }

    private double real(Object v) {
        if (v instanceof Number d) return d.doubleValue();
        throw new UsageException(key + " must be a number, got " + v);
    }

    /** Applies this axis's canonical value to a config. */
    @SuppressWarnings("unchecked")
    TrainConfig apply(TrainConfig c, Object v) {
        return switch (this) {
            case TASK, ARCHITECTURE, INIT -> c;
            case N -> new TrainConfig((Integer) v, c.k(), c.width(), c.batch(), c.lr(), c.wd(), c.loss(), c.seed(), c.maxSteps(),
                    c.evalEvery(), c.evalSamples(), c.targetAccuracy(), c.kernels(), c.secret(), c.stopOnSolve());
            case K -> new TrainConfig(c.n(), (Integer) v, c.width(), c.batch(), c.lr(), c.wd(), c.loss(), c.seed(), c.maxSteps(),
                    c.evalEvery(), c.evalSamples(), c.targetAccuracy(), c.kernels(), c.secret(), c.stopOnSolve());
            case WIDTH -> c.withTraining((Integer) v, c.batch(), c.lr(), c.wd(), c.loss());
            case BATCH -> c.withTraining(c.width(), (Integer) v, c.lr(), c.wd(), c.loss());
            case LR -> c.withTraining(c.width(), c.batch(), (Double) v, c.wd(), c.loss());
            case WD -> c.withTraining(c.width(), c.batch(), c.lr(), (Double) v, c.loss());
            case LOSS -> c.withTraining(c.width(), c.batch(), c.lr(), c.wd(), Loss.valueOf(((String) v).toUpperCase(Locale.ROOT)));
            case MAX_STEPS -> c.withSteps((Long) v, c.evalEvery(), c.stopOnSolve());
            case EVAL_EVERY -> c.withSteps(c.maxSteps(), (Long) v, c.stopOnSolve());
            case STOP_ON_SOLVE -> c.withSteps(c.maxSteps(), c.evalEvery(), (Boolean) v);
            case EVAL_SAMPLES -> c.withEvalSamples((Integer) v);
            case TARGET_ACCURACY -> c.withTargetAccuracy((Double) v);
            case KERNELS -> c.withKernels((String) v);
            case SECRET -> new TrainConfig(c.n(), c.k(), c.width(), c.batch(), c.lr(), c.wd(), c.loss(), c.seed(), c.maxSteps(),
                    c.evalEvery(), c.evalSamples(), c.targetAccuracy(), c.kernels(), (List<Integer>) v, c.stopOnSolve());
        };
    }
}
