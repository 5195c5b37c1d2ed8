package bitsgd.harness.train;

import bitsgd.harness.BuildInfo;
import bitsgd.harness.UsageException;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.Npz;
import bitsgd.harness.model.Model;
import bitsgd.harness.model.Tensor;
import bitsgd.harness.task.Monomials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model files and checkpoints, both NumPy {@code .npz} files that Python reads without bitsgd:
 * <pre>
 *   model.npz        one array per tensor (W, b, a, c for the MLP; see Model.tensors()), float32, plus
 *                    model.json   {"format": "bitsgd-model 1", "config": {settings by spec key}, "step": t, "tensors": [...]}
 *   checkpoint.npz   the tensors, plus
 *                    curve        float64 [checks, columns]: the curve so far (columns in state.json)
 *                    rng_data, rng_noise   int64 [4]: the DATA and NOISE streams' states
 *                    optimizer.NAME        float32: the optimizer's buffers (exp_avg.W, momentum_buffer.b, …)
 *                    state.json   {"format": "bitsgd-checkpoint 1", "config", "step", "t_c", ..., "tensors", "curve_columns"}
 * </pre>
 * Both are written atomically: a reader, or a run stopped while writing, finds the previous file or the new one.
 */
public final class Checkpoints {
    static final String MODEL_FORMAT = "bitsgd-model 1", CHECKPOINT_FORMAT = "bitsgd-checkpoint 1";
    private static final String OPTIMIZER_PREFIX = "optimizer.";
    public static final String MODEL_FILE = "model.npz", CHECKPOINT_FILE = "checkpoint.npz";
    private static final List<String> CURVE_COLUMNS = List.of("step", "loss", "eval_accuracy", "eval_scored", "full", "train_accuracy", "eval_mse");

    private Checkpoints() {}

    /** A checkpoint read back: the run's settings and where it was. */
    public record Loaded(TrainConfig config, TrainState state, long checkpointEvery) {}

    /** A model file read back: the run's settings, the step it was saved at and its parameters. */
    public record SavedModel(Map<String, Object> config, long step, List<Tensor> tensors, float[] parameters) {}

