package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.plot.RunCharts;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd plot-run}: PNG charts of single run directories written by {@code train --probe-every N --out DIR}. */
public final class PlotRunCommand implements Callable<Integer> {

    public enum Kind { AUTO, RHO, GAP, CURVE, COEF }

    static final Opt<Path> RUN = Opt.path("--run", "Run directory (curve.csv, probes.csv).").label("DIR").required();
    static final Opt<Path> CONTROL = Opt.path("--control",
            "A second run drawn alongside: the random-label control (rho, gap) or a comparison run (curve).").label("DIR");
    static final Opt<Kind> KIND = Opt.choice("--kind", Kind.values(),
            "auto (rho when the run has probes.csv, else curve) | rho (accuracy, loss, rho_t; probes.csv) | gap (exact Fourier gap;"
                    + " probes.csv) | curve (accuracy or MSE; --control adds a second run) | coef (f̂ of --track-prefixes).")
            .defaultValue("auto");
    static final Opt<String> TITLE = Opt.string("--title", "Chart title (default: the run directory).").defaultValue("");
    static final Opt<String> SIZE = Opt.string("--size", "Image size in pixels.").label("WxH").defaultValue("1000x600");
    static final Opt<Path> OUT = Output.out("<run>-<kind>.png, e.g. parity-curve.png", "the --run directory");
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("plot-run").add(RUN, CONTROL, KIND, TITLE, SIZE, OUT, JSON);

    private final PrintWriter stdout;
    final Path run;
    final Path control;
    final Kind kind;
    final String title;
    final String size;
    final Path out;
    final boolean json;

    PlotRunCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        run = p.get(RUN);
        control = p.get(CONTROL);
        kind = p.get(KIND);
        title = p.get(TITLE);
        size = p.get(SIZE);
        out = p.get(OUT);
        json = p.get(JSON);
    }

    private List<Path> runs() {
        List<Path> runs = new ArrayList<>(List.of(run));
        if (control != null) runs.add(control);
        return runs;
    }

    @Override
    public Integer call() throws Exception {
        RunCharts.headless();
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w, h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            throw new UsageException("--size must be WIDTHxHEIGHT, e.g. 1000x600, got '" + size + "'");
        }
        if (w < 100 || h < 100 || w > 8000 || h > 8000) throw new UsageException("--size must be within 100..8000 per side, got " + size);
        String t = title.isEmpty() ? run.getFileName().toString() : title;
        // rho, the default, needs probes: a plain train --out run gets its training curves instead
        Kind drawn = kind != Kind.AUTO ? kind : Files.isRegularFile(run.resolve("probes.csv")) ? Kind.RHO : Kind.CURVE;
        var figure = switch (drawn) {
            case RHO -> RunCharts.rho(run, control, t, w, h);
            case GAP -> RunCharts.gap(runs(), t, w, h);
            case CURVE -> RunCharts.curves(runs(), t, w, h);
            case COEF -> RunCharts.coefficients(run, t, w, h);
            case AUTO -> throw new AssertionError("resolved above");
        };
        byte[] png = figure.png();
        Path file = Output.directory(out != null ? out : run).resolve(run.toAbsolutePath().normalize().getFileName() + "-"
                + drawn.name().toLowerCase(Locale.ROOT) + ".png");
        AtomicFiles.write(file, png);
        stdout.println("plot " + file + " (" + png.length + " bytes)");
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", drawn.name().toLowerCase(Locale.ROOT));
            m.put("file", file.toString());
            m.put("bytes", png.length);
            Output.json(stdout, m);
        }
        stdout.flush();
        return Main.OK;
    }
}
