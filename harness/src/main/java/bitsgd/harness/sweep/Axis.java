package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.ModelSpec;
import bitsgd.harness.train.TrainConfig;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings a sweep spec may fix or vary: every {@code train} option (snake_case, {@code -} also
 * accepted; {@code task} is {@code --target}, {@code architecture} is {@code --arch}). A new option slots in
 * as one more entry here (and a field in {@link TrainConfig} or its {@code Setup}); anything not listed is
 * rejected with a one-line error.
 */
public enum Axis {
    TASK("task"),
    ARCHITECTURE("architecture"),
    DEPTH("depth"),
    ACTIVATION("activation"),
    DEGREE("degree"),
    SECOND_LAYER("second_layer"),
    INIT("init"),
    LAYER_LR("layer_lr"),
    SCHEDULE("schedule"),
    LABEL_NOISE("label_noise"),
    TRAIN_SIZE("train_size"),
    INPUTS("inputs"),
    TARGET_MSE("target_mse"),
    TRACK_PREFIXES("track_prefixes"),
    SCORE_BY_MSE("score_by_mse"),
    N("n"),
    K("k"),
    WIDTH("width"),
    BATCH("batch"),
    LR("lr"),
    WD("wd"),
    LOSS("loss"),
    MAX_STEPS("max_steps"),
    EVAL_EVERY("eval_every"),
    EVAL_SAMPLES("eval_samples"),
    TARGET_ACCURACY("target_accuracy"),
    KERNELS("kernels"),
    SECRET("secret"),
    STOP_ON_SOLVE("stop_on_solve");

    /** The spec key (snake_case). */
    public final String key;

    Axis(String key) {
        this.key = key;
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
                // the names of the first sweep specs stay valid: sparse_parity, relu_mlp2, pytorch_default
                case TASK -> str(v).equals("sparse_parity") ? "parity" : str(v);
                case ARCHITECTURE -> str(v).equals("relu_mlp2") ? "mlp" : str(v).toLowerCase(Locale.ROOT);
                case INIT -> str(v).equals("pytorch_default") ? "uniform" : str(v).toLowerCase(Locale.ROOT);
                case ACTIVATION, SCHEDULE, INPUTS -> str(v).toLowerCase(Locale.ROOT);
                case SECOND_LAYER, SCORE_BY_MSE -> {
                    if (!(v instanceof Boolean b)) throw new UsageException(key + " must be true or false, got " + v);
                    yield b;
                }
                case LAYER_LR -> {
                    if (v == null) yield null;
                    if (!(v instanceof List<?> l)) throw new UsageException(key + " must be a list of learning rates or null, got " + v);
                    List<Double> out = new ArrayList<>();
                    for (Object o : l) out.add(real(o));
                    yield List.copyOf(out);
                }
                case N, K, WIDTH, BATCH, EVAL_SAMPLES, DEPTH, DEGREE, TRAIN_SIZE, TRACK_PREFIXES -> Math.toIntExact(integer(v));
                case MAX_STEPS, EVAL_EVERY -> integer(v);
                case LR, WD, TARGET_ACCURACY, LABEL_NOISE, TARGET_MSE -> real(v);
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
            case TASK -> c.withSetup(c.setup().withTarget((String) v));
            case ARCHITECTURE -> model(c, new ModelSpec((String) v, 0, m(c).depth(), m(c).activation(), m(c).degree(), m(c).secondLayer(), m(c).init()));
            case DEPTH -> model(c, new ModelSpec(m(c).arch(), 0, (Integer) v, m(c).activation(), m(c).degree(), m(c).secondLayer(), m(c).init()));
            case ACTIVATION -> model(c, new ModelSpec(m(c).arch(), 0, m(c).depth(), (String) v, m(c).degree(), m(c).secondLayer(), m(c).init()));
            case DEGREE -> model(c, new ModelSpec(m(c).arch(), 0, m(c).depth(), m(c).activation(), (Integer) v, m(c).secondLayer(), m(c).init()));
            case SECOND_LAYER -> model(c, new ModelSpec(m(c).arch(), 0, m(c).depth(), m(c).activation(), m(c).degree(), (Boolean) v, m(c).init()));
            case INIT -> model(c, new ModelSpec(m(c).arch(), 0, m(c).depth(), m(c).activation(), m(c).degree(), m(c).secondLayer(), (String) v));
            case LAYER_LR -> c.withSetup(c.setup().withRates((List<Double>) v, c.setup().schedule()));
            case SCHEDULE -> c.withSetup(c.setup().withRates(c.setup().layerLr(), (String) v));
            case LABEL_NOISE -> c.withSetup(c.setup().withData((Double) v, c.setup().trainSize(), c.setup().inputs()));
            case TRAIN_SIZE -> c.withSetup(c.setup().withData(c.setup().labelNoise(), (Integer) v, c.setup().inputs()));
            case INPUTS -> c.withSetup(c.setup().withData(c.setup().labelNoise(), c.setup().trainSize(), (String) v));
            case TARGET_MSE -> c.withSetup(c.setup().withTracking((Double) v, c.setup().trackPrefixes()));
            case TRACK_PREFIXES -> c.withSetup(c.setup().withTracking(c.setup().targetMse(), (Integer) v));
            case SCORE_BY_MSE -> c.withSetup(c.setup().withScoreByMse((Boolean) v));
            case N -> new TrainConfig((Integer) v, c.k(), c.width(), c.batch(), c.lr(), c.wd(), c.loss(), c.seed(), c.maxSteps(),
                    c.evalEvery(), c.evalSamples(), c.targetAccuracy(), c.kernels(), c.secret(), c.stopOnSolve(), c.setup());
            case K -> new TrainConfig(c.n(), (Integer) v, c.width(), c.batch(), c.lr(), c.wd(), c.loss(), c.seed(), c.maxSteps(),
                    c.evalEvery(), c.evalSamples(), c.targetAccuracy(), c.kernels(), c.secret(), c.stopOnSolve(), c.setup());
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
                    c.evalEvery(), c.evalSamples(), c.targetAccuracy(), c.kernels(), (List<Integer>) v, c.stopOnSolve(), c.setup());
        };
    }

    private static ModelSpec m(TrainConfig c) {
        return c.setup().model();
    }

    private static TrainConfig model(TrainConfig c, ModelSpec spec) {
        return c.withSetup(c.setup().withModel(spec));
    }
}
