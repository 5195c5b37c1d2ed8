package bitsgd.harness.reproduce;

import bitsgd.harness.io.Csv;
import bitsgd.harness.plot.SweepPlots;
import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape check of a preset's output ({@code reproduce --check}, run by CI on the quick variants): every
 * run has a record, {@code summary.csv} has one row per grid point with the expected columns, the preset's
 * extra CSV has its rows, and every expected PNG exists, is non-empty and starts with the PNG signature.
 * It checks shapes, not numbers.
 */
public final class Check {
    private Check() {}

    /** The problems found (empty: the output has the expected shape). */
    public static List<String> problems(Path dir, SweepSpec spec, Presets.Preset p) throws IOException {
        List<String> out = new ArrayList<>();
        // summary.csv
        List<String> header = new ArrayList<>(List.of("config_index"));
        header.addAll(spec.gridAxes());
        header.addAll(Summary.STATISTICS);
        header.add("sweep");
        spec.fixed().keySet().forEach(axis -> header.add(axis.key()));
        List<List<String>> summary = csv(dir.resolve("summary.csv"), header, spec.points().size(), out);
        if (summary != null) {
            int runsCol = header.indexOf("runs");
            for (var row : summary) {
                if (!row.get(runsCol).equals(String.valueOf(spec.seeds().size()))) {
                    out.add("summary.csv: config " + row.getFirst() + " has " + row.get(runsCol) + " runs, expected " + spec.seeds().size());
                }
            }
        }
        // the preset's own table
        switch (p.kind()) {
            case NOISY -> csv(dir.resolve("noisy.csv"), List.of("label_noise", "noise_factor", "runs", "solved", "t_c_median"),
                    spec.points().size(), out);
            case GROKKING -> csv(dir.resolve("grokking.csv"), List.of("config_index", "runs", "train_fit", "t_train_median", "test_solved",
                    "t_test_median", "gap_median"), spec.points().size(), out);
            case LEAP -> csv(dir.resolve("leap.csv"), List.of("target", "leap", "d", "samples_median", "local_slope", "fitted_slope",
                    "conjectured_exponent"), spec.points().size(), out);
            case PARITY -> { }
        }
        if (spec.gridAxes().contains("lr")) {
            List<String> others = new ArrayList<>(spec.gridAxes());
            others.remove("lr");
            Set<List<Object>> groups = new LinkedHashSet<>();
            for (var pt : spec.points()) {
                List<Object> key = new ArrayList<>();
                for (String a : others) key.add(Summary.axisValue(pt, a));
                groups.add(key);
            }
            csv(dir.resolve("success.csv"), List.of("success", "best_lr", "success_fraction", "t_c_median"), groups.size(), out);
        }
        for (String png : expectedPngs(spec, p)) png(dir.resolve("plots").resolve(png), "plots/" + png, out);
        return out;
    }

    /** Adds a problem when {@code f} is missing, not a PNG or suspiciously small (under 1000 bytes). */
    static void png(Path f, String label, List<String> out) throws java.io.IOException {
        if (!Files.isRegularFile(f)) {
            out.add(label + " missing");
            return;
        }
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(f)) {
            int got = in.readNBytes(head, 0, 8);
            if (got < 8 || head[0] != (byte) 0x89 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') out.add(label + " is not a PNG");
        }
        if (Files.size(f) < 1000) out.add(label + " has only " + Files.size(f) + " bytes");
    }

    /** The PNG file names a preset's output must hold under {@code plots/}. */
    public static List<String> expectedPngs(SweepSpec spec, Presets.Preset p) {
        List<String> metrics = switch (p.kind()) {
            case PARITY, NOISY -> List.of("eval_accuracy", "loss");
            case GROKKING -> List.of("eval_accuracy", "train_accuracy", "loss");
            case LEAP -> List.of("eval_mse", "loss");
        };
        List<String> axes = spec.gridAxes();
        String panel = p.panel() != null ? p.panel() : axes.contains("k") && axes.size() > 1 ? "k" : null;
        Set<Object> panelValues = new LinkedHashSet<>();
        for (var pt : spec.points()) panelValues.add(panel == null ? "" : Summary.axisValue(pt, panel));
        List<String> out = new ArrayList<>();
        for (Object v : panelValues) for (String m : metrics) out.add(SweepPlots.curveFileName(m, panel, v));
        if (p.kind() == Presets.Kind.PARITY || p.kind() == Presets.Kind.LEAP) out.add("scaling-t_c-vs-" + p.x() + ".png");
        switch (p.kind()) {
            case NOISY -> out.add("noisy-t_c-vs-noise.png");
            case GROKKING -> {
                for (var pt : spec.points()) {
                    StringBuilder suffix = new StringBuilder();
                    pt.values().forEach((k, v) -> suffix.append('-').append(k).append('=').append(SweepPlots.fileSafe(v)));
                    out.add("grokking" + suffix + ".png");
                }
            }
            case LEAP -> out.add("leap-samples-vs-d.png");
            case PARITY -> { }
        }
        return out;
    }

    /**
     * Reads a CSV and checks that its header has every one of {@code columns}, that it has {@code rows} data
     * rows and that every row has as many cells as the header. Returns the rows, or null when the file is missing.
     */
    static List<List<String>> csv(Path file, List<String> columns, int rows, List<String> problems) throws IOException {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            problems.add(name + " missing");
            return null;
        }
        Csv.Table t = Csv.read(file);
        if (t.header().isEmpty()) {
            problems.add(name + " is empty");
            return null;
        }
        for (String c : columns) if (t.column(c) < 0) problems.add(name + ": column " + c + " missing (header: " + t.header() + ")");
        for (int i = 0; i < t.rows().size(); i++) {
            int cells = t.rows().get(i).size();
            if (cells != t.header().size()) problems.add(name + ": row " + (i + 1) + " has " + cells + " cells, header " + t.header().size());
        }
        if (t.rows().size() != rows) problems.add(name + ": " + t.rows().size() + " rows, expected " + rows);
        return t.rows();
    }
}
