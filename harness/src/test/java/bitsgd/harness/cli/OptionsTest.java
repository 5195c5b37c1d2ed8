package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.kernel.mlp.Loss;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The command-line layer on its own (Opt, Options, Parsed, Help) and through Main.run. */
class OptionsTest {

    static final Opt<Integer> COUNT = Opt.integer("--count", "How many.").required();
    static final Opt<Long> SEED = Opt.longInteger("--seed", "Seed.").defaultValue("7");
    static final Opt<Double> RATE = Opt.real("--rate", "Rate.").defaultValue("0.5");
    static final Opt<String> NAME = Opt.string("--name", "Name.");
    static final Opt<Path> DIR = Opt.path("--dir", "Directory.").label("DIR");
    static final Opt<Boolean> VERBOSE = Opt.flag("--verbose", "Talk.");
    static final Opt<Boolean> STOP = Opt.negatable("--stop", true, "Stop early.");
    static final Opt<Loss> LOSS = Opt.choice("--loss", Loss.values(), "Loss.").defaultValue("hinge");
    static final Opt<List<Integer>> IDS = Opt.integers("--ids", "Ids.").label("I");
    static final Opt<List<Double>> RATES = Opt.reals("--rates", "Rates.");
    static final Opt<List<String>> WORDS = Opt.strings("--words", " ", "Words.").defaultValue("a b");

    static Options options() {
        return new Options("demo").parameters("FILE", 0, 2, "Files.")
                .add(COUNT, SEED, RATE, NAME, DIR, VERBOSE, STOP, LOSS, IDS, RATES, WORDS);
    }

    static Parsed parse(String... args) {
        return options().parse(args, 0);
    }

    static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void spaceAndEqualsFormsAndPositionalParameters() {
        Parsed p = parse("a.txt", "--count", "3", "--name=x=y", "--dir", "out/d", "b.txt");
        assertEquals(3, p.get(COUNT));
        assertEquals("x=y", p.get(NAME), "only the first '=' separates name and value");
        assertEquals(Path.of("out/d"), p.get(DIR));
        assertEquals(List.of("a.txt", "b.txt"), p.parameters());
        assertFalse(p.helpRequested() || p.versionRequested());
    }

    @Test
    void doubleDashEndsOptions() {
        Parsed p = parse("--count", "1", "--", "--verbose", "-x");
        assertFalse(p.get(VERBOSE));
        assertEquals(List.of("--verbose", "-x"), p.parameters());
    }

    @Test
    void defaultsApplyOnlyWhenAbsent() {
        Parsed p = parse("--count", "1");
        assertEquals(7L, p.get(SEED));
        assertEquals(0.5, p.get(RATE));
        assertEquals(Loss.HINGE, p.get(LOSS));
        assertEquals(List.of("a", "b"), p.get(WORDS));
        assertNull(p.get(NAME), "no default: null");
        assertNull(p.get(IDS));
        assertFalse(p.get(VERBOSE), "a plain switch is off by default");
        assertEquals(9L, parse("--count", "1", "--seed", "9").get(SEED));
        assertEquals(List.of("c"), parse("--count", "1", "--words", "c").get(WORDS), "a given list replaces the default");
    }

    @Test
    void switchesAndNegatableSwitches() {
        assertTrue(parse("--count", "1").get(STOP));
        assertFalse(parse("--count", "1", "--no-stop").get(STOP));
        assertTrue(parse("--count", "1", "--stop").get(STOP));
        assertFalse(parse("--count", "1", "--stop=false").get(STOP));
        assertTrue(parse("--count", "1", "--verbose").get(VERBOSE));
        assertFalse(parse("--count", "1", "--verbose=FALSE").get(VERBOSE));
        assertTrue(error("--count", "1", "--no-verbose").startsWith("unknown option --no-verbose"), "only negatable switches have --no-");
    }

    @Test
    void listsSplitAndRepeatedListsAccumulate() {
        assertEquals(List.of(0, 1, 2), parse("--count", "1", "--ids", "0,1,2").get(IDS));
        assertEquals(List.of(0, 1, 5), parse("--count", "1", "--ids", "0,1", "--ids=5").get(IDS));
        assertEquals(List.of(0.1, 1e-3, Double.NaN), parse("--count", "1", "--rates", "0.1,1e-3,NaN").get(RATES));
        assertEquals(List.of("20,3,100,32", "50,3,1000,32"), parse("--count", "1", "--words", "20,3,100,32 50,3,1000,32").get(WORDS));
    }

