package bitsgd.harness.sweep;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.train.CurvePoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One JSON file per finished run: {@code <dir>/runs/<configIndex>-<seed>.json}, written with
 * {@link AtomicFiles} (temp file + atomic rename), so a file with that name is always whole. A
 * record counts only if it parses and names the same config index and seed as its file name; temp
 * files ({@code .<name>.<pid>.<hex>.tmp}) never match the name pattern.
 */
public final class Records {
    /** 2: one flat object (settings by their option names, then outcome, timings, provenance); 1 nested config and grid. */
    public static final int VERSION = 2;
    public static final String RUNS = "runs";
    public static final String SPEC = "spec.json";
    private static final Pattern NAME = Pattern.compile("(\\d+)-(-?\\d+)\\.json");

    /** Keys whose values depend on the machine, the load or the clock, not on config + seed. */
    public static final Set<String> VOLATILE = Set.of("solve_seconds", "train_seconds", "eval_seconds", "steps_per_second",
            "steps_per_second_last", "twin_steps", "process_run", "wall_seconds", "setup_seconds", "cpu_seconds", "host", "slurm_job_id", "slurm_array_job_id", "slurm_array_task_id",
            "slurm_array_task_count", "slurmd_nodename", "slurm_cluster_name", "finished_at", "thread", "threads", "kernel_selection", "kernel_name", "jdk", "cpu",
            "bitsgd_version", "git_commit");

    /** Steps kept per decade when a curve is thinned (log-spaced, deterministic). */
    static final int CURVE_POINTS_PER_DECADE = 24;

    private Records() {}

    /** Identity of one run. */
    public record Key(int configIndex, long seed) implements Comparable<Key> {
        public String fileName() {
            return configIndex + "-" + seed + ".json";
        }

        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(configIndex, o.configIndex);
            return c != 0 ? c : Long.compare(seed, o.seed);
        }

        @Override
        public String toString() {
            return "config " + configIndex + " seed " + seed;
        }
    }

    public static Path runsDir(Path dir) {
        return dir.resolve(RUNS);
    }

    /** Creates {@code dir/runs}; a failure names it and the cause. */
    public static void createRunsDir(Path dir) throws IOException {
        AtomicFiles.createDirectories(runsDir(dir));
    }

    public static void write(Path dir, Key key, Map<String, Object> record) throws IOException {
        AtomicFiles.write(runsDir(dir).resolve(key.fileName()), Json.line(record) + "\n");
    }

    /** The record of {@code key} if a complete one exists. */
    public static Optional<Map<String, Object>> read(Path dir, Key key) {
        return readFile(runsDir(dir).resolve(key.fileName()), key);
    }

    private static Optional<Map<String, Object>> readFile(Path file, Key key) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> m;
        try {
            m = Json.parse(text);
        } catch (RuntimeException e) {
            return Optional.empty(); // not a whole record (cannot happen with atomic writes; never trust it anyway)
        }
        if (m == null || !(m.get("config_index") instanceof Number ci) || ci.intValue() != key.configIndex()
                || !(m.get("seed") instanceof Number s) || s.longValue() != key.seed()
                || !(m.get("record_version") instanceof Number v) || v.intValue() != VERSION
                || !(m.get("solved") instanceof Boolean)) {
            return Optional.empty();
        }
        return Optional.of(m);
    }

    /** Every complete record under {@code dir/runs}, by key (files that are not records are ignored). */
    public static TreeMap<Key, Map<String, Object>> readAll(Path dir) {
        TreeMap<Key, Map<String, Object>> out = new TreeMap<>();
        Path runs = runsDir(dir);
        if (!Files.isDirectory(runs)) return out;
        try (Stream<Path> files = Files.list(runs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher mt = NAME.matcher(f.getFileName().toString());
                if (!mt.matches()) continue;
                Key k = new Key(Integer.parseInt(mt.group(1)), Long.parseLong(mt.group(2)));
                readFile(f, k).ifPresent(r -> out.put(k, r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A record without the machine- and clock-dependent keys: equal for the same config + seed. */
    public static Map<String, Object> deterministicPart(Map<String, Object> record) {
        Map<String, Object> m = new LinkedHashMap<>(record);
        m.keySet().removeAll(VOLATILE);
        return m;
    }

    /**
     * A curve thinned to log-spaced steps (a spec with "full_curves": true keeps them all): a point is kept when its step reaches the next of the
     * thresholds 10^(j/24); the last point is always kept. Depends only on the steps, so it is as
     * deterministic as the run. Always {@code step}, {@code loss}, {@code eval_accuracy}; also
     * {@code train_accuracy} (finite-sample runs), {@code eval_mse} (real-valued targets) and
     * {@code coefficients} (one list per kept point, when monomials are tracked) when some point has
     * them. Records written before these columns existed simply lack the keys; readers treat a
     * missing column as "no value".
     */
    public static Map<String, Object> thinCurve(List<CurvePoint> curve) {
        return curve(curve, false);
    }

    /** The curve as {@link #thinCurve} gives it, with every point kept when {@code full}. */
    public static Map<String, Object> curve(List<CurvePoint> curve, boolean full) {
        List<Long> steps = new ArrayList<>();
        List<Double> loss = new ArrayList<>(), acc = new ArrayList<>(), train = new ArrayList<>(), mse = new ArrayList<>();
        List<List<Double>> coef = new ArrayList<>();
        boolean anyTrain = false, anyMse = false, anyCoef = false;
        int j = 0;
        for (int i = 0; i < curve.size(); i++) {
            CurvePoint p = curve.get(i);
            boolean last = i == curve.size() - 1;
            double threshold = Math.pow(10, j / (double) CURVE_POINTS_PER_DECADE);
            if (full || p.step() >= threshold || last) {
                steps.add(p.step());
                loss.add(finite(p.loss()));
                acc.add(finite(p.evalAccuracy()));
                train.add(finite(p.trainAccuracy()));
                mse.add(finite(p.evalMse()));
                anyTrain |= Double.isFinite(p.trainAccuracy());
                anyMse |= Double.isFinite(p.evalMse());
                if (p.coefficients() != null) {
                    anyCoef = true;
                    List<Double> c = new ArrayList<>();
                    for (double v : p.coefficients()) c.add(finite(v));
                    coef.add(c);
                } else {
                    coef.add(null);
                }
                while (Math.pow(10, j / (double) CURVE_POINTS_PER_DECADE) <= p.step()) j++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", steps);
        m.put("loss", loss);
        m.put("eval_accuracy", acc);
        if (anyTrain) m.put("train_accuracy", train);
        if (anyMse) m.put("eval_mse", mse);
        if (anyCoef) m.put("coefficients", coef);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
