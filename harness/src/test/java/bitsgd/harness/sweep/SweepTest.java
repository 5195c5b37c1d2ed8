package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.cli.Main;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.plot.SweepPlots;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SweepTest {

    /** 2 × 2 points × 3 seeds of tiny runs (tens of milliseconds each). */
    static final String TINY = """
            {"name": "tiny",
             "fixed": {"width": 16, "batch": 16, "lr": 1, "eval_every": 5, "eval_samples": 256},
             "grid": {"k": [2, 3], "n": [6, 8]},
             "seeds": 3,
             "budget": 3000}
            """;

    static SweepSpec tiny() {
        return SweepSpec.parse(TINY, null);
    }

    static TreeMap<Records.Key, Map<String, Object>> deterministic(Path dir) {
        TreeMap<Records.Key, Map<String, Object>> m = new TreeMap<>();
        Records.readAll(dir).forEach((k, v) -> m.put(k, Records.deterministicPart(v)));
        return m;
    }

    static SweepRunner.Outcome run(SweepSpec s, Path dir, int threads, Shards.Shard shard) throws IOException {
        var opt = new SweepRunner.Options(threads, shard, ProgressMode.NONE, Map.of());
        return SweepRunner.run(s, dir, opt, new PrintWriter(new StringWriter()));
    }

    @Test
    void aSweepMovesToTheVectorCodeOnlyWhenTheTwinWouldTakeLongerThanItsWarmUp() {
        int[] switched = {0};
        // 300 runs of 25 ms on 2 threads: ~3.6 s left on the twin after 6 runs > 3 s: switch, once
        SweepRunner.VectorSwitch many = new SweepRunner.VectorSwitch(300, 2, () -> switched[0]++);
        many.finished(0.4, true);   // the first run of each thread pays its JIT warm-up
        many.finished(0.4, true);
        for (int r = 0; r < 10; r++) many.finished(0.025, true);
        assertEquals(1, switched[0]);
        // 80 runs: ~0.9 s left: stay on the twin
        SweepRunner.VectorSwitch few = new SweepRunner.VectorSwitch(80, 2, () -> switched[0]++);
        few.finished(0.4, true);
        few.finished(0.4, true);
        for (int r = 0; r < 10; r++) few.finished(0.025, true);
        assertEquals(1, switched[0]);
        // runs already on the Vector API code (switched by another sweep in this process) decide nothing
        SweepRunner.VectorSwitch vector = new SweepRunner.VectorSwitch(1000, 2, () -> switched[0]++);
        for (int r = 0; r < 20; r++) vector.finished(0.025, false);
        assertEquals(1, switched[0]);
    }

    @Test
    void gridOrderAndIndexAreStable() {
        SweepSpec s = SweepSpec.parse("""
                {"name": "o", "fixed": {"width": 8}, "grid": [{"k": [2, 3], "n": [10, 20, 30]}, {"n": [40], "k": [5], "lr": [1, 0.5]}],
                 "seeds": {"from": 100, "count": 2}}""", null);
        List<String> labels = s.points().stream().map(SweepSpec.Point::label).toList();
        assertEquals(List.of("k=2 n=10", "k=2 n=20", "k=2 n=30", "k=3 n=10", "k=3 n=20", "k=3 n=30",
                "n=40 k=5 lr=1.0", "n=40 k=5 lr=0.5"), labels);
        for (int i = 0; i < labels.size(); i++) assertEquals(i, s.points().get(i).index());
        assertEquals(List.of(100L, 101L), s.seeds());
        assertEquals(16, s.runCount());
        assertEquals(8, s.points().get(7).config().width());
        assertEquals(0.5, s.points().get(7).config().lr());
        assertEquals(List.of("k", "n", "lr"), s.gridAxes());
        // the canonical form (spec.json) parses back to the same points
        SweepSpec back = SweepSpec.parse(s.toJson(), null);
        assertEquals(s.toJson(), back.toJson());
        assertEquals(s.points(), back.points());
        // seeds forms
        assertEquals(List.of(0L, 1L, 2L), SweepSpec.parseSeeds(3));
        assertEquals(List.of(7L, 3L), SweepSpec.parseSeeds(List.of(7, 3)));
        // budget, dashes, loss alias
        SweepSpec b = SweepSpec.parse("{\"grid\": {\"n\": [5]}, \"fixed\": {\"k\": 2, \"eval-every\": 1, \"loss\": \"cross_entropy\"},"
                + " \"seeds\": 1, \"budget\": 1e5}", "b");
        assertEquals(100_000, b.points().get(0).config().maxSteps());
        assertEquals(1, b.points().get(0).config().evalEvery());
        assertEquals("b", b.name());
    }

    static Stream<String> badSpecs() {
        return Stream.of(
                "{\"grid\": {\"colour\": [2]}, \"fixed\": {\"n\": 10, \"k\": 2}, \"seeds\": 2}",     // unknown axis
                "{\"grid\": {\"n\": [\"ten\"]}, \"fixed\": {\"k\": 2}, \"seeds\": 2}",                 // malformed value
                "{\"grid\": {\"n\": [10.5]}, \"fixed\": {\"k\": 2}, \"seeds\": 2}",
                "{\"grid\": {\"n\": [3, 10]}, \"fixed\": {\"k\": 5}, \"seeds\": 2}",                   // k > n
                "{\"grid\": {}, \"fixed\": {\"n\": 10, \"k\": 2}, \"seeds\": 2}",                      // empty grid
                "{\"grid\": [], \"fixed\": {\"n\": 10, \"k\": 2}, \"seeds\": 2}",
                "{\"fixed\": {\"n\": 10, \"k\": 2}, \"seeds\": 2}",
                "{\"grid\": {\"n\": []}, \"fixed\": {\"k\": 2}, \"seeds\": 2}",
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": 0}",                      // bad seeds
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": []}",
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": [1, 1]}",
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": \"many\"}",
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}}",
                "{\"grid\": {\"n\": [10], \"seed\": [1]}, \"fixed\": {\"k\": 2}, \"seeds\": 2}",
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2, \"init\": \"orthogonal\"}, \"seeds\": 2}", // unknown init
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": 2, \"threads\": 4}",       // unknown top-level key
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2, \"lr\": -1}, \"seeds\": 2}",
                "{\"grid\": {\"n\": [10], \"lr\": 0.1}, \"fixed\": {\"k\": 2}, \"seeds\": 2}",          // grid value not a list
                "{\"grid\": {\"n\": [10]}, \"seeds\": 2}",                                               // k never set
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": 2, \"budget\": 0}",
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": 2",                         // not JSON
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": 2} {\"seeds\": 3}",        // a second object after it
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2}, \"seeds\": 2} trailing words",
                // valid settings that no run accepts: refused when the points are set up, before anything is written
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2, \"inputs\": \"gaussian\"}, \"seeds\": 2}",     // MLP reads bits
                "{\"grid\": {\"n\": [10]}, \"fixed\": {\"k\": 2, \"layer_lr\": [0.1, 0.1, 0.1]}, \"seeds\": 2}", // MLP has 2 layers
                "{\"grid\": {\"n\": [20]}, \"fixed\": {\"k\": 2, \"track_prefixes\": 99}, \"seeds\": 2}",
                "");
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecIsOneLineExit2AndWritesNothing(String json, @TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("bad.json");
        Files.writeString(spec, json);
        Path out = tmp.resolve("out");
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "sweep", spec.toString(), "--out", out.toString(), "--progress", "none");
        assertEquals(Main.USAGE, code, e.toString());
        List<String> lines = e.toString().lines().toList();
        assertEquals(1, lines.size(), e.toString());
        assertTrue(lines.get(0).startsWith("bitsgd: "), lines.get(0));
        assertEquals("", o.toString());
        assertFalse(Files.exists(out), "nothing may be written for a bad spec");
    }

    @Test
    void badShardFlagsAndMissingSpecAreUsageErrors(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("t.json");
        Files.writeString(spec, TINY);
        for (String[] args : List.of(new String[] {"--shard-index", "3", "--shard-count", "3"},
                new String[] {"--shard-index", "0"}, new String[] {"--threads", "0"})) {
            List<String> a = new ArrayList<>(List.of("sweep", spec.toString(), "--out", tmp.resolve("o").toString()));
            a.addAll(List.of(args));
            StringWriter e = new StringWriter();
            assertEquals(Main.USAGE, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(e), a.toArray(String[]::new)), e.toString());
            assertEquals(1, e.toString().lines().count());
        }
        assertEquals(Main.USAGE, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "sweep", tmp.resolve("nope.json").toString()));
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void shardDefaultsComeFromSlurmArrayVariables() {
        assertEquals(new Shards.Shard(1, 3), Shards.resolve(null, null,
                Map.of("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "4", "SLURM_ARRAY_TASK_COUNT", "3")));
        assertEquals(new Shards.Shard(2, 5), Shards.resolve(2, 5, Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "3")));
        assertEquals(Shards.Shard.ALL, Shards.resolve(null, null, Map.of()));
        assertThrows(UsageException.class, () -> Shards.resolve(null, null, Map.of("SLURM_ARRAY_TASK_ID", "1")));
        String sb = Shards.sbatch(tiny(), Path.of("t.json"), Path.of("out/t"), 4, 1, "bin/bitsgd");
        assertTrue(sb.contains("#SBATCH --array=0-3"), sb);
        assertTrue(sb.contains(" sweep ") && sb.contains("$SLURM_ARRAY_TASK_ID"), sb);
    }

    @Test
    void threadCountDoesNotChangeRecordsAndRestartSkipsFinishedRuns(@TempDir Path tmp) throws IOException {
        SweepSpec s = tiny();
        var one = run(s, tmp.resolve("t1"), 1, Shards.Shard.ALL);
        var two = run(s, tmp.resolve("t2"), 2, Shards.Shard.ALL);
        assertEquals(12, one.ran());
        assertEquals(12, two.ran());
        assertEquals(0, one.failed());
        var d1 = deterministic(tmp.resolve("t1"));
        assertEquals(12, d1.size());
        assertEquals(d1, deterministic(tmp.resolve("t2")));
        var again = run(s, tmp.resolve("t1"), 2, Shards.Shard.ALL);
        assertEquals(0, again.ran());
        assertEquals(12, again.skipped());
        // records say what they are
        var r = Records.read(tmp.resolve("t1"), new Records.Key(3, 2)).orElseThrow();
        assertEquals("tiny", r.get("sweep"));
        assertEquals(List.of(3, 8), List.of(r.get("k"), r.get("n")));   // one flat record: every setting at the top
        assertTrue(r.containsKey("t_c") && r.containsKey("wall_seconds") && r.containsKey("host") && r.containsKey("jdk"));
        // a different spec in the same dir is refused
        SweepSpec other = SweepSpec.parse(TINY.replace("\"seeds\": 3", "\"seeds\": 4"), null);
        assertThrows(UsageException.class, () -> run(other, tmp.resolve("t1"), 1, Shards.Shard.ALL));
    }

    @Test
    void subsetThenWholeEqualsUninterrupted(@TempDir Path tmp) throws IOException {
        SweepSpec s = tiny();
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        run(s, a, 2, Shards.Shard.ALL);
        // "interrupted": a subset of the runs finished, plus debris a kill can leave behind
        var part = run(s, b, 1, new Shards.Shard(1, 3));
        assertEquals(4, part.ran());
        Path debris = Records.runsDir(b).resolve(".0-0.json.99999999.abc.tmp");   // written by a pid above any pid_max: gone
        Files.writeString(debris, "{\"record_version\":2,\"config_ind");
        Files.writeString(Records.runsDir(b).resolve("0-0.json"), "{\"record_version\":2,\"config_index\":0,\"seed\":0,\"sol");
        Map<Records.Key, Object> before = new TreeMap<>();
        Records.readAll(b).forEach((k, v) -> before.put(k, v.get("finished_at")));
        assertEquals(4, before.size(), "a truncated file is not a record");
        var rest = run(s, b, 2, Shards.Shard.ALL);
        assertEquals(8, rest.ran());
        assertEquals(4, rest.skipped());
        assertEquals(deterministic(a), deterministic(b));
        Records.readAll(b).forEach((k, v) -> {
            if (before.containsKey(k)) assertEquals(before.get(k), v.get("finished_at"), "finished run recomputed: " + k);
        });
        assertFalse(Files.exists(debris), "the dead writer's temp file is tidied on resume");
    }

    @Test
    void killMinus9ThenRestartEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        // 24 runs of a slower config so the child is still busy when killed
        String json = TINY.replace("\"seeds\": 3", "\"seeds\": 6").replace("\"budget\": 3000", "\"budget\": 20000")
                .replace("\"lr\": 1", "\"lr\": 0.05");
        Path specFile = tmp.resolve("k.json");
        Files.writeString(specFile, json);
        SweepSpec s = SweepSpec.parse(json, "k");
        Path killed = tmp.resolve("killed"), whole = tmp.resolve("whole");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "sweep", specFile.toString(), "--out", killed.toString(), "--threads", "2", "--progress", "none")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (System.nanoTime() < deadline && p.isAlive()) {
            seen = Records.readAll(killed).size();
            if (seen >= 3) break;
            Thread.sleep(20);
        }
        boolean wasAlive = p.isAlive();
        p.destroyForcibly(); // SIGKILL on Unix
        p.waitFor(10, TimeUnit.SECONDS);
        var survivors = Records.readAll(killed);
        Map<Records.Key, Object> finishedAt = new TreeMap<>();
        survivors.forEach((k, v) -> finishedAt.put(k, v.get("finished_at")));
        var resumed = run(s, killed, 2, Shards.Shard.ALL);
        assertEquals(survivors.size(), resumed.skipped());
        assertEquals(s.runCount(), resumed.skipped() + resumed.ran());
        run(s, whole, 2, Shards.Shard.ALL);
        assertEquals(deterministic(whole), deterministic(killed));
        Records.readAll(killed).forEach((k, v) -> {
            if (finishedAt.containsKey(k)) assertEquals(finishedAt.get(k), v.get("finished_at"), "finished run recomputed: " + k);
        });
        System.out.printf("kill -9 test: child %s when killed, %d of %d records survived%n",
                wasAlive ? "running" : "already finished", survivors.size(), s.runCount());
    }

    @Test
    void shardUnionEqualsUnshardedAndMergeReportsMissingAndDuplicates(@TempDir Path tmp) throws IOException {
        SweepSpec s = tiny();
        run(s, tmp.resolve("all"), 2, Shards.Shard.ALL);
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path d = tmp.resolve("shards").resolve("" + i);
            var o = run(s, d, 1, new Shards.Shard(i, 3));
            assertEquals(4, o.inShard());
            shards.add(d);
        }
        var rep = Merge.merge(tmp.resolve("merged"), shards);
        assertTrue(rep.complete());
        assertEquals(12, rep.present());
        assertTrue(rep.duplicates().isEmpty());
        assertEquals(deterministic(tmp.resolve("all")), deterministic(tmp.resolve("merged")));
        // missing: only two shards
        var partial = Merge.merge(tmp.resolve("partial"), shards.subList(0, 2));
        assertEquals(4, partial.missing().size());
        assertFalse(partial.complete());
        // duplicates: a shard given twice (and the full run)
        var dup = Merge.merge(tmp.resolve("dup"), List.of(shards.get(0), tmp.resolve("all")));
        assertEquals(4, dup.duplicates().size());
        assertTrue(dup.conflicts().isEmpty());
        assertTrue(dup.complete());
        // CLI exit codes: 1 for missing, 0 when complete
        StringWriter o = new StringWriter();
        assertEquals(Main.FAILURE, Main.run(new PrintWriter(o), new PrintWriter(new StringWriter()), "merge", "--out",
                tmp.resolve("cli").toString(), shards.get(0).toString()));
        assertTrue(o.toString().contains("8 missing"), o.toString());
        assertEquals(Main.OK, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "merge", "--out",
                tmp.resolve("cli").toString(), shards.get(1).toString(), shards.get(2).toString()));
        // summary and plots of the merged dir
        assertEquals(Main.OK, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "summarize",
                tmp.resolve("merged").toString()));
        assertEquals("config_index,k,n,seeds,runs,solved,success_fraction,t_c_median,t_c_q1,t_c_q3,t_c_median_solved,steps_per_second_median,"
                + "wall_seconds_median,sweep,width,batch,lr,eval_every,eval_samples,max_steps",
                Files.readAllLines(tmp.resolve("merged/summary.csv")).getFirst());
        List<Path> pngs = SweepPlots.plot(tmp.resolve("merged"), tmp.resolve("merged/plots"), null, null, null);
        assertEquals(5, pngs.size());
        for (Path png : pngs) assertTrue(Files.size(png) > 1000, png.toString());
    }

    @Test
    void summaryNumbersOnHandMadeRecords(@TempDir Path tmp) throws IOException {
        SweepSpec s = SweepSpec.parse("{\"name\": \"h\", \"fixed\": {\"k\": 2}, \"grid\": {\"n\": [10, 20]}, \"seeds\": 5}", null);
        Path dir = tmp.resolve("h");
        SweepRunner.prepare(s, dir);
        Long[][] tcs = {{30L, 10L, null, 20L, 40L}, {null, 100L, null, null, 7L}};
        for (int c = 0; c < 2; c++) {
            for (int seed = 0; seed < 5; seed++) {
                if (c == 1 && seed == 4) continue; // a run not done yet
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("record_version", Records.VERSION);
                r.put("config_index", c);
                r.put("seed", seed);
                r.put("solved", tcs[c][seed] != null);
                r.put("t_c", tcs[c][seed]);
                r.put("steps_per_second", 1000.0 * (seed + 1));
                Records.write(dir, new Records.Key(c, seed), r);
            }
        }
        var rows = Summary.of(dir);
        var a = rows.get(0);
        assertEquals(5, a.runs());
        assertEquals(4, a.solved());
        assertEquals(0.8, a.successFraction(), 1e-12);
        assertEquals(30.0, a.tcMedian());          // 10 20 30 40 inf
        assertEquals(20.0, a.tcQ1());
        assertEquals(40.0, a.tcQ3());
        assertEquals(25.0, a.tcMedianSolved());
        assertEquals(3000.0, a.stepsPerSecondMedian());
        var b = rows.get(1);                         // 100 inf inf inf (seed 4 missing)
        assertEquals(4, b.runs());
        assertEquals(0.25, b.successFraction(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, b.tcMedian());
        assertEquals(Double.POSITIVE_INFINITY, b.tcQ1()); // h = 0.75 between inf and inf
        assertEquals(100.0, b.tcMedianSolved());
        String csv = Summary.csv(s, rows);
        assertTrue(csv.contains("\n0,10,5,5,4,0.8,30,20,40,25,3000,,h,2\n"), csv);
        assertTrue(csv.contains("\n1,20,5,4,1,0.25,inf,inf,inf,100,2500,,h,2\n"), csv);
        assertEquals(2.5, Summary.quantile(List.of(1.0, 2.0, 3.0, 4.0), 0.5));
        assertEquals(1.75, Summary.quantile(List.of(1.0, 2.0, 3.0, 4.0), 0.25));
        assertEquals(2.0, SweepPlots.slope(List.of(10.0, 20.0, 40.0), List.of(100.0, 400.0, 1600.0)), 1e-12);
        assertEquals("{\"a\":null}", Json.line(java.util.Collections.singletonMap("a", null)));
    }
    /** "full_curves": true keeps every check of every run in its record; by default a long curve is thinned. */
    @Test
    void fullCurvesKeepEveryCheck(@TempDir Path tmp) throws IOException {
        String spec = """
                {"name": "curves", "fixed": {"n": 8, "k": 2, "width": 8, "eval_every": 5, "eval_samples": 64, "stop_on_solve": false},
                 "grid": {"lr": [0.1]}, "seeds": 1, "budget": 1000%s}""";
        run(SweepSpec.parse(spec.formatted(""), null), tmp.resolve("thin"), 1, Shards.Shard.ALL);
        SweepSpec full = SweepSpec.parse(spec.formatted(", \"full_curves\": true"), null);
        assertTrue(full.fullCurves());
        assertEquals(true, full.toMap().get("full_curves"));
        run(full, tmp.resolve("full"), 1, Shards.Shard.ALL);
        List<?> thin = (List<?>) ((Map<?, ?>) Records.readAll(tmp.resolve("thin")).values().iterator().next().get("curve")).get("step");
        List<?> all = (List<?>) ((Map<?, ?>) Records.readAll(tmp.resolve("full")).values().iterator().next().get("curve")).get("step");
        assertEquals(200, all.size(), "a check every 5 of 1000 steps");
        assertTrue(thin.size() < 80, thin.toString());
        assertThrows(UsageException.class, () -> SweepSpec.parse(spec.formatted(", \"full_curves\": \"yes\""), null));
    }
}
