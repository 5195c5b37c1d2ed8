package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code bin/bitsgd …} command quoted in a code block of the README and docs/ runs as written: each one parses
 * with its command's options and settings, and the short ones are run, doc by doc in order (a plot-run after the train
 * that made its run), with the paths they write moved into a temp dir.
 */
class DocCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Commands only parsed: they run for minutes (every paper preset, the full profile) or tens of seconds (validate: its own tests run it). */
    private static final Set<String> PARSE_ONLY = Set.of("reproduce", "profile", "validate");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    record Command(Path doc, int line, List<String> args) {
        @Override
        public String toString() {
            return ROOT.relativize(doc) + ":" + line + ": bin/bitsgd " + String.join(" ", args);
        }
    }

    static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The {@code bin/bitsgd} lines of a doc's fenced code blocks ({@code $ } prompts, continuations and comments handled). */
    static List<Command> commands(Path doc) throws IOException {
        List<Command> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(doc);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) continue;
            if (l.startsWith("$ ")) l = l.substring(2);
            if (!l.startsWith("bin/bitsgd ")) continue;
            int first = i;
            StringBuilder sb = new StringBuilder(l);
            while (sb.toString().endsWith("\\") && i + 1 < lines.size()) {
                sb.setLength(sb.length() - 1);
                sb.append(' ').append(lines.get(++i).strip());
            }
            out.add(new Command(doc, first + 1, words(sb.substring("bin/bitsgd ".length()))));
        }
        return out;
    }

    /** Shell words up to a comment, a pipe, a redirection or {@code &&}; single and double quotes group. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                if (w == null) w = new StringBuilder();
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (w != null) out.add(w.toString());
                w = null;
                continue;
            }
            if (w == null && (c == '#' || c == '|' || c == '>' || c == '&' || c == ';')) break;
            if (w == null) w = new StringBuilder();
            w.append(c);
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    @Test
    void theReadmeAndDocsQuoteCommands() throws IOException {
        int n = 0;
        for (Path d : docs()) n += commands(d).size();
        assertTrue(n >= 30, "found only " + n + " commands: has the extraction broken?");
        assertEquals(List.of("sweep", "spec.json", "--print-sbatch"), words("sweep 'spec.json' --print-sbatch > job.sh && sbatch job.sh"));
        assertEquals(List.of("train", "--n", "20", "--shapes", "50,3,1000,32 20,3,100,32"),
                words("train --n 20 --shapes \"50,3,1000,32 20,3,100,32\"   # a comment"));
    }

    @Test
    void everyQuotedCommandParsesAndTheShortOnesRun(@TempDir Path tmp) throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path doc : docs()) {
            Path work = tmp.resolve(doc.getFileName().toString());
            for (Command c : commands(doc)) {
                String why = check(c, work);
                if (why != null) problems.add(c + "\n    -> " + why);
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    /** Null when the command parses (and, unless parse-only, runs with exit 0); else what went wrong. */
    private static String check(Command c, Path work) throws Exception {
        List<String> args = c.args();
        if (args.isEmpty() || args.getFirst().startsWith("-")) return null;   // bitsgd --help and the like
        Main.Subcommand sub = Main.Subcommand.named(args.getFirst());
        if (sub == null) return "no such command";
        // a command inside a shell loop is parsed with its variables set to 1, not run
        boolean loop = args.stream().anyMatch(a -> a.contains("$"));
        List<String> moved = new ArrayList<>();
        for (String a : args) moved.add(move(a.replaceAll("\\$\\{?\\w+}?", "1"), work));
        Parsed parsed;
        try {
            parsed = sub.options().parse(moved.toArray(String[]::new), 1);
            // a resumed run's settings are in its checkpoint, a saved model's in its file: both read when the command runs
            boolean saved = args.contains("--resume") || args.contains("--model");
            if (Set.of("train", "trace", "popgrad").contains(sub.command) && !saved) ProblemOptions.read(parsed).toConfig();
            if (sub.command.equals("sweep")) SweepSpec.read(Path.of(parsed.parameters().getFirst()));
        } catch (UsageException e) {
            return "bad usage: " + e.getMessage();
        }
        if (loop || PARSE_ONLY.contains(sub.command) || args.stream().anyMatch(a -> a.contains("*"))) return null;
        if (sub.command.equals("sweep") && !args.contains("--out")) {
            // the spec's default output dir, out/<name>, moved like every other out/ path
            SweepSpec spec = SweepSpec.read(Path.of(parsed.parameters().getFirst()));
            moved.addAll(List.of("--out", move(spec.outDir().toString(), work)));
        }
        Files.createDirectories(work);
        MainTest.Run r = MainTest.run(moved.toArray(String[]::new));
        return r.code() == Main.OK ? null : "exit " + r.code() + ": " + r.err().strip();
    }

    /** Repository inputs (specs/, docs/specs/, scripts/) stay where they are; paths a command writes or reads back (runs/, out/, docs/, charts) go into the temp dir. */
    private static String move(String arg, Path work) {
        if (arg.startsWith("specs/") || arg.startsWith("docs/specs/") || arg.startsWith("scripts/")) return ROOT.resolve(arg).toString();
        if (arg.startsWith("runs/") || arg.startsWith("out/") || arg.startsWith("docs/") || arg.equals("charts")) {
            return work.resolve(arg).toString();   // never over a file of the repository (docs/img/…)
        }
        return arg;
    }

    @Test
    void everyLinkBetweenDocsPointsAtAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://")) continue;
                Path file = doc.getParent().resolve(target);
                if (!Files.exists(file)) broken.add(ROOT.relativize(doc) + " -> " + target);
                else if (m.group(2) != null && target.endsWith(".md") && !anchors(file).contains(m.group(2).substring(1))) {
                    broken.add(ROOT.relativize(doc) + " -> " + target + m.group(2) + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        for (String line : Files.readAllLines(md)) {
            if (!line.startsWith("#")) continue;
            String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT);
            out.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return out;
    }

    /** Code, scripts and build files point at docs that exist (their design notes and protocols live there). */
    @Test
    void everyDocNamedInTheCodeExists() throws IOException {
        Pattern named = Pattern.compile("docs/[\\w.-]+\\.md");
        List<String> missing = new ArrayList<>();
        for (Path f : codeFiles()) {
            Matcher m = named.matcher(String.join("\n", readable(f)));
            while (m.find()) if (!Files.exists(ROOT.resolve(m.group()))) missing.add(ROOT.relativize(f) + " -> " + m.group());
        }
        assertEquals(List.of(), missing);
    }

    /** The repository's source, scripts and build files (not build outputs). */
    static List<Path> codeFiles() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("pom.xml")));
        for (String dir : List.of("kernel", "harness", "bench", "scripts", "bin", ".ci")) {
            if (!Files.isDirectory(ROOT.resolve(dir))) continue;
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                files.filter(Files::isRegularFile).filter(f -> !ROOT.relativize(f).toString().contains("target/"))
                        .filter(f -> !f.getFileName().toString().equals("DocCommandsTest.java")).forEach(out::add);
            }
        }
        return out;
    }

    /** A text file's lines; none for a binary one. */
    static List<String> readable(Path f) throws IOException {
        try {
            return Files.readAllLines(f);
        } catch (java.nio.charset.MalformedInputException binary) {
            return List.of();
        }
    }

    @Test
    void docsCiteNoFileOutsideTheRepositoryAndNoIssueNumbers() throws IOException {
        Pattern outside = Pattern.compile("PROTOCOLS\\.md|PEERS\\.md|DESIGN\\.md|DESIGN §|STYLE\\.md|\\.\\./shared|[Ii]ssue \\d|since commit");
        List<String> found = new ArrayList<>();
        List<Path> files = new ArrayList<>(docs());
        files.addAll(codeFiles());
        for (Path doc : files) {
            List<String> lines = readable(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (outside.matcher(lines.get(i)).find()) found.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
        }
        assertEquals(List.of(), found);
    }
}
