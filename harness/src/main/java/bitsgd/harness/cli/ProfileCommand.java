package bitsgd.harness.cli;

import bitsgd.harness.Machine;
import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.profile.MachineProbe;
import bitsgd.harness.profile.PhaseProfile;
import bitsgd.harness.profile.Profile;
import bitsgd.harness.profile.Profile.Shape;
import bitsgd.harness.train.Throughput;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.MlpKernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bitsgd profile}: the speed protocol (throughput and time to solve) as a table. */
public final class ProfileCommand implements Callable<Integer> {

    static final Opt<List<String>> SHAPES = Opt.strings("--shapes", " ", "Throughput shapes.").label("n,k,h,B")
            .defaultValue("20,3,100,32 50,3,1000,32 50,3,1000,256 100,2,1000,32");
    static final Opt<List<String>> SOLVE_SHAPES = Opt.strings("--solve-shapes", " ", "Time-to-solve shapes; 'none' skips.").label("n,k,h,B")
            .defaultValue("20,3,100,32 50,3,1000,32");
    static final Opt<Integer> ROUNDS = Opt.integer("--rounds", "Timed rounds per implementation.").defaultValue("5");
    static final Opt<Double> ROUND_SECONDS = Opt.real("--round-seconds", "Seconds per round.").defaultValue("1.0");
    static final Opt<Integer> SEEDS = Opt.integer("--seeds", "Seeds per time-to-solve shape.").defaultValue("10");
    static final Opt<Long> MAX_STEPS = Opt.longInteger("--max-steps", "Step budget of a time-to-solve run.").defaultValue("20000");
    static final Opt<Integer> THREADS = Opt.integer("--threads",
            "Also time the vector kernels with each step split over T threads, as train --threads T; 1 = one thread only.")
            .label("T").defaultValue("1");
    static final Opt<Boolean> PHASES = Opt.flag("--phases",
            "Also time the vector kernels' step one phase at a time (forward tables, forward lookups, δ tables, ∂W lookups + W update), each against its part of the op bound.");
    static final Opt<Boolean> JSON = Output.JSON;
    static final Opt<Path> OUT = Output.out("profile.md and profile.json");

    static final Options OPTIONS = new Options("profile").add(SHAPES, SOLVE_SHAPES, ROUNDS, ROUND_SECONDS, SEEDS, MAX_STEPS, THREADS, PHASES, JSON, OUT);

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    final List<String> shapes;
    final List<String> solveShapes;
    final int rounds;
    final double roundSeconds;
    final int seeds;
    final long maxSteps;
    final int threads;
    final boolean phases;
    final boolean json;
    final Path out;

    ProfileCommand(Parsed p, PrintWriter stdout, PrintWriter stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
        shapes = p.get(SHAPES);
        solveShapes = p.get(SOLVE_SHAPES);
        rounds = p.get(ROUNDS);
        roundSeconds = p.get(ROUND_SECONDS);
        seeds = p.get(SEEDS);
        maxSteps = p.get(MAX_STEPS);
        threads = p.get(THREADS);
        phases = p.get(PHASES);
        json = p.get(JSON);
        out = p.get(OUT);
    }

