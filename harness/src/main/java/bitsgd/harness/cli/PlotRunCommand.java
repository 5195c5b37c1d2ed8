package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.plot.RunCharts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bitsgd plot-run}: PNG charts of single run directories written by {@code train --probe-every N --out DIR}. */
@Command(name = "plot-run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Render a PNG (headless) from run directories: rho (accuracy, loss and rho_t vs step), gap (exact Fourier gap vs step), curve (accuracy or MSE vs step) or coef (tracked coefficients vs step).")
public final class PlotRunCommand implements Callable<Integer> {

    public enum Kind { RHO, GAP, CURVE, COEF }

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory (curve.csv, probes.csv).")
    Path run;

    @Option(names = "--control", paramLabel = "DIR", description = "A second run drawn alongside: the random-label control (rho, gap) or a comparison run (curve).")
    Path control;

    @Option(names = "--kind", defaultValue = "rho", description = "rho (needs probes.csv) | gap (probes.csv) | curve (accuracy or MSE; --control adds a second run) | coef (f̂ of --track-prefixes) (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--title", defaultValue = "", description = "Chart title (default: the run directory).")
    String title;

    @Option(names = "--size", defaultValue = "1000x600", paramLabel = "WxH", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "PNG file to write (atomically).")
    Path out;

    private List<Path> runs() {
        List<Path> runs = new ArrayList<>(List.of(run));
        if (control != null) runs.add(control);
        return runs;
    }

    @Override
    public Integer call() throws Exception {
        RunCharts.headless();
        String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
        int w, h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            throw new UsageException("--size must be WIDTHxHEIGHT, e.g. 1000x600, got '" + size + "'");
        }
        if (w < 100 || h < 100 || w > 8000 || h > 8000) throw new UsageException("--size must be within 100..8000 per side, got " + size);
        if (Files.isDirectory(out)) throw new UsageException("--out " + out + " is a directory; give a .png file");
        String t = title.isEmpty() ? run.getFileName().toString() : title;
        var chart = switch (kind) {
            case RHO -> RunCharts.rho(run, control, t, w, h);
            case GAP -> RunCharts.gap(runs(), t, w, h);
            case CURVE -> RunCharts.curves(runs(), t, w, h);
            case COEF -> RunCharts.coefficients(run, t, w, h);
        };
        byte[] png = RunCharts.png(chart);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        AtomicFiles.write(out, png);
        spec.commandLine().getOut().println("wrote " + out + " (" + png.length + " bytes)");
        return Main.OK;
    }
}
