package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.plot.PresetPlots;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.reproduce.Check;
import bitsgd.harness.reproduce.Presets;
import bitsgd.harness.reproduce.Scripts;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd reproduce NAME…}: named sweeps of the papers, then their summary tables and plots. */
public final class ReproduceCommand implements Callable<Integer> {
    static final Opt<Boolean> ALL = Opt.flag("--all", "Every preset, in --list order.");
    static final Opt<Boolean> QUICK = Opt.flag("--quick", "The small variants: few points, few seeds, short budgets.");
    static final Opt<Boolean> CHECK = Opt.flag("--check",
            "Afterwards check each output's shape: summary.csv rows = grid points with every run, the preset's CSVs, every PNG present and non-empty.");
    static final Opt<Boolean> LIST = Opt.flag("--list", "List the presets and exit.");
    static final Opt<Boolean> PRINT_SPEC = Opt.flag("--print-spec",
            "Print the preset's sweep spec (JSON, for `bitsgd sweep`, e.g. with Slurm) and exit.");
    static final Opt<Integer> SEEDS = Opt.integer("--seeds", "Override the seed count (the output dir gets a -sS suffix).").label("S");
    static final Opt<Path> OUT = Opt.path("--out",
            "Output dir (default: out/reproduce/<name>[-quick]); with several presets, the parent of their dirs.").label("DIR");
    static final Opt<Integer> THREADS = Opt.integer("--threads", "Runs at a time (default: available processors).").label("T");
    static final Opt<ProgressMode> PROGRESS = Output.PROGRESS;
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("reproduce")
            .details("Resumable; writes summary.csv and plots/ under one output dir per preset. --list shows the presets; --quick runs small"
                    + " variants (all of them together < 1 min).",
                    "--check then checks each output's shape (CSV rows and columns, non-empty PNGs) and exits 1 on a problem.")
            .parameters("NAME", 0, Integer.MAX_VALUE, "Preset names (see --list); old names work as aliases.")
            .add(ALL, QUICK, CHECK, LIST, PRINT_SPEC, SEEDS, OUT, THREADS, PROGRESS, JSON);

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
        threads = p.get(THREADS);
        progress = p.get(PROGRESS);
        json = p.get(JSON);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = stdout;
        if (list) {
            for (var p : Presets.ALL.values()) o.printf("%-16s %s%n", p.name(), p.description());
            for (var sc : Scripts.ALL.values()) o.printf("%-16s %s%n", sc.name(), sc.description());
            for (var a : Presets.ALIASES.entrySet()) o.printf("%-16s alias of %s%n", a.getKey(), a.getValue());
            o.flush();
            return Main.OK;
        }
        List<String> known = new ArrayList<>(Presets.ALL.keySet());
        known.addAll(Scripts.ALL.keySet());
        List<String> todo = new ArrayList<>(all ? known : names);
        if (todo.isEmpty()) throw new UsageException("missing preset name (one of: " + String.join(", ", known) + "; or --all)");
        if (all && !names.isEmpty()) throw new UsageException("give preset names or --all, not both");
        if (seeds != null && seeds < 1) throw new UsageException("--seeds must be >= 1, got " + seeds);
        if (printSpec && todo.size() > 1) throw new UsageException("--print-spec takes one preset");
        List<Presets.Preset> presets = new ArrayList<>();
        List<SweepSpec> specs = new ArrayList<>();
        List<Scripts.Script> scripts = new ArrayList<>();
        for (String name : todo) {   // every name is checked before anything runs
            if (Scripts.ALL.containsKey(name)) {
                if (printSpec) throw new UsageException(name + " is a script of single runs, not a sweep: it has no spec to print");
                scripts.add(Scripts.ALL.get(name));
                continue;
            }
            Presets.Preset p = Presets.get(name);
            presets.add(p);
            specs.add(withSeeds(p.spec(quick)));
        }
        int jobs = presets.size() + scripts.size();
        if (printSpec) {
            o.println(specs.getFirst().toJson());
            o.flush();
            return Main.OK;
        }
        for (SweepSpec s : specs) s.checkRunnable();   // every preset's points, before the first one runs
        if (out != null) Output.directory(out);         // an unwritable --out is a usage error before any run
        long t0 = System.nanoTime();
        int code = Main.OK;
        List<String> failedChecks = new ArrayList<>();
        List<Map<String, Object>> done = new ArrayList<>();
        for (int i = 0; i < presets.size(); i++) {
            SweepSpec s = specs.get(i);
            Path dir = out == null ? Path.of("out", "reproduce", s.name()) : jobs == 1 ? out : out.resolve(s.name());
            int c = runOne(o, presets.get(i), s, dir);
            if (c != Main.OK) code = c;
            boolean ok = !check || checked(o, s.name(), Check.problems(dir, s, presets.get(i)), String.format("%d grid points x %d seeds, summary.csv, %d PNGs",
                    s.points().size(), s.seeds().size(), Check.expectedPngs(s, presets.get(i)).size()));
            if (!ok) {
                failedChecks.add(s.name());
                code = Main.FAILURE;
            }
            done.add(outcome(s.name(), dir, c, ok));
            o.flush();
        }
        for (Scripts.Script sc : scripts) {
            String name = sc.name() + (quick ? "-quick" : "");
            Path dir = out == null ? Path.of("out", "reproduce", name) : jobs == 1 ? out : out.resolve(name);
            o.printf("reproduce %s: %s -> %s%n", name, sc.description(), dir);
            long s0 = System.nanoTime();
            int c = Scripts.run(sc, dir, quick, o);
            if (c != Main.OK) code = c;
            o.printf(Locale.ROOT, "reproduce %s: %.1f s in total, summary %s%n", name, (System.nanoTime() - s0) * 1e-9, dir.resolve("summary.csv"));
            boolean ok = !check || c != Main.OK
                    || checked(o, name, Scripts.problems(sc, dir, quick), "summary.csv, every run's curve.csv and result.json, every PNG");
            if (!ok) {
                failedChecks.add(name);
                code = Main.FAILURE;
            }
            done.add(outcome(name, dir, c, ok));
            o.flush();
        }
        if (jobs > 1) {
            o.printf(Locale.ROOT, "reproduce: %d presets in %.1f s%s%n", jobs, (System.nanoTime() - t0) * 1e-9,
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

    /** Prints one OK line, or one FAIL line per problem; true when there are none. */
    private static boolean checked(PrintWriter o, String name, List<String> problems, String okDetail) {
        if (problems.isEmpty()) o.printf("check %s: OK (%s)%n", name, okDetail);
        for (String pr : problems) o.printf("check %s: FAIL %s%n", name, pr);
        return problems.isEmpty();
    }

    private SweepSpec withSeeds(SweepSpec s) {
        if (seeds == null) return s;
        Map<String, Object> m = new LinkedHashMap<>(s.toMap());
        m.put("seeds", seeds);
        m.put("name", s.name() + "-s" + seeds);
        return SweepSpec.parse(Json.line(m), null);
    }

    /** Sweep (resuming), summary, the preset's own tables, plots; prints the wall time. */
    private int runOne(PrintWriter o, Presets.Preset p, SweepSpec s, Path dir) throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        var opt = new SweepRunner.Options(t, Shards.Shard.ALL, progress, System.getenv());
        o.printf("reproduce %s: %d grid points x %d seeds = %d runs -> %s%n", s.name(), s.points().size(), s.seeds().size(), s.runCount(), dir);
        o.flush();
        long t0 = System.nanoTime();
        var outcome = SweepRunner.run(s, dir, opt, stderr);
        int code = SweepCommand.report(o, s, dir, Shards.Shard.ALL, outcome, false);
        var records = bitsgd.harness.sweep.Records.readAll(dir);
        var rows = Summary.of(s, records);
        AtomicFiles.write(dir.resolve("summary.csv"), Summary.csv(s, rows));
        o.print(Summary.table(s, rows));
        if (s.gridAxes().contains("lr")) {
            String best = bestOverLr(s, rows);
            AtomicFiles.write(dir.resolve("success.csv"), best);
            o.print(best);
        }
        List<Path> pngs = new ArrayList<>(SweepPlots.plot(dir, dir.resolve("plots"), p.panel(), p.x(), p.line(),
                p.kind() == Presets.Kind.PARITY || p.kind() == Presets.Kind.LEAP));
        switch (p.kind()) {
            case NOISY -> {
                var nr = PresetPlots.noisy(s, records);
                String csv = PresetPlots.noisyCsv(nr);
                AtomicFiles.write(dir.resolve("noisy.csv"), csv);
                o.print(Summary.tableOf(csv));
                pngs.addAll(PresetPlots.noisyPlots(dir, s, nr));
            }
            case GROKKING -> {
                String csv = PresetPlots.grokkingCsv(s, PresetPlots.grokking(s, records));
                AtomicFiles.write(dir.resolve("grokking.csv"), csv);
                o.print(Summary.tableOf(csv));
                pngs.addAll(PresetPlots.grokkingPlots(dir, s, records));
            }
            case LEAP -> {
                var lr = PresetPlots.leap(s, records);
                String csv = PresetPlots.leapCsv(lr);
                AtomicFiles.write(dir.resolve("leap.csv"), csv);
                o.print(Summary.tableOf(csv));
                pngs.addAll(PresetPlots.leapPlots(dir, s, lr));
            }
            case PARITY -> { }
        }
        for (Path png : pngs) o.println("plot " + png);
        o.printf(Locale.ROOT, "reproduce %s: %.1f s in total (sweep %.1f s), summary %s%n", s.name(), (System.nanoTime() - t0) * 1e-9,
                outcome.wallSeconds(), dir.resolve("summary.csv"));
        o.flush();
        return code;
    }

    /**
     * The paper's success criterion: a configuration succeeds when at least 20% of its seeds converge
     * for at least one lr; the best lr is the one with the smallest median t_c.
     */
    static String bestOverLr(SweepSpec s, List<Summary.Row> rows) {
        List<String> others = new ArrayList<>(s.gridAxes());
        others.remove("lr");
        Map<List<String>, List<Summary.Row>> groups = new LinkedHashMap<>();
        for (var r : rows) {
            List<String> key = new ArrayList<>();
            for (String a : others) key.add(String.valueOf(Summary.axisValue(r.point(), a)));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<String> header = new ArrayList<>(others);
        header.addAll(List.of("success", "best_lr", "success_fraction", "t_c_median"));
        List<List<String>> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            Summary.Row best = null;
            boolean success = false;
            for (var r : e.getValue()) {
                if (r.successFraction() >= 0.2) success = true;
                if (best == null || r.tcMedian() < best.tcMedian()
                        || (r.tcMedian() == best.tcMedian() && r.successFraction() > best.successFraction())) best = r;
            }
            List<String> row = new ArrayList<>(e.getKey());
            row.addAll(List.of(String.valueOf(success), String.valueOf(Summary.axisValue(best.point(), "lr")), Summary.num(best.successFraction()),
                    Summary.num(best.tcMedian())));
            out.add(row);
        }
        return Csv.write(header, out);
    }
}
