package bitsgd.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.train.Checkpoints;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.TrainState;
import bitsgd.harness.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep --checkpoint-every: an unfinished run continues from its checkpoint to the record of the run never stopped. */
class SweepCheckpointTest {
    private static final String SPEC = """
            {"name": "ck", "fixed": {"n": 10, "width": 24, "batch": 16, "lr": 0.5, "eval_every": 20, "eval_samples": 256,
             "stop_on_solve": false}, "grid": {"k": [2, 3]}, "seeds": 2, "budget": 400}
            """;

    private static String run(SweepSpec s, Path dir, long every) throws Exception {
        StringWriter log = new StringWriter();
        var opt = new SweepRunner.Options(2, Shards.Shard.ALL, ProgressMode.NONE, Map.of(), 0, every);
        SweepRunner.Outcome o = SweepRunner.run(s, dir, opt, new PrintWriter(log));
        assertEquals(0, o.failed(), log.toString());
        return log.toString();
    }

    @Test
    void anInterruptedRunContinuesFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        SweepSpec s = SweepSpec.parse(SPEC, null);
        Path plain = tmp.resolve("plain"), resumed = tmp.resolve("resumed");
        run(s, plain, 0);

        // what a job killed at step 200 of config 1, seed 1 leaves behind: no record, its checkpoint
        SweepSpec.Point p = s.points().get(1);
        TrainConfig cfg = p.config().withSeed(1);
        List<TrainState> states = new ArrayList<>();
        Trainer t = new Trainer(cfg).checkpoints(100, states::add);
        t.run(c -> {});
        Path ck = resumed.resolve("checkpoints").resolve("config1-seed1.npz");
        Files.createDirectories(ck.getParent());
        Checkpoints.write(ck, cfg, t.model(), t.tracked(), states.get(1), 100);

        String log = run(s, resumed, 100);
        assertTrue(log.contains("run config 1 seed 1 continues from step 200"), log);
        assertEquals(SweepTest.deterministic(plain), SweepTest.deterministic(resumed), "the same records, bit for bit");
        try (var left = Files.list(resumed.resolve("checkpoints"))) {
            assertEquals(0, left.count(), "a finished run's checkpoint is gone once its record is written");
        }
        String script = Shards.sbatch(s, Path.of("ck.json"), tmp.resolve("out"), 2, 1, 0, 100, "bitsgd");
        assertTrue(script.contains(" --checkpoint-every 100 "), script);
    }
}
