package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.Json;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.Settings;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep: fixed settings, a grid (one or more blocks, each a cartesian product of axes), seeds and
 * an output directory. See docs/sweeps.md for the JSON format. Its keys are the {@link Setting}s: a
 * {@code train} option's name without the dashes ({@code max_steps} or {@code max-steps}).
 *
 * <p>Grid points are enumerated block by block in declared order; inside a block the first axis
 * varies slowest (nested loops in the order written). The 0-based position is the point's config
 * index; run index = configIndex × seeds + seed position. Both are stable for a given spec.
 *
 * @param name   sweep name (records carry it; default output dir {@code out/<name>})
 * @param fixed  settings for every point, canonical values by setting
 * @param grid   blocks of setting → values, in declared order
 * @param seeds  distinct run seeds, in declared order
 * @param out    output directory (null: {@code out/<name>})
 * @param fullCurves records keep every check of a run's curve, not the log-spaced ~24 per decade
 */
public record SweepSpec(String name, Map<Setting, Object> fixed, List<Map<Setting, List<Object>>> grid, List<Long> seeds, Path out,
                        boolean fullCurves) {

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "fixed", "grid", "seeds", "budget", "out", "full_curves");
    private static final long MAX_RUNS = 10_000_000;

    /** One grid point: its config index, the grid values that define it, and its config (seed 0). */
    public record Point(int index, Map<String, Object> values, TrainConfig config) {
        public String label() {
            StringBuilder sb = new StringBuilder();
            values.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    public SweepSpec {
        fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        List<Map<Setting, List<Object>>> g = new ArrayList<>();
        for (var b : grid) g.add(Collections.unmodifiableMap(new LinkedHashMap<>(b)));
        grid = List.copyOf(g);
        seeds = List.copyOf(seeds);
    }

    /** Reads and validates a spec file (JSON); every problem is a one-line {@link UsageException}. */
    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("spec file " + file + " not found");
        } catch (IOException e) {
            throw new UsageException("cannot read spec file " + file + ": " + e.getMessage());
        }
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        return parse(text, base);
    }

    /** Parses and validates spec JSON; {@code defaultName} is used when it has no "name". */
    public static SweepSpec parse(String json, String defaultName) {
        Map<String, Object> m;
        try {
            m = Json.parse(json);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            String msg = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new UsageException("spec is not valid JSON: " + (msg == null ? "" : msg.lines().findFirst().orElse("")));
        }
        if (m == null) throw new UsageException("spec is empty");
        for (String k : m.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                throw new UsageException("unknown spec key '" + k + "' (known: name, description, fixed, grid, seeds, budget, out)");
            }
        }
        String name = m.get("name") == null ? defaultName : String.valueOf(m.get("name"));
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new UsageException("name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        Map<Setting, Object> fixed = new LinkedHashMap<>();
        Object f = m.get("fixed");
        if (f != null) {
            if (!(f instanceof Map<?, ?> fm)) throw new UsageException("fixed must be an object of setting: value");
            for (var e : fm.entrySet()) {
                Setting a = axis(String.valueOf(e.getKey()));
                if (e.getValue() instanceof List<?> && a.kind != Setting.Kind.INT_LIST && a.kind != Setting.Kind.DOUBLE_LIST) {
                    throw new UsageException("fixed " + a.key() + " is a list: put settings with several values in grid");
                }
                fixed.put(a, a.canonical(e.getValue()));
            }
        }
        if (m.get("budget") != null) {
            if (fixed.containsKey(Setting.MAX_STEPS)) throw new UsageException("give the budget once: budget or fixed max_steps");
            fixed.put(Setting.MAX_STEPS, Setting.MAX_STEPS.canonical(m.get("budget")));
        }
        List<Map<Setting, List<Object>>> grid = new ArrayList<>();
        Object g = m.get("grid");
        List<?> blocks = g instanceof List<?> l ? l : g == null ? List.of() : List.of(g);
        for (Object b : blocks) {
            if (!(b instanceof Map<?, ?> bm)) throw new UsageException("grid must be an object (setting: [values]) or a list of such objects");
            Map<Setting, List<Object>> block = new LinkedHashMap<>();
            for (var e : bm.entrySet()) {
                Setting a = axis(String.valueOf(e.getKey()));
                if (fixed.containsKey(a)) throw new UsageException(a.key() + " is both fixed and in the grid");
                if (a == Setting.MAX_STEPS && m.get("budget") != null) throw new UsageException("give the budget once: budget or grid max_steps");
                if (!(e.getValue() instanceof List<?> vals)) {
                    throw new UsageException("grid " + a.key() + " must be a list of values, got " + e.getValue());
                }
                if (vals.isEmpty()) throw new UsageException("grid " + a.key() + " has no values");
                List<Object> parsed = new ArrayList<>();
                for (Object v : vals) {
                    Object p = a.canonical(v);
                    if (parsed.contains(p)) throw new UsageException("grid " + a.key() + " repeats the value " + v);
                    parsed.add(p);
                }
                block.put(a, parsed);
            }
            if (block.isEmpty()) throw new UsageException("grid block is empty: give at least one setting with values");
            grid.add(block);
        }
        if (grid.isEmpty()) throw new UsageException("grid is empty: give at least one setting with values (single settings go in fixed)");
        List<Long> seeds = parseSeeds(m.get("seeds"));
        Path out = m.get("out") == null ? null : Path.of(String.valueOf(m.get("out")));
        Object full = m.getOrDefault("full_curves", false);
        if (!(full instanceof Boolean)) throw new UsageException("full_curves must be true or false, got " + full);
        SweepSpec s = new SweepSpec(name, fixed, grid, seeds, out, (Boolean) full);
        s.points(); // validates every point
        return s;
    }

    /** The setting a spec key names; the seed is not one (the spec's "seeds" list is). */
    private static Setting axis(String key) {
        Setting a = Setting.of(key, "spec key");
        if (!a.isAxis()) throw new UsageException("'" + key + "' is not a setting to fix or vary: give the seeds as the spec's top-level \"seeds\"");
        return a;
    }

    static List<Long> parseSeeds(Object v) {
        if (v == null) throw new UsageException("seeds missing: give a count (25), a list ([1, 2, 3]) or {\"from\": 0, \"count\": 25}");
        List<Long> out = new ArrayList<>();
        if (v instanceof Map<?, ?> sm) {
            for (Object k : sm.keySet()) {
                if (!k.equals("from") && !k.equals("count")) throw new UsageException("seeds object takes from and count, not '" + k + "'");
            }
            long from = seedInt(sm.get("from") == null ? 0 : sm.get("from"));
            long count = seedInt(sm.get("count"));
            if (count < 1) throw new UsageException("seeds count must be >= 1, got " + count);
            if (count > MAX_RUNS) throw new UsageException("seeds count " + count + " is too large");
            for (long i = 0; i < count; i++) out.add(from + i);
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) throw new UsageException("seeds list is empty");
            Set<Long> seen = new HashSet<>();
            for (Object o : l) {
                long s = seedInt(o);
                if (!seen.add(s)) throw new UsageException("seed " + s + " repeated");
                out.add(s);
            }
        } else {
            long count = seedInt(v);
            if (count < 1) throw new UsageException("seeds count must be >= 1, got " + count);
            if (count > MAX_RUNS) throw new UsageException("seeds count " + count + " is too large");
            for (long i = 0; i < count; i++) out.add(i);
        }
        return out;
    }

    private static long seedInt(Object o) {
        if (o instanceof Integer || o instanceof Long) return ((Number) o).longValue();
        throw new UsageException("seeds must be integers, got " + o);
    }

    /** All grid points in order, each validated (a bad one is a usage error naming its index). */
    public List<Point> points() {
        List<Point> pts = new ArrayList<>();
        for (var block : grid) {
            List<Setting> axes = new ArrayList<>(block.keySet());
            int[] idx = new int[axes.size()];
            while (true) {
                Map<String, Object> values = new LinkedHashMap<>();
                Map<Setting, Object> all = new LinkedHashMap<>(fixed);
                for (int a = 0; a < axes.size(); a++) {
                    Object v = block.get(axes.get(a)).get(idx[a]);
                    values.put(axes.get(a).key(), v);
                    all.put(axes.get(a), v);
                }
                pts.add(new Point(pts.size(), Collections.unmodifiableMap(values), config(all, pts.size(), values)));
                if ((long) pts.size() * seeds.size() > MAX_RUNS) throw new UsageException("more than " + MAX_RUNS + " runs");
                int a = axes.size() - 1; // odometer: the last axis varies fastest
                while (a >= 0 && ++idx[a] == block.get(axes.get(a)).size()) idx[a--] = 0;
                if (a < 0) break;
            }
        }
        return pts;
    }

    /**
     * Sets up every grid point's run as {@code train} does before its first step (config, target, model, input
     * distribution, per-layer rates, tracked monomials) and refuses the spec at the first point that could not run,
     * before a sweep writes anything: a usage error naming the point's config index (exit 2). A point this machine
     * cannot run (kernels "vector" without the Vector API) is a runtime failure naming it (exit 1).
     */
    public void checkRunnable() {
        long seed = seeds.getFirst();
        for (Point p : points()) {
            String where = "grid point " + p.index() + (p.values().isEmpty() ? "" : " (" + p.label() + ")");
            try {
                new Trainer(p.config().withSeed(seed));   // set-up only: allocates the model, trains nothing
            } catch (UsageException e) {
                throw new UsageException(where + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new IllegalStateException(where + " cannot run: " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
            }
        }
    }

    private static TrainConfig config(Map<Setting, Object> all, int index, Map<String, Object> values) {
        if (!all.containsKey(Setting.N)) throw new UsageException("n is not set: give it in fixed or in every grid block");
        Settings s = new Settings();
        all.forEach(s::set);
        try {
            return s.toConfig();
        } catch (UsageException e) {
            String where = values.isEmpty() ? "" : " (" + new Point(index, values, null).label() + ")";
            throw new UsageException("grid point " + index + where + ": " + e.getMessage());
        }
    }

    /** Every axis that varies in some block, in first-declared order. */
    public List<String> gridAxes() {
        Set<String> s = new LinkedHashSet<>();
        for (var b : grid) for (Setting a : b.keySet()) s.add(a.key());
        return List.copyOf(s);
    }

    public int runCount() {
        return points().size() * seeds.size();
    }

    public Path outDir() {
        return out != null ? out : Path.of("out", name);
    }

    /** The canonical JSON form (what {@code spec.json} in the output dir holds; no "out"). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        Map<String, Object> fm = new LinkedHashMap<>();
        fixed.forEach((a, v) -> fm.put(a.key(), v));
        m.put("fixed", fm);
        List<Object> g = new ArrayList<>();
        for (var b : grid) {
            Map<String, Object> bm = new LinkedHashMap<>();
            b.forEach((a, v) -> bm.put(a.key(), v));
            g.add(bm);
        }
        m.put("grid", g);
        m.put("seeds", seeds);
        if (fullCurves) m.put("full_curves", true);   // absent when false: spec.json of earlier sweeps stays equal
        return m;
    }

    public String toJson() {
        return Json.line(toMap());
    }

    public SweepSpec withOut(Path dir) {
        return new SweepSpec(name, fixed, grid, seeds, dir, fullCurves);
    }
}
