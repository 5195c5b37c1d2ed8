package bitsgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a probe class's {@code main} in a fresh {@code -Xint} JVM (no JIT at all) with the test's class path and
 * vector width, and returns the hash it prints on a {@code HASH <n>} line: the interpreted side of the
 * "interpreted vs C2-compiled vector code give the same bits" tests.
 */
public final class InterpretedHash {
    private InterpretedHash() {}

    public static long of(Class<?> probe, int vectorBits, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xint",
                "-Dbitsgd.vectorBits=" + vectorBits, "-cp", System.getProperty("java.class.path"), probe.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        String line = out.lines().filter(l -> l.startsWith("HASH ")).findFirst().orElseThrow(() -> new AssertionError(out));
        return Long.parseLong(line.substring(5));
    }
}
