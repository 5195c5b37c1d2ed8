package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.Json;
import bitsgd.harness.sweep.SweepSpec;
import bitsgd.harness.train.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One name per setting: the CLI option, the spec key, the --config key and the record key agree, with one default. */
class VocabularyTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String lastLine(String s) {
        String[] lines = s.strip().split("\\R");
        return lines[lines.length - 1];
    }

    @Test
    void everyCommandThatTakesAProblemHasEveryProblemOptionWithTheSameDefault() {
        for (Options o : List.of(TrainCommand.OPTIONS, TraceCommand.OPTIONS, PopGradCommand.OPTIONS)) {
            for (Setting s : Setting.values()) {
                Opt<?> opt = ProblemOptions.of(s);
                assertTrue(o.options.contains(opt), o.command + " lacks " + s.option());
                assertEquals(s.kind == Setting.Kind.BOOL || s.defaultText == null ? opt.defaultValue : s.defaultText, opt.defaultValue,
                        s.option());
            }
        }
        // help shows train's defaults everywhere: trace used to default to width 32 and wd 0.01
        for (String cmd : List.of("train", "trace", "popgrad")) {
            String help = run(cmd, "--help").out();
            assertTrue(help.contains("(default: 100)"), cmd + " help:\n" + help);
            assertFalse(help.contains("WARN"), help);
        }
    }

    @Test
    void aSpecTakesEveryProblemOptionNameWithoutDashes() {
        Map<String, Object> fixed = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            if (!s.isAxis()) continue;
            Object v = switch (s) {
                case N -> 20;
                case K -> 3;
                case ARCH -> "mlp";
                case ACTIVATION -> "relu";
                case SECRET, LAYER_LR -> null;
                default -> s.defaultText == null ? null : Setting.valueOf(s.name()).canonical(
                        switch (s.kind) {
                            case INT, LONG -> Long.parseLong(s.defaultText);
                            case DOUBLE -> Double.parseDouble(s.defaultText);
                            case BOOL -> Boolean.parseBoolean(s.defaultText);
                            default -> s.defaultText;
                        });
            };
            if (v != null) fixed.put(s.option().substring(2), v);   // kebab, exactly the option's name
        }
        fixed.remove("n");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "every");
        spec.put("fixed", fixed);
        spec.put("grid", Map.of("n", List.of(20, 21)));
        spec.put("seeds", 1);
        SweepSpec s = SweepSpec.parse(Json.line(spec), null);
        assertEquals(2, s.points().size());
        // and snake_case, as records write them
        SweepSpec snake = SweepSpec.parse("{\"fixed\": {\"k\": 3, \"max_steps\": 50, \"eval_every\": 10, \"target\": \"parity\"},"
                + " \"grid\": {\"n\": [10]}, \"seeds\": 1}", "snake");
        assertEquals(50, snake.points().get(0).config().maxSteps());
    }

    @Test
    void aRecordCarriesEverySettingByItsKey() {
        Run r = run("train", "--n", "12", "--k", "2", "--max-steps", "300", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = Json.parse(lastLine(r.out()));
        List<String> keys = new ArrayList<>(j.keySet());
        for (Setting s : Setting.values()) assertTrue(keys.contains(s.key()), "record lacks " + s.key() + ": " + keys);
        assertEquals(300, ((Number) j.get("max_steps")).intValue());
    }

    @Test
    void configFileHoldsSettingsAndTheCommandLineWins(@TempDir Path tmp) throws IOException {
        Path cfg = tmp.resolve("run.json");
        Files.writeString(cfg, "{\"n\": 12, \"k\": 2, \"max-steps\": 40, \"eval_every\": 20, \"stop_on_solve\": false, \"lr\": 0.05}");
        Run r = run("train", "--config", cfg.toString(), "--max-steps", "60", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = Json.parse(lastLine(r.out()));
        assertEquals(60, ((Number) j.get("steps")).intValue(), "the command line wins over the file");
        assertEquals(0.05, ((Number) j.get("lr")).doubleValue());
        assertEquals(12, ((Number) j.get("n")).intValue());
        // the record of a run is a config file for the same run: keys that are not settings are refused, one line
        Files.writeString(cfg, "{\"n\": 12, \"k\": 2, \"speed\": 3}");
        Run bad = run("train", "--config", cfg.toString());
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().split("\\R").length, bad.err());
        assertTrue(bad.err().contains("speed"), bad.err());
        Run missing = run("train", "--config", tmp.resolve("nope.json").toString());
        assertEquals(2, missing.code());
        assertNotNull(missing.err());
    }

    @Test
    void commandsRefuseSettingsTheyDoNotUseInsteadOfIgnoringThem() {
        Run p = run("popgrad", "--n", "9", "--k", "2", "--eval-samples", "100");
        assertEquals(2, p.code());
        assertTrue(p.err().contains("popgrad does not use --eval-samples"), p.err());
        Run t = run("trace", "--n", "9", "--k", "2", "--arch", "resnet", "--out", "/tmp/never-written-trace");
        assertEquals(2, t.code());
        assertTrue(t.err().contains("parity ReLU MLP only"), t.err());
        Run m = run("popgrad", "--n", "9", "--target", "majority", "--k", "3");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("leave --k out"), m.err());
        Run s = run("train", "--n", "9", "--target", "staircase:3", "--k", "3", "--loss", "square");
        assertEquals(2, s.code());
        assertTrue(s.err().contains("leave --k out"), s.err());
    }
    /** One output rule: every command takes --json (one object, last stdout line); files go into --out DIR, never a file name. */
    @Test
    void everyCommandTakesJsonAndWritesItsFilesIntoOutDir() {
        for (Main.Subcommand c : Main.Subcommand.values()) {
            Options o = c.options();
            assertTrue(o.options.contains(Output.JSON), c.command + " lacks --json");
            for (Opt<?> opt : o.options) {
                if (opt.name.equals("--out")) assertEquals("DIR", opt.label, c.command);
                assertFalse(List.of("--into", "--csv", "--file").contains(opt.name), c.command + " has " + opt.name);
            }
        }
    }

    @Test
    void mergeSummarizeTraceAndValidateFollowTheOutputRule(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("s.json"), sweep = tmp.resolve("sweep"), merged = tmp.resolve("merged"), table = tmp.resolve("table");
        Files.writeString(spec, """
                {"name": "s", "fixed": {"n": 6, "k": 2, "width": 8, "eval_every": 50, "eval_samples": 256},
                 "grid": {"lr": [0.5, 0.25]}, "seeds": 1, "budget": 100}""");
        assertEquals(0, run("sweep", spec.toString(), "--out", sweep.toString(), "--progress", "none").code());

        Run m = run("merge", "--out", merged.toString(), sweep.toString(), "--json");
        assertEquals(0, m.code(), m.toString());
        Map<String, Object> mj = Json.parse(lastLine(m.out()));
        assertEquals(2, ((Number) mj.get("present")).intValue());
        assertEquals(true, mj.get("ok"));

        Run s = run("summarize", merged.toString(), "--out", table.toString(), "--json");
        assertEquals(0, s.code(), s.toString());
        assertTrue(Files.isRegularFile(table.resolve("summary.csv")));
        assertFalse(Files.exists(merged.resolve("summary.csv")), "--out moves summary.csv out of the sweep dir");
        Map<String, Object> sj = Json.parse(lastLine(s.out()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) sj.get("rows");
        assertEquals(2, rows.size());
        assertEquals(0.5, ((Number) rows.getFirst().get("lr")).doubleValue());
        assertEquals("s", rows.getFirst().get("sweep"));
        assertEquals(1, ((Number) rows.getFirst().get("runs")).intValue());

        Run t = run("trace", "--n", "8", "--k", "2", "--width", "4", "--steps", "5", "--out", tmp.resolve("trace").toString(), "--json");
        assertEquals(0, t.code(), t.toString());
        assertTrue(t.out().startsWith("trace 5 steps"), t.out());
        assertEquals(5, ((Number) Json.parse(lastLine(t.out())).get("steps")).intValue());

        Files.writeString(tmp.resolve("a-file"), "x");
        Run v = run("validate", "--cases", "3", "--out", tmp.resolve("a-file").toString());
        assertEquals(2, v.code(), v.toString());
        assertTrue(v.err().contains("is not a directory"), v.err());
        Run w = run("validate", "--cases", "3", "--out", tmp.resolve("v").toString());
        assertEquals(0, w.code(), w.toString());
        assertEquals(true, Json.parse(Files.readString(tmp.resolve("v/validate.json"))).get("pass"));
    }
}