    @Override
    public Integer call() throws Exception {
        List<Shape> tp = parse(shapes, "--shapes");
        List<Shape> ts = solveShapes.size() == 1 && solveShapes.getFirst().equals("none") ? List.of() : parse(solveShapes, "--solve-shapes");
        if (rounds < 1) throw new UsageException("--rounds must be >= 1, got " + rounds);
        if (!(roundSeconds > 0 && roundSeconds <= 600)) throw new UsageException("--round-seconds must be in (0, 600], got " + roundSeconds);
        if (seeds < 1) throw new UsageException("--seeds must be >= 1, got " + seeds);
        if (maxSteps < 1) throw new UsageException("--max-steps must be >= 1, got " + maxSteps);
        if (threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
        if (threads > 1 && !Kernels.vectorAvailable()) {
            throw new UsageException("--threads " + threads + " splits the vector kernels' steps, and they cannot run here: " + Kernels.vectorUnavailableReason());
        }
        if (phases && !Kernels.vectorAvailable()) {
            throw new UsageException("--phases times the vector kernels, and they cannot run here: " + Kernels.vectorUnavailableReason());
        }
        for (Shape s : tp) s.config(0).validate();
        for (Shape s : ts) s.config(0).validate();
        if (out != null) Output.directory(out);

        PrintWriter o = stdout;
        List<MlpKernels> impls = new ArrayList<>(List.of(Kernels.scalarMlp()));
        if (Kernels.vectorAvailable()) impls.add(Kernels.vectorMlp());
        else o.println("WARNING: vector kernels unavailable (" + Kernels.vectorUnavailableReason() + "): scalar only");
        MlpKernels fastest = impls.getLast();
        int[] implThreads = new int[impls.size()];
        java.util.Arrays.fill(implThreads, 1);
        if (threads > 1) {
            impls.add(fastest);
            implThreads = java.util.Arrays.copyOf(implThreads, impls.size());
            implThreads[impls.size() - 1] = threads;
        }

        // measure first, probe last (all probes: the add peak and the table lookups and stores): a hot loop of
        // FloatVector.add run before the kernels are compiled leaves C2 compiling them ~1.8× slower
        // (docs/performance.md, "JIT profile pollution")
        List<Profile.ThroughputRow> tpRows = new ArrayList<>();
        for (Shape s : tp) {
            tpRows.add(Profile.throughput(s, impls, implThreads, rounds, roundSeconds));
            status(s + " throughput measured");
        }
        List<Profile.SolveRow> tsRows = new ArrayList<>();
        for (Shape s : ts) {
            tsRows.add(Profile.timeToSolve(s, fastest, seeds, maxSteps));
            status(s + " time to solve measured");
        }
        List<PhaseProfile.Result> phaseRows = new ArrayList<>();
        if (phases) {
            for (Shape s : tp) {
                phaseRows.add(PhaseProfile.measure(s, rounds, roundSeconds));
                status(s + " phases measured");
            }
        }
        double peak = MachineProbe.peakLaneAddsPerSecond(5, 200);
        // the table probes use the kernels' species: only where the vector kernels run
        Profile.TableCosts costs = Kernels.vectorAvailable()
                ? new Profile.TableCosts(MachineProbe.tableLanes(), MachineProbe.lookupNanos(5, 200), MachineProbe.storeNanos(5, 200),
                        MachineProbe.streamLoadNanos(5, 200), MachineProbe.cycleNanos(5, 200))
                : null;

        var md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "machine: %s, %d cores, JDK %s, kernels %s%n", Machine.cpu(),
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Kernels.selection()));
        md.append(String.format(Locale.ROOT, "limit:   %.1f G lane-adds/s per core (probe: 8 independent %d-lane float adds in registers)",
                peak / 1e9, MachineProbe.lanes()));
        md.append(costs == null ? String.format(Locale.ROOT, "%n%n") : String.format(Locale.ROOT,
                "; %.3f ns per table lookup, %.3f ns per table store (probes: %d-lane vector loads at random offsets + add, stores, into an aligned table);"
                        + " clock %.2f GHz (probe: a chain of dependent 1-cycle shifts and adds)%n%n",
                costs.lookupNs(), costs.storeNs(), costs.lanes(), 1 / costs.cycleNs()));