    @Test
    void enumsAreCaseInsensitive() {
        assertEquals(Loss.SQUARE, parse("--count", "1", "--loss", "SQUARE").get(LOSS));
        assertEquals(Loss.LOGISTIC, parse("--count", "1", "--loss=Logistic").get(LOSS));
        assertEquals("--loss expects one of hinge, square, logistic, correlation, got 'cubic'", error("--count", "1", "--loss", "cubic"));
    }

    @Test
    void numbersParseAsBefore() {
        assertEquals(-4, parse("--count", "-4").get(COUNT), "a negative number is a value, not an option");
        assertEquals(20, parse("--count", "+20").get(COUNT));
        assertEquals("--count expects an integer, got '3.5'", error("--count", "3.5"));
        assertEquals("--count expects an integer, got '1e3'", error("--count", "1e3"));
        assertEquals("--seed expects an integer, got '1e3'", error("--count", "1", "--seed", "1e3"));
        assertEquals("--count expects an integer, got ''", error("--count="));
        assertEquals(1e-3, parse("--count", "1", "--rate", "1e-3").get(RATE));
        assertTrue(parse("--count", "1", "--rate", "NaN").get(RATE).isNaN());
        assertEquals(Double.POSITIVE_INFINITY, parse("--count", "1", "--rate", "Infinity").get(RATE));
        assertEquals(Double.NEGATIVE_INFINITY, parse("--count", "1", "--rate", "-Infinity").get(RATE));
        assertEquals("--rate expects a number, got '0.1x'", error("--count", "1", "--rate", "0.1x"));
        assertEquals("--ids expects integers separated by ',', got '0,a'", error("--count", "1", "--ids", "0,a"));
    }

    @Test
    void everyMistakeIsAUsageErrorNamingOptionAndValue() {
        assertEquals("unknown option --bogus (see: bitsgd demo --help)", error("--count", "1", "--bogus"));
        assertEquals("missing value for --name", error("--count", "1", "--name"));
        assertEquals("missing value for --name (--verbose is an option)", error("--count", "1", "--name", "--verbose"));
        assertEquals("missing required option --count", error("--seed", "1"));
        assertEquals("unexpected argument 'c'", error("--count", "1", "a", "b", "c"));
        assertEquals("--count given more than once: 1 and 2", error("--count", "1", "--count", "2"));
        assertEquals("--verbose expects true or false, got 'yes'", error("--count", "1", "--verbose=yes"));
        Options needsOne = new Options("one").parameters("SPEC", 1, 1, "Spec.").add(Opt.flag("--json", "JSON."));
        assertEquals("missing parameter SPEC", assertThrows(UsageException.class, () -> needsOne.parse(new String[0], 0)).getMessage());
    }

    @Test
    void helpAndVersionWinOverEverythingBeforeDoubleDash() {
        assertTrue(parse("--bogus", "-h").helpRequested());
        assertTrue(parse("--help").helpRequested());
        assertTrue(parse("-V").versionRequested());
        assertTrue(parse("--count", "x", "--version").versionRequested());
        assertEquals(List.of("--help"), parse("--count", "1", "--", "--help").parameters());
    }

    @Test
    void aGroupOfOptionsIsDeclaredOnceAndAddedToSeveralCommands() {
        Opt<?>[] problem = {COUNT, SEED};
        Options a = new Options("a").add(problem).add(VERBOSE);
        Options b = new Options("b").add(problem);
        assertEquals(3, a.parse(new String[] {"--count", "3"}, 0).get(COUNT));
        assertEquals(4, b.parse(new String[] {"--count=4"}, 0).get(COUNT));
        assertEquals(7L, b.parse(new String[] {"--count=4"}, 0).get(SEED));
        assertThrows(IllegalArgumentException.class, () -> b.parse(new String[] {"--count=4"}, 0).get(VERBOSE), "not an option of b");
        assertThrows(IllegalStateException.class, () -> new Options("c").add(problem).add(COUNT), "declared twice");
    }

    @Test
    void helpShowsEveryOptionLabelDescriptionAndDeclaredDefault() {
        String help = Help.command(options(), "Demonstrate.");
        assertTrue(help.startsWith("Usage: bitsgd demo --count=COUNT [OPTIONS] [FILE...]\nDemonstrate.\n"), help);
        for (String s : List.of("--count=COUNT", "How many.", "--seed=SEED", "Seed (default: 7).", "--rate=RATE", "Rate (default: 0.5).",
                "--dir=DIR", "--verbose  ", "Talk.", "--[no-]stop", "Stop early (default: true).", "--loss=LOSS", "Loss (default: hinge).",
                "--ids=I[,I...]", "--words=WORDS[ WORDS...]", "Words (default: a b).", "-h, --help", "-V, --version", "[FILE...]", "Files.")) {
            assertTrue(help.contains(s), s + " missing in\n" + help);
        }
    }

