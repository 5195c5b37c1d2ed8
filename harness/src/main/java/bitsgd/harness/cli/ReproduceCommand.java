package bitsgd.harness.cli;

import bitsgd.harness.BuildInfo;
import bitsgd.harness.UsageException;
import bitsgd.harness.experiment.Check;
import bitsgd.harness.experiment.Experiment;
import bitsgd.harness.experiment.Experiment.Variant;
import bitsgd.harness.experiment.Experiments;
import bitsgd.harness.experiment.Reference;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.ProgressMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd reproduce NAME…}: the papers' experiments ({@link Experiments}), then their checks. */
public final class ReproduceCommand implements Callable<Integer> {
    static final Opt<Boolean> ALL = Opt.flag("--all", "Every preset, in --list order.");
    static final Opt<Boolean> QUICK = Opt.flag("--quick", "The small variants: few points, few seeds, short budgets.");
    static final Opt<Boolean> CHECK = Opt.flag("--check",
            "Afterwards check each output: its shape (CSV rows and columns, non-empty PNGs) and its numbers against the stored reference"
                    + " (each median inside a band from the reference seeds' spread; see docs/sweeps.md).");
    static final Opt<Boolean> LIST = Opt.flag("--list", "List the presets and exit.");
    static final Opt<Boolean> PRINT_SPEC = Opt.flag("--print-spec",
            "Print the preset's sweep spec (JSON, for `bitsgd sweep`, e.g. with Slurm) and exit.");
    static final Opt<Integer> SEEDS = Opt.integer("--seeds", "Override the seed count (the output dir gets a -sS suffix).").label("S");
    static final Opt<Path> OUT = Opt.path("--out",
            "Output dir (default: out/reproduce/<name>[-quick]); with several presets, the parent of their dirs.").label("DIR");
    static final Opt<Path> REFERENCE_OUT = Opt.path("--reference-out",
            "Afterwards write each preset's measured numbers as a reference file <name>[-quick].json into DIR (how the stored references are made).")
            .label("DIR");
    static final Opt<Integer> THREADS = Opt.integer("--threads", "Runs at a time (default: available processors).").label("T");
    static final Opt<ProgressMode> PROGRESS = Output.PROGRESS;
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("reproduce")
            .details("Resumable; writes summary.csv and plots/ under one output dir per preset. --list shows the presets; --quick runs small"
                    + " variants (all of them together < 1 min).",
                    "--check then checks each output's shape and numbers and exits 1 on a problem.")
            .parameters("NAME", 0, Integer.MAX_VALUE, "Preset names (see --list); old names work as aliases.")
            .add(ALL, QUICK, CHECK, LIST, PRINT_SPEC, SEEDS, OUT, REFERENCE_OUT, THREADS, PROGRESS, JSON);

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    final List<String> names;
    final boolean all;
    final boolean quick;
    final boolean check;
    final boolean list;
    final boolean printSpec;
    final Integer seeds;
    final Path out;
    final Path referenceOut;
    final Integer threads;
    final ProgressMode progress;
    final boolean json;