    /** Writes {@code model}'s parameters and {@code cfg} to {@code file} (model.npz). */
    public static void writeModel(Path file, TrainConfig cfg, Model model, long step) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", MODEL_FORMAT);
        header.put("config", cfg.toMap());
        header.put("step", step);
        header.put("model", model.describe());
        header.put("tensors", describe(model.tensors()));
        header.put("revision", BuildInfo.COMMIT);
        Npz z = new Npz().text("model.json", Json.line(header) + "\n");
        putTensors(z, model.tensors(), model.parameters());
        z.write(file);
    }

    /** Writes the state of a run of {@code cfg} on {@code model} to {@code file} (checkpoint.npz). */
    public static void write(Path file, TrainConfig cfg, Model model, List<int[]> tracked, TrainState s, long every) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", CHECKPOINT_FORMAT);
        header.put("config", cfg.toMap());
        header.put("step", s.step());
        header.put("checkpoint_every", every);
        header.put("random_labels", s.randomLabels());
        header.put("t_c", s.tC());
        header.put("solve_seconds", s.solveSeconds());
        header.put("train_seconds", s.trainSeconds());
        header.put("eval_seconds", s.evalSeconds());
        if (s.fullScore() != null) {
            header.put("full_score", Map.of("step", s.fullScoreStep(), "correct", s.fullScore().correct(), "total", s.fullScore().total()));
        }
        header.put("model", model.describe());
        header.put("tensors", describe(model.tensors()));
        header.put("optimizer_steps", s.optimizerSteps());
        header.put("optimizer_state", List.copyOf(s.optimizerState().keySet()));
        List<String> columns = new ArrayList<>(CURVE_COLUMNS);
        for (int[] m : tracked) columns.add("fhat_" + Monomials.columnName(m));
        header.put("curve_columns", columns);
        header.put("revision", BuildInfo.COMMIT);
        Npz z = new Npz().text("state.json", Json.line(header) + "\n");
        putTensors(z, model.tensors(), s.parameters());
        z.put("curve", Npz.Array.of(curve(s.curve(), columns.size()), s.curve().size(), columns.size()));
        z.put("rng_data", Npz.Array.of(s.dataStream(), 4));
        z.put("rng_noise", Npz.Array.of(s.noiseStream(), 4));
        s.optimizerState().forEach((name, v) -> z.put(OPTIMIZER_PREFIX + name, Npz.Array.of(v, v.length)));
        z.write(file);
    }

    /** Reads a checkpoint; a file that is missing or not a bitsgd checkpoint is a usage error naming it. */
    public static Loaded read(Path file) {
        Npz z = open(file);
        if (!z.hasText("state.json")) throw new UsageException(file + " is not a bitsgd checkpoint (no state.json)");
        Map<String, Object> h = Json.parse(z.text("state.json"));
        if (!CHECKPOINT_FORMAT.equals(h.get("format"))) throw new UsageException(file + ": unknown checkpoint format " + h.get("format"));
        @SuppressWarnings("unchecked")
        TrainConfig cfg = new Settings().setAll(Settings.saved((Map<String, Object>) h.get("config")), file.toString()).toConfig();
        int columns = ((List<?>) h.get("curve_columns")).size();
        Npz.Array c = z.array("curve");
        double[] v = c.doubles();
        int rows = c.length() / columns;
        List<CurvePoint> curve = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int o = r * columns;
            double[] coef = columns > CURVE_COLUMNS.size() ? Arrays.copyOfRange(v, o + CURVE_COLUMNS.size(), o + columns) : null;
            curve.add(new CurvePoint((long) v[o], v[o + 1], v[o + 2], (int) v[o + 3], v[o + 4] != 0, v[o + 5], v[o + 6], coef));
        }
        EvalSet.Score full = null;
        long fullStep = -1;
        if (h.get("full_score") instanceof Map<?, ?> m) {
            full = new EvalSet.Score(num(m.get("correct")).intValue(), num(m.get("total")).intValue(), true);
            fullStep = num(m.get("step")).longValue();
        }
        TrainState s = new TrainState(num(h.get("step")).longValue(), Boolean.TRUE.equals(h.get("random_labels")),
                parameters(z, h, file), z.array("rng_data").longs(), z.array("rng_noise").longs(), curve,
                h.get("t_c") == null ? null : num(h.get("t_c")).longValue(),
                h.get("solve_seconds") == null ? null : num(h.get("solve_seconds")).doubleValue(),
                num(h.get("train_seconds")).doubleValue(), num(h.get("eval_seconds")).doubleValue(), full, fullStep,
                optimizerState(z, h), num(h.get("optimizer_steps")).longValue());
        return new Loaded(cfg, s, num(h.get("checkpoint_every")).longValue());
    }

    /** Reads a model file (or the model in a checkpoint); the config stays a map of settings, for options to override. */
    @SuppressWarnings("unchecked")
    public static SavedModel readModel(Path file) {
        Npz z = open(file);
        String entry = z.hasText("model.json") ? "model.json" : z.hasText("state.json") ? "state.json" : null;
        if (entry == null) throw new UsageException(file + " is not a bitsgd model file (no model.json)");
        Map<String, Object> h = Json.parse(z.text(entry));
        return new SavedModel(Settings.saved((Map<String, Object>) h.get("config")), num(h.get("step")).longValue(), tensors(h), parameters(z, h, file));
    }

    /** Sets {@code model}'s parameters from a saved model, refusing one whose tensors differ (another arch or size). */
    public static void load(Model model, SavedModel saved, Path file) {
        if (!model.tensors().equals(saved.tensors())) {
            throw new UsageException(file + " holds " + saved.tensors() + "; " + model.describe() + " has " + model.tensors());
        }
        model.setParameters(saved.parameters());
    }

    private static Map<String, float[]> optimizerState(Npz z, Map<String, Object> h) {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Object name : (List<?>) h.get("optimizer_state")) state.put((String) name, z.array(OPTIMIZER_PREFIX + name).floats());
        return state;
    }

    private static Npz open(Path file) {
        try {
            return Npz.read(file);
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new UsageException(file + " is not a readable .npz file: " + e.getMessage());
        }
    }

    private static void putTensors(Npz z, List<Tensor> tensors, float[] p) {
        int[] at = Tensor.offsets(tensors);
        for (int t = 0; t < tensors.size(); t++) {
            z.put(tensors.get(t).name(), Npz.Array.of(Arrays.copyOfRange(p, at[t], at[t + 1]), tensors.get(t).shape()));
        }
    }

    private static float[] parameters(Npz z, Map<String, Object> h, Path file) {
        List<Tensor> tensors = tensors(h);
        int[] at = Tensor.offsets(tensors);
        float[] p = new float[at[tensors.size()]];
        for (int t = 0; t < tensors.size(); t++) {
            Npz.Array a = z.array(tensors.get(t).name());
            if (!Arrays.equals(a.shape(), tensors.get(t).shape())) {
                throw new UsageException(file + ": array " + tensors.get(t).name() + " has shape " + Arrays.toString(a.shape())
                        + ", its header says " + Arrays.toString(tensors.get(t).shape()));
            }
            System.arraycopy(a.floats(), 0, p, at[t], a.length());
        }
        return p;
    }

    private static List<Map<String, Object>> describe(List<Tensor> tensors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Tensor t : tensors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("group", t.group());
            m.put("shape", Arrays.stream(t.shape()).boxed().toList());
            out.add(m);
        }
        return out;
    }

    private static List<Tensor> tensors(Map<String, Object> h) {
        List<Tensor> out = new ArrayList<>();
        for (Object o : (List<?>) h.get("tensors")) {
            Map<?, ?> m = (Map<?, ?>) o;
            int[] shape = ((List<?>) m.get("shape")).stream().mapToInt(d -> num(d).intValue()).toArray();
            out.add(new Tensor((String) m.get("name"), num(m.get("group")).intValue(), shape));
        }
        return out;
    }

    private static double[] curve(List<CurvePoint> points, int columns) {
        double[] v = new double[points.size() * columns];
        for (int r = 0; r < points.size(); r++) {
            CurvePoint p = points.get(r);
            int o = r * columns;
            v[o] = p.step();
            v[o + 1] = p.loss();
            v[o + 2] = p.evalAccuracy();
            v[o + 3] = p.evalScored();
            v[o + 4] = p.full() ? 1 : 0;
            v[o + 5] = p.trainAccuracy();
            v[o + 6] = p.evalMse();
            for (int q = CURVE_COLUMNS.size(); q < columns; q++) {
                v[o + q] = p.coefficients() == null ? Double.NaN : p.coefficients()[q - CURVE_COLUMNS.size()];
            }
        }
        return v;
    }

    private static Number num(Object o) {
        if (o instanceof Number n) return n;
        throw new UsageException("checkpoint header: expected a number, got " + o);
    }

    /** True when {@code dir} holds a checkpoint. */
    public static boolean hasCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(CHECKPOINT_FILE));
    }
}
