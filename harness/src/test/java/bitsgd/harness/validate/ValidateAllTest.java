package bitsgd.harness.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.cli.Main;
import bitsgd.harness.cli.ValidateCommandAccess;
import bitsgd.harness.io.Json;
import bitsgd.kernel.Kernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the command runs ({@link Validation#all} and the report): a planted bug in any family's vector code fails the
 * whole validation, and without vector kernels the verdict is "not validated", exit 1.
 */
class ValidateAllTest {

    /** The shipped implementations with one family's vector code replaced by a broken decorator of it. */
    static Validation.Implementations plant(String family) {
        Validation.Implementations s = Validation.Implementations.shipped();
        return switch (family) {
            case "mlp" -> new Validation.Implementations(s.mlp(), new ValidationTest.Perturbed(s.vectorMlp(),
                    ValidationTest.Defect.LR_TIMES_1_05), s.twinMlp(), s.dense(), s.vectorDense(), s.popgrad(), s.vectorPopgrad());
            case "dense" -> new Validation.Implementations(s.mlp(), s.vectorMlp(), s.twinMlp(), s.dense(),
                    new DenseValidationTest.Perturbed(s.vectorDense(), DenseValidationTest.Defect.UPDATE_LR_TIMES_1_05), s.popgrad(),
                    s.vectorPopgrad());
            case "popgrad" -> new Validation.Implementations(s.mlp(), s.vectorMlp(), s.twinMlp(), s.dense(), s.vectorDense(),
                    s.popgrad(), new PopGradValidationTest.Perturbed(s.vectorPopgrad(), PopGradValidationTest.Defect.LAST_DA_TIMES_1_05));
            default -> throw new IllegalArgumentException(family);
        };
    }

    /** The vector kernels C2-compiled first, as the command does. */
    @BeforeAll
    static void warmUp() {
        Warm.once();
    }

    static int report(List<Validation.Row> rows, String notCompared, StringWriter out) {
        return ValidateCommandAccess.report(new PrintWriter(out), rows, notCompared);
    }

    @Test
    void theShippedKernelsPassEveryFamily() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        List<Validation.Row> rows = Validation.all(Validation.Implementations.shipped(), 60, 1);
        String vector = Kernels.vectorMlp().name();
        // every family compares its vector code: a family dropped from validate fails here
        for (String row : new String[] {"mlp.forward " + vector, "mlp.step hinge " + vector, "mlp.forward+step pow3 " + vector,
                "mlp.twin", "dense.forward " + vector, "dense.backwardInput " + vector, "dense.update " + vector, "popgrad " + vector,
                "mlp.step scalar vs double", "dense scalar vs double", "popgrad scalar vs double"}) {
            Rows.passes(rows, row);
        }
        StringWriter out = new StringWriter();
        assertEquals(Main.OK, report(rows, null, out), out.toString());
        assertTrue(out.toString().contains("all checks passed"), out.toString());
    }

    /** The rows a planted bug in each family's vector code must fail; every other row must still pass. */
    static List<String> failingRows(String family) {
        return switch (family) {
            // the rate reaches every step and the twin no longer matches the vector kernels' bits; forward is untouched
            case "mlp" -> List.of("mlp.step hinge", "mlp.step square", "mlp.step logistic", "mlp.step correlation",
                    "mlp.forward+step pow3", "mlp.twin");
            case "dense" -> List.of("dense.update");
            case "popgrad" -> List.of("popgrad perturbed");
            default -> throw new IllegalArgumentException(family);
        };
    }

    /** The hostile test, for each family: one method of the vector code off by 5%, and validate exits 1. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "dense", "popgrad"})
    void aPlantedBugInAnyFamilyFailsValidate(String family) {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        List<Validation.Row> rows = Validation.all(plant(family), 60, 2);
        StringWriter out = new StringWriter();
        assertEquals(Main.FAILURE, report(rows, null, out), out.toString());
        String text = out.toString();
        assertTrue(text.contains("FAILED"), text);
        assertFalse(text.contains("all checks passed"), text);
        // exactly the rows the bug can reach fail: the others still compare (and pass) with cases > 0
        List<String> failing = failingRows(family);
        for (String prefix : failing) Rows.fails(rows, prefix);
        for (Validation.Row r : rows) {
            if (failing.stream().noneMatch(r.check()::startsWith)) assertTrue(r.pass() && r.cases() > 0, r + "\n" + text);
        }
    }

    /** No vector kernels: the references are still checked against double, but the verdict is not a pass. */
    @Test
    void withoutVectorKernelsTheVerdictIsNotValidated() {
        Validation.Implementations s = Validation.Implementations.shipped();
        var scalarOnly = new Validation.Implementations(s.mlp(), null, null, s.dense(), null, s.popgrad(), null);
        List<Validation.Row> rows = Validation.all(scalarOnly, 30, 3);
        assertEquals(3, rows.size(), Rows.table(rows));
        Rows.passes(rows, "mlp.step scalar vs double brute force");
        Rows.passes(rows, "dense scalar vs double brute force");
        Rows.passes(rows, "popgrad scalar vs double brute force");
        StringWriter out = new StringWriter();
        assertEquals(Main.FAILURE, report(rows, "no vector here (test)", out), out.toString());
        String text = out.toString();
        assertTrue(text.contains("WARNING  vector kernels not checked: no vector here (test)"), text);
        assertTrue(text.contains("NOT VALIDATED: the vector kernels were not compared") && text.contains("Why: no vector here (test)"), text);
        assertFalse(text.contains("all checks passed"), text);
    }

    /** The real thing: a JVM without the incubator module (the provider falls back), validate --json --out. */
    @Test
    void aJvmWithoutTheVectorModuleExits1AndSaysWhy(@TempDir Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "validate", "--cases", "5", "--json", "--out", tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(Main.FAILURE, p.waitFor(), out);
        assertTrue(out.contains("NOT VALIDATED") && out.contains("module jdk.incubator.vector is not loaded"), out);
        Map<String, Object> json = Json.parse(Files.readString(tmp.resolve("validate.json")));
        assertEquals(false, json.get("pass"), json.toString());
        assertEquals(false, json.get("vector_compared"), json.toString());
        List<?> rows = (List<?>) json.get("rows");
        assertEquals(3, rows.size(), json.toString());
        for (Object r : rows) assertEquals(true, ((Map<?, ?>) r).get("pass"), r.toString());
    }

    /**
     * A usage error is one line on stderr and nothing else, in a fresh JVM: with -Dbitsgd.debug the kernel provider
     * logs an INFO line when it starts, and without the vector module a WARNING, so either would show if validate
     * started the kernels before checking its arguments.
     */
    @Test
    void usageErrorsAreOneLineBeforeAnyKernelStarts() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        for (String jvm : new String[] {"--add-modules=jdk.incubator.vector", "-Dbitsgd.kernels=auto"}) {
            for (String[] args : List.of(new String[] {"--cases", "0"}, new String[] {"--cases", "-2"}, new String[] {"--bogus"})) {
                List<String> cmd = new java.util.ArrayList<>(List.of(java, jvm, "-Dbitsgd.debug=true", "-cp",
                        System.getProperty("java.class.path"), Main.class.getName(), "validate"));
                cmd.addAll(List.of(args));
                Process p = new ProcessBuilder(cmd).start();
                String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
                assertEquals(Main.USAGE, p.waitFor(), cmd + "\n" + out + err);
                // the JVM's own incubator-module warning (the launcher drops it) is not ours
                List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
                assertEquals(1, lines.size(), cmd + ": " + err);
                assertTrue(lines.getFirst().startsWith("bitsgd: "), err);
                assertEquals("", out, cmd.toString());
            }
        }
    }
}
