package bitsgd.harness.io;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Every CSV file bitsgd writes or reads goes through here (Apache Commons CSV, RFC 4180): a cell holding a comma,
 * a double quote or a line break is written double-quoted with inner quotes doubled, and read back whole. Cells are
 * strings: callers format their numbers. Lines end in {@code \n}, as the files always have.
 */
public final class Csv {
    private Csv() {}

    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    /** A CSV file: its header and its data rows, each row as written (a row may have more or fewer cells than the header). */
    public record Table(List<String> header, List<List<String>> rows) {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().<List<String>>map(List::copyOf).toList();
        }

        /** The position of a column, or −1 when the header has no such column. */
        public int column(String name) {
            return header.indexOf(name);
        }

        /** One column's cells, top to bottom ("" where a row is too short); empty when there is no such column. */
        public List<String> values(String name) {
            int c = column(name);
            if (c < 0) return List.of();
            List<String> out = new ArrayList<>(rows.size());
            for (List<String> row : rows) out.add(c < row.size() ? row.get(c) : "");
            return out;
        }
    }

    /** The header and rows as CSV text. */
    public static String write(List<String> header, List<? extends List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        try {
            write(sb, header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /** Appends the header and rows as CSV to {@code out}. */
    public static void write(Appendable out, List<String> header, List<? extends List<String>> rows) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, WRITE);
        printer.printRecord(header);
        for (List<String> row : rows) printer.printRecord(row);
        printer.flush();
    }

    /** Reads a whole CSV file (UTF-8); an empty file has an empty header and no rows. */
    public static Table read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        }
    }

    /** Parses CSV text. */
    public static Table parse(String text) {
        try {
            return read(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Table read(Reader in) throws IOException {
        List<List<String>> records = new ArrayList<>();
        try {
            for (CSVRecord r : CSVParser.parse(in, READ)) records.add(r.toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();   // the parser's iterator wraps a malformed file's IOException
        }
        if (records.isEmpty()) return new Table(List.of(), List.of());
        return new Table(records.getFirst(), records.subList(1, records.size()));
    }
}
