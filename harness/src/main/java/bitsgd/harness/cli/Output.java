package bitsgd.harness.cli;

import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one output rule every command follows: files go into {@code --out DIR} under fixed names (written atomically),
 * {@code --json} ends stdout with the outcome as one JSON object, so a script reads the last line, and progress goes to
 * stderr as {@code --progress} says.
 */
final class Output {
    static final Opt<Boolean> JSON = Opt.flag("--json", "Also print the outcome as one JSON object on the last stdout line.");
    static final Opt<ProgressMode> PROGRESS = Opt.choice("--progress", ProgressMode.values(), ProgressMode.HELP).label("MODE")
            .defaultValue("auto");

    private Output() {}

    /** {@code --out DIR}, described by the files the command writes there. */
    static Opt<Path> out(String files) {
        return Opt.path("--out", "Write " + files + " into DIR (created; files replaced atomically).").label("DIR");
    }

    /** {@code --out DIR} with a default, e.g. the sweep's own directory. */
    static Opt<Path> out(String files, String whenAbsent) {
        return Opt.path("--out", "Write " + files + " into DIR (default: " + whenAbsent + "; files replaced atomically).").label("DIR");
    }

    /**
     * Every command calls this on its {@code --out} before it computes anything: creates {@code dir} if needed and proves it
     * writable (a probe file written and deleted), so an empty, unwritable or non-directory --out is a usage error (exit 2)
     * in every command alike, naming the dir and the cause, with nothing left behind.
     */
    static Path directory(Path dir) {
        return AtomicFiles.writableDirectory(dir, "--out");
    }

    /** The {@code --json} line. */
    static void json(PrintWriter o, Map<String, ?> outcome) {
        o.println(Json.line(outcome));
    }
}