    @Test
    void everyCommandsHelpListsEveryOptionWithItsDefaultWithinTheWidth() {
        for (Main.Subcommand sub : Main.Subcommand.values()) {
            MainTest.Run r = MainTest.run(sub.command, "--help");
            assertEquals(0, r.code(), r.toString());
            assertEquals("", r.err());
            String flat = flatten(r.out());
            assertTrue(flat.contains(sub.summary), sub.command + ": the full summary");
            for (Opt<?> o : sub.options().options) {
                assertTrue(r.out().contains(o.isFlag() ? o.name.substring(2) : o.name + "=" + o.label), sub.command + " lacks " + o.name);
                assertTrue(flat.contains(flatten(Help.description(o))), sub.command + " " + o.name + ": its whole description");
                boolean shown = o.defaultValue != null && !o.defaultValue.isEmpty() && (!o.isFlag() || o.negatable);
                assertEquals(shown, Help.description(o).contains("(default: " + o.defaultValue + ")"), sub.command + " " + o.name);
            }
            for (String line : r.out().split("\n")) {
                assertTrue(line.length() <= Help.WIDTH || !line.strip().contains(" "), sub.command + ": too wide: " + line);
            }
            assertFalse(r.out().contains("%n") || r.out().contains("${"), r.out());
        }
    }

    @Test
    void overviewListsEveryCommandWithItsFullSummary() {
        MainTest.Run r = MainTest.run("--help");
        assertEquals(0, r.code());
        String flat = flatten(r.out());
        for (Main.Subcommand sub : Main.Subcommand.values()) {
            assertTrue(flat.contains(sub.command + " " + sub.summary), sub.command + " in\n" + r.out());
        }
        assertEquals(r.out(), MainTest.run("-h").out());
    }

    @Test
    void versionOnEveryCommand() {
        for (Main.Subcommand sub : Main.Subcommand.values()) {
            for (String flag : List.of("-V", "--version")) {
                MainTest.Run r = MainTest.run(sub.command, flag);
                assertEquals(0, r.code(), r.toString());
                assertEquals(bitsgd.harness.BuildInfo.line(), r.out().strip());
                assertTrue(r.out().contains("commit "), r.out());
            }
        }
    }

    static Stream<List<String>> usageErrors() {
        return Stream.of(
                List.of(),
                List.of("frobnicate"),
                List.of("--nope"),
                List.of("train", "--n", "20", "--bogus"),
                List.of("train", "--n"),
                List.of("train", "--n", "20", "--out", "--json"),
                List.of("train", "--k", "3"),
                List.of("train", "--n", "abc"),
                List.of("train", "--n", "20", "--lr", "0.1x"),
                List.of("train", "--n", "20", "--seed", "1e3"),
                List.of("train", "--n", "20", "--loss", "cubic"),
                List.of("train", "--n", "20", "--secret", "a,b"),
                List.of("train", "--n", "20", "--n", "21"),
                List.of("train", "--n", "20", "--json=maybe"),
                List.of("train", "--n", "20", "extra"),
                List.of("popgrad", "--n", "10", "--init", "bogus"),
                List.of("plot-run", "--kind", "rho"),
                List.of("sweep"),
                List.of("merge", "--out", "x"),
                List.of("summarize", "a", "b"),
                List.of("reproduce", "--seeds"),
                List.of("profile", "--rounds", "2.5"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsAreOneLineAndExit2(List<String> args) {
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("bitsgd: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void usageMessagesNameTheOptionAndTheValue() {
        assertEquals("bitsgd: --lr expects a number, got '0.1x'", MainTest.run("train", "--n", "20", "--lr", "0.1x").err().strip());
        assertEquals("bitsgd: unknown command 'frobnicate' (see: bitsgd --help)", MainTest.run("frobnicate").err().strip());
        assertEquals("bitsgd: missing subcommand (try: bitsgd train --help)", MainTest.run().err().strip());
        assertEquals("bitsgd: missing required option --run", MainTest.run("plot-run").err().strip());
    }

    @Test
    void oneLineJoinsTheLinesOfAMessage() {
        assertEquals("a; b", Main.oneLine("  a \n\n  b\r\n"));
        assertEquals("error", Main.oneLine(null));
    }

    /** Help text with its wrapping undone: every run of spaces and newlines becomes one space. */
    static String flatten(String s) {
        return s.replaceAll("\\s+", " ");
    }
}
