package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.ModelSpec;
import bitsgd.kernel.mlp.Loss;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values of the {@link Setting}s of one run, as given (command line, {@code --config} file, or a sweep's fixed
 * settings and grid point), and the one place they become a {@link TrainConfig}: every front end gets the same
 * defaults and the same rules.
 */
public final class Settings {
    private final EnumMap<Setting, Object> given = new EnumMap<>(Setting.class);

    /** Sets a value (JSON or command-line value; canonicalised, or a usage error naming the setting). */
    public Settings set(Setting s, Object value) {
        given.put(s, s.canonical(value));
        return this;
    }

    /** Every key of a JSON object ({@code --config} file): unknown keys are a usage error naming {@code what} (the file). */
    public Settings setAll(Map<String, Object> json, String what) {
        for (var e : json.entrySet()) {
            Setting s = Setting.byKey(e.getKey());
            if (s == null) Setting.of(e.getKey(), what + " key");   // throws, listing the known keys
            set(s, e.getValue());
        }
        return this;
    }

    public boolean has(Setting s) {
        return given.containsKey(s);
    }

    /** The given value, else the default (canonical), else null. */
    public Object get(Setting s) {
        if (given.containsKey(s)) return given.get(s);
        return s.defaultText == null ? null : s.canonical(parseDefault(s));
    }

    private static Object parseDefault(Setting s) {
        return switch (s.kind) {
            case INT, LONG -> Long.parseLong(s.defaultText);
            case DOUBLE -> Double.parseDouble(s.defaultText);
            case BOOL -> Boolean.parseBoolean(s.defaultText);
            case STRING, LOSS -> s.defaultText;
            case INT_LIST, DOUBLE_LIST -> throw new IllegalStateException(s + " has no list default");
        };
    }

    private int integer(Setting s) {
        return (Integer) get(s);
    }

    private long longValue(Setting s) {
        return (Long) get(s);
    }

    private double real(Setting s) {
        return (Double) get(s);
    }

    private String string(Setting s) {
        return (String) get(s);
    }

    private boolean bool(Setting s) {
        return (Boolean) get(s);
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> list(Setting s) {
        return (List<T>) get(s);
    }

    /** The run these settings define, validated (a usage error names the first bad value). */
    public TrainConfig toConfig() {
        if (get(Setting.N) == null) throw new UsageException("n is not set: give --n");
        String target = string(Setting.TARGET);
        List<Integer> secret = list(Setting.SECRET);
        Integer k = (Integer) get(Setting.K);
        // k is the parity's degree; other targets take their own degree from the spec and k only as the architectures' default
        int kk = k != null ? k : secret != null ? secret.size() : target.equals("parity") ? -1 : 1;
        if (kk == -1) throw new UsageException("k is not set: give --k (or --secret)");
        String arch = string(Setting.ARCH);
        if (has(Setting.WIDTH) && (arch.equals("neuron") || arch.equals("polynet"))) {
            throw new UsageException("--width does not apply to --arch " + arch + (arch.equals("polynet")
                    ? ": its k linear factors are set by --degree (default --k)" : ": it is a single neuron"));
        }
        int width = integer(Setting.WIDTH);
        String activation = get(Setting.ACTIVATION) != null ? string(Setting.ACTIVATION) : ModelSpec.defaultActivation(arch);
        ModelSpec model = new ModelSpec(arch, width, integer(Setting.DEPTH), activation, integer(Setting.DEGREE),
                bool(Setting.SECOND_LAYER), string(Setting.INIT), integer(Setting.HEADS));
        OptimizerSpec optimizer = OptimizerSpec.of(string(Setting.OPTIMIZER), (Double) get(Setting.MOMENTUM), (Double) get(Setting.BETA1),
                (Double) get(Setting.BETA2), (Double) get(Setting.EPS));
        Setup setup = new Setup(target, model, list(Setting.LAYER_LR), string(Setting.SCHEDULE), real(Setting.LABEL_NOISE),
                integer(Setting.TRAIN_SIZE), string(Setting.INPUTS), real(Setting.TARGET_MSE), integer(Setting.TRACK_PREFIXES),
                bool(Setting.SCORE_MSE), optimizer);
        return new TrainConfig(integer(Setting.N), kk, width, integer(Setting.BATCH), real(Setting.LR), real(Setting.WD),
                Loss.valueOf(string(Setting.LOSS).toUpperCase(Locale.ROOT)), longValue(Setting.SEED), longValue(Setting.MAX_STEPS), longValue(Setting.EVAL_EVERY),
                integer(Setting.EVAL_SAMPLES), real(Setting.TARGET_ACCURACY), string(Setting.KERNELS), secret,
                bool(Setting.STOP_ON_SOLVE), setup).validate();
    }

    /**
     * The settings a {@link #toMap} wrote (a saved model's, a checkpoint's), less the keys {@link #toMap} fills in for
     * every architecture although they only apply to some (the width of a neuron or PolyNet).
     */
    public static Map<String, Object> saved(Map<String, Object> map) {
        Map<String, Object> m = new LinkedHashMap<>(map);
        Object arch = m.get(Setting.ARCH.key());
        if ("neuron".equals(arch) || "polynet".equals(arch)) m.remove(Setting.WIDTH.key());
        return m;
    }

    /** Every setting of a run, by key, in {@link Setting} order: what a record and {@code --config} hold. */
    public static Map<String, Object> toMap(TrainConfig c) {
        Setup s = c.setup();
        ModelSpec m = s.model();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Setting st : Setting.values()) {
            out.put(st.key(), switch (st) {
                case TARGET -> s.target();
                case ARCH -> m.arch();
                case ACTIVATION -> m.activation();
                case DEGREE -> m.degree();
                case DEPTH -> m.depth();
                case HEADS -> m.heads();
                case SECOND_LAYER -> m.secondLayer();
                case INIT -> m.init();
                case N -> c.n();
                case K -> c.k();
                case WIDTH -> c.width();
                case BATCH -> c.batch();
                case LR -> c.lr();
                case WD -> c.wd();
                case OPTIMIZER -> s.optimizer().name();
                case MOMENTUM -> s.optimizer().momentum();
                case BETA1 -> s.optimizer().beta1();
                case BETA2 -> s.optimizer().beta2();
                case EPS -> s.optimizer().eps();
                case LAYER_LR -> s.layerLr();
                case SCHEDULE -> s.schedule();
                case LOSS -> c.loss().name().toLowerCase(Locale.ROOT);
                case LABEL_NOISE -> s.labelNoise();
                case TRAIN_SIZE -> s.trainSize();
                case INPUTS -> s.inputs();
                case TARGET_MSE -> s.targetMse();
                case TRACK_PREFIXES -> s.trackPrefixes();
                case SCORE_MSE -> s.scoreByMse();
                case MAX_STEPS -> c.maxSteps();
                case EVAL_EVERY -> c.evalEvery();
                case EVAL_SAMPLES -> c.evalSamples();
                case TARGET_ACCURACY -> c.targetAccuracy();
                case STOP_ON_SOLVE -> c.stopOnSolve();
                case KERNELS -> c.kernels();
                case SECRET -> c.secret();
                case SEED -> c.seed();
            });
        }
        return out;
    }
}
