package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.DirLock;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.OnSignal;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.train.Checkpoints;
import bitsgd.harness.train.CurvePoint;
import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs a sweep's runs (or one shard of them) on {@code threads} platform threads, one run per
 * thread at a time, in run-index order. A run whose complete record already exists is skipped;
 * every finished run is written as one record at once, so killing the process at any moment loses
 * at most the runs in flight.
 */
public final class SweepRunner {

    /**
     * @param splitWidth runs of --arch mlp at least this wide run alone, each step split over all {@code threads}
     *                   ({@code train --threads}); 0 = every run on one thread
     */
    public record Options(int threads, Shards.Shard shard, ProgressMode progress, Map<String, String> env, int splitWidth,
                          long checkpointEvery) {
        public Options {
            if (threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
            if (splitWidth < 0) throw new UsageException("--split-width must be >= 0, got " + splitWidth);
            if (checkpointEvery < 0) throw new UsageException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }

        public Options(int threads, Shards.Shard shard, ProgressMode progress, Map<String, String> env, int splitWidth) {
            this(threads, shard, progress, env, splitWidth, 0);
        }

        public Options(int threads, Shards.Shard shard, ProgressMode progress, Map<String, String> env) {
            this(threads, shard, progress, env, 0);
        }

        public static Options of(int threads) {
            return new Options(threads, Shards.Shard.ALL, ProgressMode.NONE, Map.of());
        }

        /** Whether the run of {@code cfg} is split over all threads (and so runs alone). */
        boolean splits(TrainConfig cfg) {
            return splitWidth > 0 && threads > 1 && cfg.width() >= splitWidth && "mlp".equals(cfg.model().arch())
                    && !"scalar".equals(cfg.kernels()) && Kernels.vectorAvailable();
        }
    }

    /**
     * What a sweep invocation did. Thread-seconds: {@code stepSeconds} training steps,
     * {@code checkSeconds} convergence checks, {@code setupSeconds} per-run set-up (init, eval set)
     * plus the final full-set score; {@code jvmSeconds} = JVM uptime when the sweep started.
     */
    public record Outcome(int total, int inShard, int skipped, int ran, int failed, double wallSeconds,
                          double stepSeconds, double checkSeconds, double setupSeconds, double jvmSeconds, long steps, int threads,
                          double cpuSeconds) {
        public double runsPerSecond() {
            return ran / wallSeconds;
        }
    }

    private SweepRunner() {}

    /** Checks the output dir against the spec and writes {@code spec.json} (before any run). */
    public static void prepare(SweepSpec spec, Path dir) throws IOException {
        checkSpecFile(spec, dir);
        Records.createRunsDir(dir);
        Path specFile = dir.resolve(Records.SPEC);
        if (!Files.exists(specFile)) AtomicFiles.write(specFile, spec.toJson() + "\n");
    }

    /**
     * Refuses an output dir whose {@code spec.json} is not this spec's (a usage error; reads only): a different sweep, or a
     * file that is not JSON at all (corrupt), each with what to do.
     */
    static void checkSpecFile(SweepSpec spec, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UsageException("--out " + dir + " exists and is not a directory");
        Path specFile = dir.resolve(Records.SPEC);
        if (!Files.exists(specFile)) return;
        String old = Files.readString(specFile).strip();
        if (old.equals(spec.toJson())) return;
        String corrupt = null;
        try {
            if (Json.parse(old) == null) corrupt = "it is empty";
        } catch (RuntimeException e) {
            corrupt = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            corrupt = corrupt == null ? "not JSON" : "not JSON: " + corrupt.lines().findFirst().orElse("");
        }
        if (corrupt != null) {
            throw new UsageException(specFile + " is corrupt (" + corrupt + "); if " + dir + " holds this sweep, delete that file and run"
                    + " again to keep its records, else give another --out");
        }
        throw new UsageException(dir + " holds a different sweep (its spec.json differs from this spec); use another --out");
    }

    /**
     * Runs the sweep (or its shard) into {@code dir}. Before anything is written: every grid point is set up as a run
     * ({@link SweepSpec#checkRunnable}), the dir is checked against the spec and proved writable. Then the dir's
     * {@link DirLock} is taken (a second sweep into it is refused) and held until the last run. A record that cannot be
     * written (a full disk) stops the sweep: no further run starts, and the failure is thrown once, naming the file.
     */
    public static Outcome run(SweepSpec spec, Path dir, Options opt, PrintWriter log) throws IOException {
        double jvmSeconds = ManagementFactory.getRuntimeMXBean().getUptime() * 1e-3;
        List<SweepSpec.Point> points = spec.points();
        spec.checkRunnable();
        checkSpecFile(spec, dir);
        AtomicFiles.writableDirectory(dir, "output dir");
        try (DirLock lock = DirLock.acquire(dir, "sweep", log)) {
            prepare(spec, dir);
            AtomicFiles.removeStaleTemps(Records.runsDir(dir));   // a kill -9's half-written records: nobody else writes here now
            return runLocked(spec, points, dir, opt, log, jvmSeconds);
        }
    }

    private static Outcome runLocked(SweepSpec spec, List<SweepSpec.Point> points, Path dir, Options opt, PrintWriter log, double jvmSeconds)
            throws IOException {
        int nSeeds = spec.seeds().size();
        int total = points.size() * nSeeds;
        List<Integer> todo = new ArrayList<>();
        int inShard = 0;
        var existing = Records.readAll(dir).keySet();
        for (int r = 0; r < total; r++) {
            if (!opt.shard().keeps(r)) continue;
            inShard++;
            var key = new Records.Key(r / nSeeds, spec.seeds().get(r % nSeeds));
            if (!existing.contains(key)) todo.add(r);
        }
        int skipped = inShard - todo.size(), runsInShard = inShard;
        Progress progress = Progress.create(opt.progress(), log, inShard, skipped);
        if (skipped > 0) log.printf("sweep %s: %d of %d runs in this shard already done, %d to run%n", spec.name(), skipped, inShard, todo.size());
        AtomicInteger ran = new AtomicInteger();
        OnSignal signal = OnSignal.say(log, () -> {
            progress.close();
            return "bitsgd: sweep " + spec.name() + ": stopped by a signal after " + (skipped + ran.get()) + " of " + runsInShard
                    + " runs; the records written stay valid, run the same command again to resume";
        });
        try {
            return runWorkers(spec, points, dir, opt, log, jvmSeconds, todo, skipped, inShard, progress, ran, signal);
        } finally {
            signal.close();
        }
    }

    /** The sweep's threads, each taking the next run to do until none is left, a record cannot be written or a signal comes. */
    private static Outcome runWorkers(SweepSpec spec, List<SweepSpec.Point> points, Path dir, Options opt, PrintWriter log, double jvmSeconds,
                                      List<Integer> todo, int skipped, int inShard, Progress progress, AtomicInteger ran, OnSignal signal)
            throws IOException {
        int nSeeds = spec.seeds().size();
        int total = points.size() * nSeeds;
        int threads = Math.max(1, Math.min(opt.threads(), todo.size()));

        AtomicInteger next = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        AtomicReference<IOException> writeFailure = new AtomicReference<>();   // the first record that could not be written
        AtomicInteger failed = new AtomicInteger();
        DoubleAdder stepS = new DoubleAdder(), checkS = new DoubleAdder(), setupS = new DoubleAdder(), cpuS = new DoubleAdder();
        var threadBean = ManagementFactory.getThreadMXBean();
        java.util.concurrent.atomic.LongAdder steps = new java.util.concurrent.atomic.LongAdder();
        VectorSwitch vectorSwitch = new VectorSwitch(todo.size(), threads, Kernels::vectorFromStart);
        String host = host(opt.env());
        Map<String, Object> slurm = Shards.slurmIds(opt.env());
        // a split run holds the write lock, so it runs alone on all threads; the others share the read lock
        ReadWriteLock alone = new ReentrantReadWriteLock(true);
        long t0 = System.nanoTime();
        List<Thread> pool = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.add(Thread.ofPlatform().name("sweep-" + t).start(() -> {
                int i;
                while (writeFailure.get() == null && (i = next.getAndIncrement()) < todo.size()) {
                    started.incrementAndGet();
                    int r = todo.get(i);
                    SweepSpec.Point p = points.get(r / nSeeds);
                    long seed = spec.seeds().get(r % nSeeds);
                    Map<String, Object> rec;
                    RunResult res;
                    Path toDelete = null;
                    double wall;
                    boolean split = opt.splits(p.config());
                    Lock lock = split ? alone.writeLock() : alone.readLock();
                    lock.lock();
                    try {
                        long w0 = System.nanoTime();
                        long c0 = threadBean.getCurrentThreadCpuTime();
                        TrainConfig cfg = p.config().withSeed(seed);
                        Trainer trainer = new Trainer(cfg);
                        if (split) trainer.threads(opt.threads());
                        Path checkpoint = opt.checkpointEvery() > 0 ? checkpoints(trainer, cfg, dir, p, seed, opt.checkpointEvery(), log) : null;
                        List<CurvePoint> curve = new ArrayList<>();
                        res = trainer.run(curve::add);
                        toDelete = checkpoint;
                        wall = (System.nanoTime() - w0) * 1e-9;
                        double cpu = (threadBean.getCurrentThreadCpuTime() - c0) * 1e-9;
                        rec = record(spec, p, r, seed, res, curve, wall, cpu, host, slurm, thread);
                        vectorSwitch.finished(wall, res.twinSteps() > 0);
                        rec.put("process_run", i);   // this process's i-th run: the first ones pay the JIT's warm-up
                        cpuS.add(cpu);
                    } catch (Throwable e) {
                        failed.incrementAndGet();
                        synchronized (log) {
                            log.println("bitsgd: run " + r + " (config " + p.index() + " seed " + seed + ") failed: " + e);
                            log.flush();
                        }
                        progress.done(null);
                        continue;
                    } finally {
                        lock.unlock();
                    }
                    try {
                        Records.write(dir, new Records.Key(p.index(), seed), rec);
                        if (toDelete != null) Files.deleteIfExists(toDelete);   // the record holds the run now
                    } catch (IOException e) {
                        if (signal.fired()) return;   // the JVM is stopping: its signal line says where
                        // the next record would fail the same way (a full disk): stop, rather than compute runs nobody keeps
                        writeFailure.compareAndSet(null, e);
                        break;
                    }
                    stepS.add(res.trainSeconds() - res.evalSeconds());
                    checkS.add(res.evalSeconds());
                    setupS.add(wall - res.trainSeconds());
                    steps.add(res.steps());
                    ran.incrementAndGet();
                    progress.done(rec);
                }
            }));
        }
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (signal.fired()) signal.awaitExit();   // a signal's line is the sweep's last word, not an outcome
        double wall = (System.nanoTime() - t0) * 1e-9;
        progress.close();
        if (writeFailure.get() != null) {
            int recorded = skipped + ran.get();
            throw new IOException(writeFailure.get().getMessage() + "; sweep " + spec.name() + " stopped: " + recorded + " of " + inShard
                    + " runs recorded, " + (todo.size() - started.get()) + " not started; the records written stay valid, run the same"
                    + " command again to resume", writeFailure.get());
        }
        return new Outcome(total, inShard, skipped, ran.get(), failed.get(), wall, stepS.sum(), checkS.sum(), setupS.sum(),
                jvmSeconds, steps.sum(), threads, cpuS.sum());
    }

