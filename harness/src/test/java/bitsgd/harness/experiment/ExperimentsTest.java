package bitsgd.harness.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.cli.Main;
import bitsgd.harness.io.Csv;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.plot.SweepPlotsAccess;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import bitsgd.harness.train.CurvePoint;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentsTest {

    @Test
    void presetsFollowTheIssue() {
        var f1 = Experiments.get("finding1").spec(Experiment.Variant.FULL);
        assertEquals(List.of("n", "k", "lr"), f1.gridAxes());
        assertEquals(List.of(0.01, 0.1, 1.0), f1.points().subList(0, 3).stream().map(p -> p.config().lr()).toList());
        assertEquals(32, f1.points().getFirst().config().batch());
        assertEquals(25, f1.seeds().size());
        // old names are aliases of the renamed presets, with the same spec
        assertSame(Experiments.get("scaling-relu100"), Experiments.get("relu100-scaling"));
        assertSame(Experiments.get("width"), Experiments.get("width-40-3"));
        var w = Experiments.get("width").spec(Experiment.Variant.FULL);
        int widest = w.points().stream().mapToInt(p -> p.config().width()).max().orElseThrow();
        assertTrue(widest >= 10_000, "widths up to at least 1e4");
        assertEquals(1, w.points().getFirst().config().width());
        var noisy = Experiments.get("noisy").spec(Experiment.Variant.FULL);
        assertEquals(0.45, noisy.points().getLast().config().setup().labelNoise());
        assertEquals(List.of(50, 3), List.of(noisy.points().getFirst().config().n(), noisy.points().getFirst().config().k()));
        var grok = Experiments.get("grokking").spec(Experiment.Variant.FULL).points().getFirst().config();
        assertEquals(List.of(40, 3, 1000, 1000, 32), List.of(grok.n(), grok.k(), grok.setup().trainSize(), grok.width(), grok.batch()));
        assertEquals(List.of(0.1, 0.01), List.of(grok.lr(), grok.wd()));
        assertFalse(grok.stopOnSolve());
        var leap = Experiments.get("leap").spec(Experiment.Variant.FULL);
        assertEquals(List.of(1, 2, 3), List.of(Leap.leapOf(Leap.LEAP1, 25), Leap.leapOf(Leap.LEAP2, 25), Leap.leapOf(Leap.LEAP3, 25)));
        var l0 = leap.points().getFirst().config();
        assertEquals(List.of(128, 16, 0.05, 0.05), List.of(l0.width(), l0.batch(), l0.lr(), l0.setup().targetMse()));
        assertTrue(leap.seeds().size() >= 3);
        assertEquals(List.of(25, 50, 100, 200, 400), leap.points().subList(0, 5).stream().map(p -> p.config().n()).toList());
    }

    @Test
    void sweepExperimentsMatchThePaperGrids() {
        var f1 = Experiments.get("finding1").spec(Experiment.Variant.FULL);
        assertEquals(27 * 25, f1.runCount());
        assertEquals(100_000, f1.points().get(0).config().maxSteps());
        assertEquals(1000, f1.points().get(0).config().width());
        var r100 = Experiments.get("relu100-scaling").spec(Experiment.Variant.FULL);
        assertEquals(28 * 25, r100.runCount());
        var c = r100.points().get(27).config();
        assertEquals(List.of(5, 40, 100, 64, 1.0, 1L, 8192), List.of(c.k(), c.n(), c.width(), c.batch(), c.lr(), c.evalEvery(), c.evalSamples()));
        var w = Experiments.get("width-40-3").spec(Experiment.Variant.FULL);
        assertEquals(0.55, w.points().get(0).config().targetAccuracy());
        assertEquals(1.0, w.points().get(2).config().targetAccuracy());
        assertEquals(3, w.points().get(2).config().width());
        for (var e : Experiments.ALL) {
            if (e.spec(Experiment.Variant.QUICK) == null) continue;   // scripts of single runs
            assertTrue(e.spec(Experiment.Variant.QUICK).runCount() <= 30, e.name());
            assertTrue(e.spec(Experiment.Variant.QUICK).name().endsWith("-quick"));
        }
        assertThrows(UsageException.class, () -> Experiments.get("nope"));
        StringWriter o = new StringWriter();
        assertEquals(Main.OK, Main.run(new PrintWriter(o), new PrintWriter(new StringWriter()), "reproduce", "relu100-scaling",
                "--quick", "--seeds", "2", "--print-spec"));
        assertEquals(12, SweepSpec.parse(o.toString(), null).runCount());
    }

    @Test
    void everyExperimentPassesTheSetUpCheckAndHasItsReferences() {
        // the set-up check must not refuse what reproduce runs (full and quick variants)
        for (var e : Experiments.ALL) {
            for (var v : List.of(Experiment.Variant.FULL, Experiment.Variant.QUICK)) {
                e.prepare(v);
                Reference r = Reference.load(v.referenceName(e.name()));
                assertNotNull(r, "no stored reference for " + v.referenceName(e.name()));
                assertEquals(v.referenceName(e.name()), r.variant());
                assertTrue(r.command().startsWith("bin/bitsgd reproduce " + e.name()), r.command());
                assertFalse(r.values().isEmpty());
            }
        }
    }

    @Test
    void localAndFittedSlopes() {
        assertEquals(2.0, Leap.localSlope(10, 100, 20, 400), 1e-12);
        assertTrue(Double.isNaN(Leap.localSlope(10, 100, 20, Double.POSITIVE_INFINITY)));
        assertTrue(Double.isNaN(Leap.localSlope(10, 100, 10, 400)));
        assertEquals(4.0, Noisy.noiseFactor(0.25), 1e-12);
    }

    /** Records with the given t_c per (config, seed); null = unsolved. */
    static Path handMade(Path dir, SweepSpec s, Long[][] tcs, List<Map<String, Object>> curves) throws IOException {
        SweepRunner.prepare(s, dir);
        for (int c = 0; c < tcs.length; c++) {
            for (int seed = 0; seed < tcs[c].length; seed++) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("record_version", Records.VERSION);
                r.put("config_index", c);
                r.put("seed", seed);
                r.put("solved", tcs[c][seed] != null);
                r.put("t_c", tcs[c][seed]);
                r.put("final_eval_accuracy", 1.0);
                if (curves != null) r.put("curve", curves.get(c * tcs[c].length + seed));
                Records.write(dir, new Records.Key(c, seed), r);
            }
        }
        return dir;
    }

    @Test
    void leapRowsOnHandMadeRecords(@TempDir Path tmp) throws IOException {
        SweepSpec s = SweepSpec.parse("""
                {"name": "l", "fixed": {"k": 3, "batch": 16, "loss": "square"},
                 "grid": {"target": ["%s", "%s"], "n": [25, 50, 100]}, "seeds": 3}""".formatted(Leap.LEAP1, Leap.LEAP3), null);
        // Leap 1: t_c = d (slope 1); Leap 3: t_c = d²/25 (slope 2) but the last d unsolved in 2 of 3 seeds
        Long[][] tcs = {{25L, 25L, 26L}, {50L, 50L, 50L}, {100L, 99L, 100L},
                {25L, 25L, 25L}, {100L, 100L, 100L}, {null, 400L, null}};
        var rows = Leap.rows(s, Records.readAll(handMade(tmp.resolve("l"), s, tcs, null)));
        assertEquals(6, rows.size());
        var a = rows.get(1);
        assertEquals(1, a.leap());
        assertEquals(50 * 16.0, a.samplesMedian());
        assertEquals(1.0, a.localSlope(), 1e-12);
        assertEquals(1.0, rows.get(0).fittedSlope(), 0.02);
        assertTrue(Double.isNaN(rows.get(0).localSlope()));
        var b = rows.get(4);
        assertEquals(3, b.leap());
        assertEquals(2, b.predictedExponent());
        assertEquals(2.0, b.localSlope(), 1e-12);
        assertEquals(2.0, b.fittedSlope(), 1e-12);      // over d = 25, 50 only: the median at 100 is ∞
        assertEquals(Double.POSITIVE_INFINITY, rows.get(5).samplesMedian());
        assertEquals(1, rows.get(5).solved());
        String csv = Leap.csv(rows);
        assertTrue(csv.startsWith("target,leap,d,runs,solved,samples_median"), csv);
        assertTrue(csv.contains("monomials:x1+x1*x2*x3*x4,3,50,3,3,1600,1600,1600,2.000,2.000,2\n"), csv);
        assertTrue(csv.contains(",100,3,1,inf,"), csv);
        Files.createDirectories(tmp.resolve("l/plots"));
        var records = Records.readAll(tmp.resolve("l"));
        var tables = new Leap().tables(s, records, Summary.of(s, records), tmp.resolve("l"));
        assertEquals(csv, tables.csvs().get(Leap.CSV));
        assertTrue(Files.size(tables.pngs().getFirst()) > 1000);
    }

    @Test
    void noisyAndGrokkingRows(@TempDir Path tmp) throws IOException {
        SweepSpec s = SweepSpec.parse("{\"name\": \"z\", \"fixed\": {\"n\": 20, \"k\": 3}, \"grid\": {\"label_noise\": [0, 0.25]}, \"seeds\": 2}", null);
        var rows = Noisy.rows(s, Records.readAll(handMade(tmp.resolve("z"), s, new Long[][] {{100L, 200L}, {400L, null}}, null)));
        assertEquals(150.0, rows.get(0).tcMedian());
        assertEquals(Double.POSITIVE_INFINITY, rows.get(1).tcMedian());
        assertEquals(4.0, rows.get(1).factor());
        assertEquals(1, rows.get(1).solved());
        // grokking: train accuracy reaches 1 at step 30 (seed 0) and 50 (seed 1); test solved at 200 and never
        SweepSpec g = SweepSpec.parse("{\"name\": \"g\", \"fixed\": {\"n\": 20, \"k\": 3, \"train_size\": 100}, \"grid\": {\"wd\": [0.01]}, \"seeds\": 2}", null);
        List<Map<String, Object>> curves = new ArrayList<>();
        for (long fitAt : new long[] {30, 50}) {
            List<CurvePoint> pts = new ArrayList<>();
            for (long t = 10; t <= 300; t += 10) pts.add(new CurvePoint(t, 0.5, 0.5, 256, false, t >= fitAt ? 1.0 : 0.9, Double.NaN, null));
            curves.add(Records.thinCurve(pts));
        }
        var gr = Grokking.rows(g, Records.readAll(handMade(tmp.resolve("g"), g, new Long[][] {{200L, null}}, curves)));
        assertEquals(2, gr.getFirst().trainFit());
        assertEquals(40.0, gr.getFirst().tTrainMedian());
        assertEquals(1, gr.getFirst().testSolved());
        assertEquals(170.0, gr.getFirst().gapMedian());
        assertTrue(Grokking.csv(g, gr).contains("\n0,0.01,2,2,40,1,inf,170,"));
    }

    @Test
    void thinCurveCarriesTheNewColumnsAndOldRecordsStayReadable() {
        List<CurvePoint> pts = List.of(new CurvePoint(1, 1.0, Double.NaN, 100, true, Double.NaN, 0.5, new double[] {0.1, 0.2}),
                new CurvePoint(2, 0.5, Double.NaN, 100, true, Double.NaN, 0.25, new double[] {0.3, Double.NaN}));
        Map<String, Object> c = Records.thinCurve(pts);
        assertEquals(List.of(0.5, 0.25), c.get("eval_mse"));
        assertEquals(List.of(List.of(0.1, 0.2), java.util.Arrays.asList(0.3, null)), c.get("coefficients"));
        assertFalse(c.containsKey("train_accuracy"));
        // a ±1 online curve keeps the old three columns only
        Map<String, Object> old = Records.thinCurve(List.of(new CurvePoint(1, 1.0, 0.5, 256, false)));
        assertEquals(List.of("step", "loss", "eval_accuracy"), List.copyOf(old.keySet()));
        Map<String, Object> rec = new TreeMap<>(Map.of("solved", false, "steps", 1L, "curve", old));
        assertNull(SweepPlotsAccess.valueAt(rec, "train_accuracy", 1));
        assertEquals(0.5, SweepPlotsAccess.valueAt(rec, "eval_accuracy", 1));
    }

    @Test
    void quickPresetPassesItsCheckAndABrokenOutputFails(@TempDir Path tmp) throws IOException {
        StringWriter o = new StringWriter(), e = new StringWriter();
        Path dir = tmp.resolve("noisy");
        assertEquals(Main.OK, Main.run(new PrintWriter(o), new PrintWriter(e), "reproduce", "noisy", "--quick", "--check", "--threads", "2",
                "--progress", "none", "--out", dir.toString()), o + "\n" + e);
        assertTrue(o.toString().contains("check noisy-quick: OK"), o.toString());
        assertTrue(Files.readString(dir.resolve("noisy.csv")).lines().count() == 4);
        var p = Experiments.get("noisy");
        var q = Experiment.Variant.QUICK;
        assertEquals(List.of(), p.problems(q, dir));
        Files.delete(dir.resolve("plots/noisy-t_c-vs-noise.png"));
        Files.writeString(dir.resolve("plots/curves-loss.png"), "");
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("summary.csv")));
        lines.removeLast();
        Files.write(dir.resolve("summary.csv"), lines);
        List<String> problems = p.problems(q, dir);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(x -> x.contains("noisy-t_c-vs-noise.png missing")), problems.toString());
        assertTrue(problems.stream().anyMatch(x -> x.contains("summary.csv: 2 rows, expected 3")), problems.toString());
        assertTrue(SweepPlots.curveFileName("eval_mse", "target", Leap.LEAP2).equals("curves-eval_mse-target=x1+x1x2x3.png"));
    }

    /** A scripted preset (train and plot-run command lines) passes its check, which looks for the PNGs where plot-run puts them. */
    @Test
    void scriptedQuickPresetPassesItsCheck(@TempDir Path tmp) throws IOException {
        StringWriter o = new StringWriter(), e = new StringWriter();
        Path dir = tmp.resolve("staircase");
        assertEquals(Main.OK, Main.run(new PrintWriter(o), new PrintWriter(e), "reproduce", "staircase", "--quick", "--check",
                "--progress", "none", "--out", dir.toString()), o + "\n" + e);
        assertTrue(o.toString().contains("check staircase-quick: OK"), o.toString());
        assertTrue(Files.size(dir.resolve("plots/staircase-seed0-curve.png")) > 1000);
        Files.delete(dir.resolve("plots/chi-seed0-coef.png"));
        List<String> problems = Experiments.get("staircase").problems(Experiment.Variant.QUICK, dir);
        assertEquals(List.of("plots/chi-seed0-coef.png missing"), problems);
    }

    /** A grid value with a comma (a user's sweep over tasks) stays one cell in summary.csv, the summarize table and the check's reader. */
    @Test
    void aTaskValueWithACommaKeepsEveryColumnInItsPlace(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("comma.json"), dir = tmp.resolve("comma");
        Files.writeString(spec, """
                {"name": "comma", "fixed": {"n": 6, "k": 2, "width": 8, "batch": 16, "lr": 0.5, "loss": "square", "eval_every": 50,
                 "eval_samples": 256}, "grid": {"target": ["parity", "double-staircase:2,3"]}, "seeds": 2, "budget": 100}""");
        StringWriter o = new StringWriter(), e = new StringWriter();
        assertEquals(Main.OK, Main.run(new PrintWriter(o), new PrintWriter(e), "sweep", spec.toString(), "--out", dir.toString(),
                "--progress", "none"), e.toString());
        o.getBuffer().setLength(0);
        assertEquals(Main.OK, Main.run(new PrintWriter(o), new PrintWriter(e), "summarize", dir.toString()), e.toString());
        // the table: the task in one column, the runs (2 of 2 seeds) right after it
        String line = o.toString().lines().filter(l -> l.contains("double-staircase")).findFirst().orElseThrow();
        assertTrue(line.matches("\\s*1\\s+double-staircase:2,3\\s+2\\s+2\\s+0\\s+0\\s+inf\\s+inf\\s+inf\\s+.*"), o.toString());
        // the file, read by the check's reader: every row as wide as the header, every config with its 2 runs
        List<String> problems = new ArrayList<>();
        List<String> columns = new ArrayList<>(List.of("config_index", "target"));
        columns.addAll(Summary.STATISTICS);
        List<List<String>> rows = Shapes.csv(dir.resolve("summary.csv"), columns, 2, problems);
        assertEquals(List.of(), problems);
        assertEquals(List.of("1", "double-staircase:2,3", "2", "2", "0"), rows.get(1).subList(0, 5));
        // after the statistics: the sweep's name and its fixed settings, the same on every row
        Csv.Table t = Csv.read(dir.resolve("summary.csv"));
        List<String> settings = List.of("sweep", "n", "k", "width", "batch", "lr", "loss", "eval_every", "eval_samples", "max_steps");
        assertEquals(settings, t.header().subList(2 + Summary.STATISTICS.size(), t.header().size()));
        for (List<String> r : t.rows()) {
            assertEquals(List.of("comma", "6", "2", "8", "16", "0.5", "square", "50", "256", "100"), r.subList(2 + Summary.STATISTICS.size(), r.size()));
        }
    }
}
