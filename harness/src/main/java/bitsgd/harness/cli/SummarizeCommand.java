package bitsgd.harness.cli;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.sweep.Records;
import bitsgd.harness.sweep.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd summarize DIR}: per grid point success fraction, median and IQR of t_c; summary.csv out. */
public final class SummarizeCommand implements Callable<Integer> {
    static final Opt<Path> OUT = Output.out("summary.csv", "the sweep's DIR");
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("summarize")
            .details("Unsolved runs count as t_c = inf; also the median t_c of the solved runs. Prints a table and writes DIR/summary.csv.")
            .parameters("DIR", 1, 1, "Sweep output dir (holds spec.json and runs/).")
            .add(OUT, JSON);

    private final PrintWriter stdout;
    final Path dir;
    final Path out;
    final boolean json;

    SummarizeCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        dir = Path.of(p.parameters().getFirst());
        out = p.get(OUT);
        json = p.get(JSON);
    }

    @Override
    public Integer call() throws Exception {
        var s = Summary.spec(dir);   // first: a dir that is no sweep is refused before anything is created
        Path f = (out != null ? Output.directory(out) : AtomicFiles.writableDirectory(dir, "sweep dir")).resolve("summary.csv");
        var rows = Summary.of(s, Records.readAll(dir));
        String text = Summary.csv(s, rows);
        AtomicFiles.write(f, text);
        PrintWriter o = stdout;
        o.print(Summary.table(s, rows));
        o.println("csv " + f);
        if (json) {
            // the rows as summary.csv has them, one object per grid point, keyed by the CSV's header
            Csv.Table t = Csv.parse(text);
            List<Map<String, Object>> points = new ArrayList<>();
            for (List<String> row : t.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < row.size(); i++) m.put(t.header().get(i), value(row.get(i)));
                points.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sweep", s.name());
            m.put("file", f.toString());
            m.put("rows", points);
            Output.json(o, m);
        }
        o.flush();
        return Main.OK;
    }

    /** A CSV cell as JSON: integers and finite decimals as numbers, anything else ("inf", "nan", "", names) as the text. */
    static Object value(String cell) {
        try {
            return Long.parseLong(cell);
        } catch (NumberFormatException notLong) {
            try {
                double d = Double.parseDouble(cell);
                return Double.isFinite(d) && !cell.isBlank() && Character.isDigit(cell.charAt(cell.length() - 1)) ? d : cell;
            } catch (NumberFormatException notNumber) {
                return cell;
            }
        }
    }
}
