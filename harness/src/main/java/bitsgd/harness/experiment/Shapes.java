package bitsgd.harness.experiment;

import bitsgd.harness.io.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shape checks of an experiment's files: a CSV's columns and rows, a PNG's signature and size. */
public final class Shapes {
    private Shapes() {}

    /** Adds a problem when {@code f} is missing, not a PNG or suspiciously small (under 1000 bytes). */
    public static void png(Path f, String label, List<String> out) throws IOException {
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

    /**
     * Reads a CSV and checks that its header has every one of {@code columns}, that it has {@code rows} data
     * rows and that every row has as many cells as the header. Returns the rows, or null when the file is missing.
     */
    public static List<List<String>> csv(Path file, List<String> columns, int rows, List<String> problems) throws IOException {
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
