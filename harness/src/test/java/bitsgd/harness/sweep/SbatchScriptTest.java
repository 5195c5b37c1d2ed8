package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --print-sbatch script run by bash from a directory whose name tries every shell trick: nothing expands, nothing runs. */
class SbatchScriptTest {

    /** Quotes, $HOME, backquotes, $(...), a newline that would end the comment line, a tab, a backslash, spaces. */
    static final String HOSTILE = "a'b \"c\" $HOME `touch PWNED1` $(touch PWNED2)\ntouch PWNED3 #\t\\x ;touch PWNED4";

    static final List<String> PWNED = List.of("PWNED1", "PWNED2", "PWNED3", "PWNED4");

    static boolean bash() {
        return Files.isExecutable(Path.of("/bin/bash"));
    }

    /** Runs {@code script} with bash in {@code cwd}; returns the exit code. */
    static int runBash(Path script, Path cwd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString()).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(cwd.resolve("bash.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bash did not finish");
        }
        return p.exitValue();
    }

    @Test
    void everyPathReachesTheLauncherIntactAndNothingInItRuns(@TempDir Path tmp) throws Exception {
        assumeTrue(bash(), "no /bin/bash on this machine");
        Path hostile = Files.createDirectories(tmp.resolve(HOSTILE));
        Path spec = Files.writeString(hostile.resolve("sp'ec $USER.json"), SweepTest.TINY);
        Path out = hostile.resolve("o ut");
        Path argsFile = tmp.resolve("args");
        // a stub in place of bin/bitsgd (itself under the hostile name): writes each argument it gets, NUL-terminated
        Path stub = hostile.resolve("bit`sgd");
        Files.writeString(stub, "#!/bin/bash\nprintf '%s\\0' \"$@\" > \"$ARGS_FILE\"\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = Shards.sbatch(SweepSpec.parse(SweepTest.TINY, null), spec, out, 4, 2, stub.toString());
        Path scriptFile = Files.writeString(tmp.resolve("job.sh"), script);

        int code = runBash(scriptFile, tmp, Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_CPUS_PER_TASK", "2", "ARGS_FILE", argsFile.toString()));
        assertEquals(0, code, Files.readString(tmp.resolve("bash.log")));

        String[] args = Files.readString(argsFile, StandardCharsets.UTF_8).split("\0", -1);
        assertEquals(List.of("sweep", spec.toString(), "--out", out + "/shards/3", "--threads", "2", "--progress", "lines", ""),
                Arrays.asList(args), "arguments as the launcher received them");
        for (String f : PWNED) {
            assertFalse(Files.exists(tmp.resolve(f)) || Files.exists(hostile.resolve(f)), f + " created: a path was executed\n" + script);
        }
        assertEquals("", Files.readString(tmp.resolve("bash.log")), "bash complained: a path broke out of its quotes");
    }

    @Test
    void shellQuoteRoundTripsThroughBash(@TempDir Path tmp) throws Exception {
        assumeTrue(bash(), "no /bin/bash on this machine");
        List<String> words = List.of("plain", "", "it's", "''", "$HOME", "`id`", "$(id)", "a\nb", "\\", "\\'", "tab\there", "\u0001\u007f",
                "ünï cødé", "x\\x01y", HOSTILE);
        StringBuilder sb = new StringBuilder("printf '%s\\0'");
        for (String w : words) sb.append(' ').append(Shards.shellQuote(w));
        Path script = Files.writeString(tmp.resolve("q.sh"), sb + " > out\n");
        assertEquals(0, runBash(script, tmp, Map.of()), Files.readString(tmp.resolve("bash.log")));
        String[] got = Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8).split("\0", -1);
        assertEquals(words, Arrays.asList(got).subList(0, got.length - 1));
        for (String f : PWNED) assertFalse(Files.exists(tmp.resolve(f)), f);
    }
}
