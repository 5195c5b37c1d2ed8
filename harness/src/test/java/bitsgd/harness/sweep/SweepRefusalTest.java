package bitsgd.harness.sweep;

import static bitsgd.harness.sweep.Cli.bitsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a sweep refuses before it writes anything, and the one line it says. */
class SweepRefusalTest {

    @Test
    void aGridPointNoRunWouldAcceptIsRefusedByItsConfigIndexBeforeAnythingIsWritten(@TempDir Path tmp) throws IOException {
        // point 0 (n=30) could run; point 1 (n=20) cannot track 25 prefixes: only train's set-up finds that
        Path spec = Files.writeString(tmp.resolve("s.json"),
                "{\"name\": \"p\", \"fixed\": {\"k\": 2, \"track_prefixes\": 25}, \"grid\": {\"n\": [30, 20]}, \"seeds\": 2, \"budget\": 100}");
        Path out = tmp.resolve("out");
        Cli.Run r = bitsgd("sweep", spec.toString(), "--out", out.toString(), "--progress", "none");
        assertEquals(Main.USAGE, r.code(), r.err());
        assertEquals(List.of("bitsgd: grid point 1 (n=20): --track-prefixes 25 exceeds --n 20"), r.errLines());
        assertEquals("", r.out());
        assertFalse(Files.exists(out), "nothing may be written for a spec that cannot run");
        // nor is a Slurm script printed whose every task would fail
        Cli.Run sb = bitsgd("sweep", spec.toString(), "--out", out.toString(), "--print-sbatch");
        assertEquals(Main.USAGE, sb.code(), sb.err());
        assertEquals(r.errLines(), sb.errLines());
        assertEquals("", sb.out());
    }

    /** Settings each valid alone that no run of the MLP accepts: the second grid point (n=20) is named, for sweep and --print-sbatch. */
    @ParameterizedTest
    @ValueSource(strings = {"\"inputs\": \"gaussian\"", "\"layer_lr\": [0.1, 0.1, 0.1]", "\"track_prefixes\": 25"})
    void aSettingNoRunAcceptsNamesTheGridPointInSweepAndSbatch(String setting, @TempDir Path tmp) throws IOException {
        Path spec = Files.writeString(tmp.resolve("s.json"),
                "{\"name\": \"p\", \"fixed\": {\"k\": 2, " + setting + "}, \"grid\": {\"n\": [30, 20]}, \"seeds\": 2, \"budget\": 100}");
        Path out = tmp.resolve("out");
        for (boolean sbatch : new boolean[] {false, true}) {
            Cli.Run r = sbatch ? bitsgd("sweep", spec.toString(), "--out", out.toString(), "--print-sbatch")
                    : bitsgd("sweep", spec.toString(), "--out", out.toString(), "--progress", "none");
            assertEquals(Main.USAGE, r.code(), r.err());
            assertEquals(1, r.errLines().size(), r.err());
            String point = setting.contains("track") ? "grid point 1 (n=20): " : "grid point 0 (n=30): ";
            assertTrue(r.errLines().getFirst().startsWith("bitsgd: " + point), r.err());
            assertEquals("", r.out());
            assertFalse(Files.exists(out), "nothing may be written for a spec that cannot run");
        }
    }

    @Test
    void aCorruptSpecJsonIsCalledCorruptNotADifferentSweep(@TempDir Path tmp) throws IOException {
        Path spec = Files.writeString(tmp.resolve("tiny.json"), SweepTest.TINY);
        Path out = Files.createDirectories(tmp.resolve("out"));
        String torn = "{\"name\": \"tiny\", \"fix";
        Files.writeString(out.resolve(Records.SPEC), torn);
        Cli.Run r = bitsgd("sweep", spec.toString(), "--out", out.toString(), "--progress", "none");
        assertEquals(Main.USAGE, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().getFirst();
        assertTrue(line.startsWith("bitsgd: " + out.resolve(Records.SPEC) + " is corrupt (not JSON: "), line);
        assertTrue(line.endsWith("; if " + out + " holds this sweep, delete that file and run again to keep its records, else give another --out"), line);
        assertEquals(torn, Files.readString(out.resolve(Records.SPEC)));
        assertFalse(Files.exists(out.resolve(Records.RUNS)));
        // the advice works: without the file the same sweep starts afresh there
        Files.delete(out.resolve(Records.SPEC));
        SweepSpec other = SweepSpec.parse(SweepTest.TINY.replace("\"seeds\": 3", "\"seeds\": 1").replace("\"n\": [6, 8]", "\"n\": [6]"), null);
        SweepTest.run(other, out, 1, Shards.Shard.ALL);
        // a well-formed spec.json of another sweep is still "a different sweep"
        Cli.Run d = bitsgd("sweep", spec.toString(), "--out", out.toString(), "--progress", "none");
        assertEquals(Main.USAGE, d.code(), d.err());
        assertEquals(List.of("bitsgd: " + out + " holds a different sweep (its spec.json differs from this spec); use another --out"), d.errLines());
    }

    @Test
    void shardCountZeroSaysWhatIsWrong(@TempDir Path tmp) throws IOException {
        Path spec = Files.writeString(tmp.resolve("tiny.json"), SweepTest.TINY);
        Cli.Run r = bitsgd("sweep", spec.toString(), "--shard-count", "0", "--out", tmp.resolve("o").toString());
        assertEquals(Main.USAGE, r.code());
        assertEquals(List.of("bitsgd: --shard-count must be >= 1, got 0"), r.errLines());
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
