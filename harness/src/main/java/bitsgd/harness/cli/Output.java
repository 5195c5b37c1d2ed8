package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

    /** Creates {@code dir} if needed; refuses a path that exists and is not a directory, before anything is computed. */
    static Path directory(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UsageException("--out " + dir + " exists and is not a directory");
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".bitsgd-probe", ".tmp"));   // writable: found now, not after the work
        } catch (IOException e) {
            throw new UsageException("--out " + dir + ": cannot write there (" + reason(e) + ")");
        }
        return dir;
    }

    /** An I/O failure's cause in words: the JDK's exceptions often carry only the path. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The {@code --json} line. */
    static void json(PrintWriter o, Map<String, ?> outcome) {
        o.println(Json.line(outcome));
    }
}