    /**
     * When a sweep moves from the twin to the Vector API code. The Vector API code is ~3x faster once compiled, but
     * compiling it costs each thread ~1.7 s of slow runs (measured, 2 cores), and the twin's own compilations only
     * delay it when both start together: with the Vector API code from the start, 6 and 20 runs of (20,3,100,32) took
     * 2.7x and 2.3x longer than on the twin alone, 300 runs 1.4x shorter. So a sweep starts on the twin and, once a few
     * runs have shown how long a run takes, moves every later run to the Vector API code if the runs left would take
     * the twin longer than {@link #SWITCH_WHEN_LEFT_SECONDS} (the warm-up's cost, with a margin).
     */
    static final class VectorSwitch {
        static final double SWITCH_WHEN_LEFT_SECONDS = 3.0;
        private final int runs, threads;
        private final Runnable toVector;
        private final List<Double> twinWalls = new ArrayList<>();
        private int finished;
        private boolean decided;

        VectorSwitch(int runs, int threads, Runnable toVector) {
            this.runs = runs;
            this.threads = threads;
            this.toVector = toVector;
        }

        /** After each finished run: its wall time, and whether its steps ran on the twin. */
        synchronized void finished(double wallSeconds, boolean onTwin) {
            finished++;
            if (decided || !onTwin) return;
            twinWalls.add(wallSeconds);
            if (twinWalls.size() < 3 * threads) return;
            decided = true;
            // the first run of each thread pays its JIT warm-up: the median of the later ones is a run's cost
            double perRun = Summary.quantile(twinWalls.subList(threads, twinWalls.size()), 0.5);
            if ((runs - finished) * perRun / threads > SWITCH_WHEN_LEFT_SECONDS) toVector.run();
        }
    }

