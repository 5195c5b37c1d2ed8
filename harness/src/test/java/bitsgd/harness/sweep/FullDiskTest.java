package bitsgd.harness.sweep;

import static bitsgd.harness.sweep.Cli.bitsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.cli.Main;
import bitsgd.harness.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers on a real full disk (a small tmpfs): one clear line naming the file, no temp file left, records stay valid. */
class FullDiskTest {

    static final String NO_SPACE = "No space left on device";

    /** Every temp file under {@code dir}, hidden ones included (AtomicFiles names them .<name>.<pid>.<hex>.tmp). */
    static List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void aSweepStopsAtTheFirstRecordItCannotWriteAndResumesOnceThereIsSpace(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("tiny.json"), SweepTest.TINY);
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        // 5 pages: the probe (1, freed again), the lock's pid note (1), spec.json (1), then 3 records of ~2 KB; the 4th fails
        try (Tmpfs fs = Tmpfs.mount(mnt, 5)) {
            Path out = mnt.resolve("s");
            Cli.Run r = bitsgd("sweep", spec.toString(), "--out", out.toString(), "--threads", "1", "--progress", "none");
            assertEquals(Main.FAILURE, r.code(), r.err());
            assertEquals(List.of("bitsgd: cannot write " + out.resolve("runs/1-0.json") + ": " + NO_SPACE + "; sweep tiny stopped: 3 of 12 runs"
                    + " recorded, 8 not started; the records written stay valid, run the same command again to resume"), r.errLines());
            assertEquals(3, Records.readAll(out).size(), "the records written before the disk filled are whole");
            assertEquals(List.of(), tempFiles(mnt));

            fs.resize(256);
            var resumed = SweepTest.run(SweepTest.tiny(), out, 2, Shards.Shard.ALL);
            assertEquals(3, resumed.skipped());
            assertEquals(9, resumed.ran());
            SweepTest.run(SweepTest.tiny(), tmp.resolve("whole"), 2, Shards.Shard.ALL);
            assertEquals(SweepTest.deterministic(tmp.resolve("whole")), SweepTest.deterministic(out));
        }
    }

    @Test
    void plotOntoAFullDiskNamesTheFileAndLeavesNoTempFile(@TempDir Path tmp) throws Exception {
        Path sweep = tmp.resolve("sweep");
        SweepTest.run(SweepTest.tiny(), sweep, 2, Shards.Shard.ALL);
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        // 2 pages: the probe fits, the first ~40 KB chart does not
        try (Tmpfs fs = Tmpfs.mount(mnt, 2)) {
            Path plots = mnt.resolve("plots");
            Cli.Run r = bitsgd("plot", sweep.toString(), "--out", plots.toString());
            assertEquals(Main.FAILURE, r.code(), r.err());
            assertEquals(1, r.errLines().size(), r.err());
            String line = r.errLines().getFirst();
            assertTrue(line.startsWith("bitsgd: cannot write " + plots + "/curves-") && line.endsWith(".png: " + NO_SPACE), line);
            assertEquals(List.of(), tempFiles(mnt));

            // now full to the last page: every command refuses such an --out up front, alike, and leaves no dir behind
            Files.write(mnt.resolve("filler"), new byte[2 * Tmpfs.PAGE]);
            for (String[] cmd : List.of(new String[] {"plot", sweep.toString()}, new String[] {"summarize", sweep.toString()},
                    new String[] {"merge", sweep.toString()}, new String[] {"sweep", sweep.resolve(Records.SPEC).toString()},
                    new String[] {"train", "--n", "6", "--k", "2"})) {
                Path o = mnt.resolve("new").resolve(cmd[0]);
                String[] args = Stream.concat(Stream.of(cmd), Stream.of("--out", o.toString())).toArray(String[]::new);
                Cli.Run full = bitsgd(args);
                assertEquals(Main.USAGE, full.code(), cmd[0] + ": " + full.err());
                assertEquals(List.of("bitsgd: cannot write to --out " + o + ": " + NO_SPACE),
                        full.errLines(), cmd[0]);
                assertFalse(Files.exists(mnt.resolve("new")), cmd[0] + " left the directories it made");
            }
            assertEquals(List.of(), tempFiles(mnt));
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndSaysWhichAndWhy(@TempDir Path tmp) throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        try (Tmpfs fs = Tmpfs.mount(mnt, 2)) {
            Path target = mnt.resolve("result.json");
            AtomicFiles.write(target, "{\"old\": true}\n");
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[3 * Tmpfs.PAGE]));
            assertEquals("cannot write " + target + ": " + NO_SPACE, e.getMessage());
            assertEquals("{\"old\": true}\n", Files.readString(target), "readers still see the whole old file");
            assertEquals(List.of(), tempFiles(mnt));
        }
    }
}
