package bitsgd.harness.sweep;

import bitsgd.harness.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** A bitsgd command run in this JVM, with what it printed: the sweep tests' view of the CLI. */
final class Cli {
    private Cli() {}

    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run bitsgd(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(code, o.toString(), e.toString());
    }
}
