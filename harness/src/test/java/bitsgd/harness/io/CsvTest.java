package bitsgd.harness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    @Test
    void cellsWithCommasQuotesAndLineBreaksSurviveARoundTrip(@TempDir Path tmp) throws IOException {
        List<String> header = List.of("task", "note", "t_c");
        List<List<String>> rows = List.of(
                List.of("double-staircase:2,3", "say \"hi\"", "120"),
                List.of("parity", "two\nlines", ""),
                List.of("monomials:x1+x1*x2", "a,\"b\",\r\nc", "inf"));
        String text = Csv.write(header, rows);
        assertEquals("task,note,t_c\n"
                + "\"double-staircase:2,3\",\"say \"\"hi\"\"\",120\n"
                + "parity,\"two\nlines\",\n"
                + "monomials:x1+x1*x2,\"a,\"\"b\"\",\r\nc\",inf\n", text);
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, text);
        Csv.Table t = Csv.read(f);
        assertEquals(header, t.header());
        assertEquals(rows, t.rows());
        assertEquals(List.of("120", "", "inf"), t.values("t_c"));
        assertEquals(-1, t.column("nope"));
    }

    @Test
    void plainCellsStayUnquotedAndShortRowsAreKeptAsWritten() {
        Csv.Table t = Csv.parse("step,loss\r\n1,0.5\r\n\r\n2\n");
        assertEquals(List.of(List.of("1", "0.5"), List.of("2")), t.rows());
        assertEquals(List.of("0.5", ""), t.values("loss"));
        assertEquals("step,loss\n1,0.5\n2,-1.0E-5\n", Csv.write(t.header(), List.of(List.of("1", "0.5"), List.of("2", "-1.0E-5"))));
    }

    @Test
    void anEmptyFileHasNoHeaderAndAnOpenQuoteIsAnError(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("e.csv");
        Files.writeString(f, "");
        assertEquals(List.of(), Csv.read(f).header());
        Files.writeString(f, "a,b\n\"1,2\n");
        assertThrows(IOException.class, () -> Csv.read(f));
    }
}