    /**
     * Saves the run's state to {@code dir/checkpoints/config<i>-seed<s>.npz} every {@code every} steps, and continues it
     * from there when an earlier invocation left that file (a job killed at its time limit); returns the file.
     */
    private static Path checkpoints(Trainer trainer, TrainConfig cfg, Path dir, SweepSpec.Point p, long seed, long every, PrintWriter log)
            throws IOException {
        Path file = dir.resolve("checkpoints").resolve("config" + p.index() + "-seed" + seed + ".npz");
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            Checkpoints.Loaded l = Checkpoints.read(file);
            if (!l.config().equals(cfg)) throw new UsageException(file + " is a checkpoint of another run: " + l.config());
            trainer.resume(l.state());
            synchronized (log) {
                log.println("bitsgd: run config " + p.index() + " seed " + seed + " continues from step " + l.state().step() + " (" + file + ")");
                log.flush();
            }
        }
        trainer.checkpoints(every, state -> {
            try {
                Checkpoints.write(file, cfg, trainer.model(), trainer.tracked(), state, every);
            } catch (IOException e) {
                if (AtomicFiles.stopping()) OnSignal.awaitHalt();   // a signal: the previous checkpoint stays, its line is the last word
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
        return file;
    }

    static Map<String, Object> record(SweepSpec spec, SweepSpec.Point p, int runIndex, long seed, RunResult res,
                                      List<CurvePoint> curve, double wall, double cpu, String host, Map<String, Object> slurm, int thread) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record_version", Records.VERSION);
        m.put("sweep", spec.name());
        m.put("config_index", p.index());
        m.put("run_index", runIndex);
        m.putAll(res.toMap());   // every setting (fixed or grid, and the seed), the outcome, timings, provenance: flat
        m.put("curve", Records.curve(curve, spec.fullCurves()));
        m.put("wall_seconds", wall);
        m.put("setup_seconds", wall - res.trainSeconds());
        m.put("cpu_seconds", cpu);
        m.put("host", host);
        m.putAll(slurm);
        m.put("thread", thread);
        m.put("finished_at", Instant.now().toString());
        return m;
    }

    static String host(Map<String, String> env) {
        try {
            Path h = Path.of("/etc/hostname");
            if (Files.isReadable(h)) {
                String s = Files.readString(h).strip();
                if (!s.isEmpty()) return s;
            }
        } catch (IOException ignored) {
            // fall through
        }
        String e = env.get("HOSTNAME");
        return e != null ? e : "unknown";
    }

    /** A one-line JSON summary of an outcome (for scripts). */
    public static String json(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", o.total());
        m.put("in_shard", o.inShard());
        m.put("skipped", o.skipped());
        m.put("ran", o.ran());
        m.put("failed", o.failed());
        m.put("threads", o.threads());
        m.put("wall_seconds", o.wallSeconds());
        m.put("runs_per_second", o.ran() == 0 ? null : o.runsPerSecond());
        m.put("steps", o.steps());
        m.put("step_seconds", o.stepSeconds());
        m.put("check_seconds", o.checkSeconds());
        m.put("setup_seconds", o.setupSeconds());
        m.put("jvm_start_seconds", o.jvmSeconds());
        m.put("cpu_seconds", o.cpuSeconds());
        return Json.line(m);
    }
}