    ReproduceCommand(Parsed p, PrintWriter stdout, PrintWriter stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
        names = p.parameters();
        all = p.get(ALL);
        quick = p.get(QUICK);
        check = p.get(CHECK);
        list = p.get(LIST);
        printSpec = p.get(PRINT_SPEC);
        seeds = p.get(SEEDS);
        out = p.get(OUT);
        referenceOut = p.get(REFERENCE_OUT);
        threads = p.get(THREADS);
        progress = p.get(PROGRESS);
        json = p.get(JSON);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = stdout;
        if (list) {
            int w = 0;   // the longest name or alias sets the column
            for (Experiment e : Experiments.ALL) {
                w = Math.max(w, e.name().length());
                for (String a : e.aliases()) w = Math.max(w, a.length());
            }
            String row = "%-" + w + "s  %s%n";
            for (Experiment e : Experiments.ALL) o.printf(row, e.name(), e.description());
            for (Experiment e : Experiments.ALL) for (String a : e.aliases()) o.printf(row, a, "alias of " + e.name());
            o.flush();
            return Main.OK;
        }
        List<String> todo = all ? Experiments.names() : names;
        if (todo.isEmpty()) throw new UsageException("missing preset name (one of: " + String.join(", ", Experiments.names()) + "; or --all)");
        if (all && !names.isEmpty()) throw new UsageException("give preset names or --all, not both");
        if (seeds != null && seeds < 1) throw new UsageException("--seeds must be >= 1, got " + seeds);
        if (printSpec && todo.size() > 1) throw new UsageException("--print-spec takes one preset");
        Variant variant = new Variant(quick, seeds);
        List<Experiment> experiments = new ArrayList<>();
        for (String name : todo) experiments.add(Experiments.get(name));   // every name is checked before anything runs
        if (printSpec) {
            Experiment e = experiments.getFirst();
            if (e.spec(variant) == null) throw new UsageException(e.name() + " is not one sweep: it has no spec to print");
            o.println(e.spec(variant).toJson());
            o.flush();
            return Main.OK;
        }
        for (Experiment e : experiments) e.prepare(variant);   // every preset's settings, before the first one runs
        if (out != null) Output.directory(out);                // an unwritable --out is a usage error before any run
        if (referenceOut != null) Output.directory(referenceOut);
        var env = new Experiment.Env(threads != null ? threads : Runtime.getRuntime().availableProcessors(), progress, o, stderr);
        long t0 = System.nanoTime();
        int code = Main.OK;
        List<String> failedChecks = new ArrayList<>();
        List<Map<String, Object>> done = new ArrayList<>();
        for (Experiment e : experiments) {
            String name = variant.name(e.name());
            Path dir = out == null ? Path.of("out", "reproduce", name) : experiments.size() == 1 ? out : out.resolve(name);
            int c = e.run(variant, dir, env);
            if (c != Main.OK) code = c;
            boolean ok = true;
            if (check) {
                ok = c == Main.OK && Check.report(o, name, e, variant, dir);
                if (!ok) {
                    failedChecks.add(name);
                    code = Main.FAILURE;
                }
            }
            if (referenceOut != null && c == Main.OK) writeReference(o, e, variant, dir);
            done.add(outcome(name, dir, c, ok));
            o.flush();
        }
        if (experiments.size() > 1) {
            o.printf(Locale.ROOT, "reproduce: %d presets in %.1f s%s%n", experiments.size(), (System.nanoTime() - t0) * 1e-9,
                    check ? failedChecks.isEmpty() ? ", every check OK" : ", checks FAILED: " + String.join(", ", failedChecks) : "");
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("presets", done);
            m.put("checked", check);
            m.put("seconds", (System.nanoTime() - t0) * 1e-9);
            Output.json(o, m);
        }
        o.flush();
        return code;
    }

    private Map<String, Object> outcome(String name, Path dir, int exit, boolean checkOk) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("out", dir.toString());
        m.put("summary", dir.resolve("summary.csv").toString());
        m.put("exit", exit);
        if (check) m.put("check_ok", checkOk);
        return m;
    }

    /** Writes {@code <referenceOut>/<name>[-quick].json} from the output just made. */
    private void writeReference(PrintWriter o, Experiment e, Variant v, Path dir) throws Exception {
        String variantName = v.referenceName(e.name());
        String command = "bin/bitsgd reproduce " + e.name() + (v.quick() ? " --quick" : "") + (v.seeds() != null ? " --seeds " + v.seeds() : "")
                + " --reference-out DIR";
        Reference r = Reference.of(variantName, command, LocalDate.now(ZoneOffset.UTC).toString(), BuildInfo.COMMIT, e.measures(v, dir));
        Path file = referenceOut.resolve(variantName + ".json");
        AtomicFiles.write(file, r.toJson());
        o.println("reference " + file);
    }
}