        md.append(String.format(Locale.ROOT, "throughput: fresh batch + labels + fused step, one thread (×T: split over T);"
                + " median [min-max] of %d alternating rounds of %.1f s%n", rounds, roundSeconds));
        md.append("op bound: the vector kernels' table lookups and other vector loads at the lookup cost, plus their vector stores at the"
                + " store cost, per step, loads and stores not overlapping (Profile.VectorOps)\n");
        md.append(costs == null ? "\n" : String.format(Locale.ROOT, "port bound: the same loads and stores at the core's peak rates, %.2f loads and %.2f stores"
                + " per cycle (probes: consecutive aligned vector loads into 8 accumulators; the table stores), overlapping, everything else"
                + " free; both bounds per core, divided by T for ×T%n%n", costs.loadsPerCycle(), costs.storesPerCycle()));
        md.append("| (n,k,h,B) | kernels | steps/s | samples/s | µs/step | dense G lane-adds/s | share of add peak | op bound µs | share of op bound"
                + " | port bound µs | share of port bound | vs scalar |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        var tpJson = new ArrayList<Object>();
        for (Profile.ThroughputRow row : tpRows) {
            Shape s = row.shape();
            double scalarMed = Throughput.median(row.stepsPerSecond()[0]);
            for (int i = 0; i < impls.size(); i++) {
                double[] r = row.stepsPerSecond()[i];
                double med = Throughput.median(r);
                boolean bounded = costs != null && Profile.ThroughputRow.isVector(row.impls().get(i));
                int t = row.threads()[i];
                double bound = bounded ? costs.boundNanos(s) / t : Double.NaN, port = bounded ? costs.portBoundNanos(s) / t : Double.NaN;
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f [%,.0f–%,.0f] | %,.0f | %.1f | %.1f | %.0f%% | %s | %s | %s | %s | %.2f× |%n",
                        s, row.impls().get(i), med, Throughput.min(r), Throughput.max(r), med * s.batch(), 1e6 / med,
                        med * s.denseLaneAdds() / 1e9, 100 * med * s.denseLaneAdds() / peak,
                        bounded ? String.format(Locale.ROOT, "%.1f", bound / 1e3) : "–",
                        bounded ? String.format(Locale.ROOT, "%.0f%%", 100 * bound * med / 1e9) : "–",
                        bounded ? String.format(Locale.ROOT, "%.1f", port / 1e3) : "–",
                        bounded ? String.format(Locale.ROOT, "%.0f%%", 100 * port * med / 1e9) : "–", med / scalarMed));
            }
            tpJson.add(row.toMap(peak, costs));
        }
        var phaseJson = new ArrayList<Object>();
        if (!phaseRows.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nphases: the vector kernels' step (rates 0, one batch) and each of its phases run alone over every"
                    + " column block, the others left out, one thread; median [min-max] of %d alternating rounds of %.1f s; loads and stores per"
                    + " step (Profile.VectorOps); × op bound: the phase's time over its loads at the lookup cost plus its stores at the store"
                    + " cost%n%n", rounds, roundSeconds));
            md.append("| (n,k,h,B) | phase | µs/step | vector loads | vector stores | op bound µs | × op bound |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (PhaseProfile.Result r : phaseRows) {
                for (String line : PhaseProfile.markdownRows(r, costs)) md.append(line).append('\n');
                phaseJson.add(r.toMap(costs));
            }
        }
        var tsJson = new ArrayList<Object>();
        if (!tsRows.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%ntime to solve: %s kernels; held-out 10,000 checked every 100 steps, solved at error < 1%%;"
                    + " wall from the first step to solved, in-process, after untimed warm-up runs; %d seeds%n%n", fastest.name(), seeds));
            md.append("| (n,k,h,B) | solved | median steps | median ms [min-max] | eval share | cold JIT ms (first warm-up run) |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (Profile.SolveRow row : tsRows) {
                Shape s = row.shape();
                double[] ms = row.solveMillis();
                Double first = row.coldRun().solveSeconds();
                md.append(ms.length == 0
                        ? String.format(Locale.ROOT, "| %s | 0/%d | – | – | – | – |%n", s, seeds)
                        : String.format(Locale.ROOT, "| %s | %d/%d | %.0f | %.1f [%.1f–%.1f] | %.0f%% | %s |%n", s, row.solved(), seeds,
                                Throughput.median(row.steps()), Throughput.median(ms), Throughput.min(ms), Throughput.max(ms),
                                100 * Throughput.median(row.evalShare()), first == null ? "–" : String.format(Locale.ROOT, "%.1f", first * 1e3)));
                tsJson.add(row.toMap());
            }
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("cpu", Machine.cpu());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("jdk", Runtime.version().toString());
        result.put("kernel_selection", Kernels.selection());
        result.put("peak_lane_adds_per_second", peak);
        result.put("lookup_ns", costs == null ? null : costs.lookupNs());
        result.put("store_ns", costs == null ? null : costs.storeNs());
        result.put("cycle_ns", costs == null ? null : costs.cycleNs());
        result.put("stream_load_ns", costs == null ? null : costs.streamLoadNs());
        result.put("loads_per_cycle", costs == null ? null : costs.loadsPerCycle());
        result.put("stores_per_cycle", costs == null ? null : costs.storesPerCycle());
        result.put("rounds", rounds);
        result.put("round_seconds", roundSeconds);
        result.put("throughput", tpJson);
        if (phases) result.put("phases", phaseJson);
        result.put("time_to_solve", tsJson);
        if (out != null) {
            AtomicFiles.write(out.resolve("profile.md"), md.toString());
            AtomicFiles.write(out.resolve("profile.json"), Json.line(result) + "\n");
        }
        if (json) o.println(Json.line(result));
        else o.print(md);
        o.flush();
        return Main.OK;
    }

    /** One line per finished measurement on stderr, so a long profile shows it is alive (the table needs the probe, which runs last). */
    private void status(String line) {
        stderr.println("profile: " + line);
        stderr.flush();
    }

    private static List<Shape> parse(List<String> specs, String option) {
        List<Shape> r = new ArrayList<>();
        for (String s : specs) {
            if (s.isBlank()) continue;
            try {
                r.add(Shape.parse(s));
            } catch (IllegalArgumentException e) {
                throw new UsageException(option + ": " + e.getMessage());
            }
        }
        if (r.isEmpty()) throw new UsageException(option + " needs at least one n,k,width,batch");
        return r;
    }
}
