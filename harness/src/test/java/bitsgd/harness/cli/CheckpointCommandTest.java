package bitsgd.harness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.Json;
import bitsgd.harness.io.Npz;
import bitsgd.harness.train.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCommandTest {
    private static final String[] RUN = {"--n", "14", "--k", "2", "--width", "30", "--eval-every", "50", "--no-stop-on-solve",
            "--eval-samples", "512"};

    private static MainTest.Run train(Object... more) {
        String[] args = new String[1 + RUN.length + more.length];
        args[0] = "train";
        System.arraycopy(RUN, 0, args, 1, RUN.length);
        for (int i = 0; i < more.length; i++) args[1 + RUN.length + i] = String.valueOf(more[i]);
        return MainTest.run(args);
    }

    private static String curveColumns(Path dir) throws Exception {
        // step, loss, accuracies: every column but none (the curve has no timing columns)
        return Files.readString(dir.resolve("curve.csv"));
    }

    @Test
    void resumingAStoppedRunGivesTheUninterruptedRunsFiles(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), part = tmp.resolve("part");
        MainTest.Run a = train("--max-steps", 400, "--checkpoint-every", 100, "--out", whole);
        assertEquals(0, a.code(), a.err());
        MainTest.Run b = train("--max-steps", 200, "--checkpoint-every", 100, "--out", part);
        assertEquals(0, b.code(), b.err());
        MainTest.Run c = MainTest.run("train", "--resume", part.toString(), "--max-steps", "400");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("resume  from step 200"), c.out());
        assertEquals(curveColumns(whole), curveColumns(part));
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.npz")), Files.readAllBytes(part.resolve("model.npz")));
        Npz ck = Npz.read(part.resolve(Checkpoints.CHECKPOINT_FILE));
        assertTrue(ck.text("state.json").contains("\"step\":400"), ck.text("state.json"));
        assertArrayEquals(new int[] {14, 30}, ck.array("W").shape());
    }

    @Test
    void aSavedModelStartsARun(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("first"), second = tmp.resolve("second");
        assertEquals(0, train("--max-steps", 300, "--out", first).code());
        // settings come from the file: no --n or --k here; the trained model is solved at its first check
        MainTest.Run r = MainTest.run("train", "--model", first.resolve("model.npz").toString(), "--max-steps", "50", "--eval-every", "50",
                "--out", second.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("start   from"), r.out());
        MainTest.Run wrong = MainTest.run("train", "--model", first.resolve("model.npz").toString(), "--width", "31", "--max-steps", "50");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("model.npz holds"), wrong.err());
    }

    @Test
    void popgradAndTraceStartFromASavedModel(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, train("--max-steps", 300, "--out", run).code());
        String model = run.resolve("model.npz").toString();
        MainTest.Run atInit = MainTest.run("popgrad", "--n", "14", "--k", "2", "--width", "30", "--json");
        MainTest.Run atModel = MainTest.run("popgrad", "--model", model, "--json");
        assertEquals(0, atModel.code(), atModel.err());
        assertFalse(atInit.outLines().getLast().equals(atModel.outLines().getLast()), "the gradient at the trained model is another");
        MainTest.Run trace = MainTest.run("trace", "--model", model, "--steps", "3", "--out", tmp.resolve("trace").toString());
        assertEquals(0, trace.code(), trace.err());
        Map<String, Object> t = Json.parse(Files.readString(tmp.resolve("trace").resolve("trace.json")));
        @SuppressWarnings("unchecked")
        Number c = (Number) ((Map<String, Object>) t.get("init")).get("c");
        float savedC = Npz.read(run.resolve("model.npz")).array("c").floats()[0];
        assertEquals(savedC, c.floatValue(), "the trace starts from the saved parameters");
        MainTest.Run init = MainTest.run("popgrad", "--model", model, "--init", "sign");
        assertEquals(2, init.code(), init.err());
    }

    @Test
    void badUseIsOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
        Path done = tmp.resolve("done");
        assertEquals(0, train("--max-steps", 100, "--checkpoint-every", 100, "--out", done).code());
        String[][] bad = {
                {"train", "--n", "14", "--k", "2", "--checkpoint-every", "100"},                       // no --out
                {"train", "--n", "14", "--k", "2", "--checkpoint-every", "150", "--out", tmp.resolve("x").toString()},   // not a multiple of 100
                {"train", "--n", "14", "--k", "2", "--checkpoint-every", "-1", "--out", tmp.resolve("y").toString()},
                {"train", "--resume", tmp.resolve("missing").toString()},
                {"train", "--resume", tmp.toString()},                                                  // no checkpoint.npz in it
                {"train", "--resume", done.toString(), "--lr", "0.5"},                                  // only --max-steps may change
                {"train", "--resume", done.toString(), "--max-steps", "50"},                            // before the checkpoint
                {"train", "--resume", done.toString(), "--probe-every", "10"},
                {"train", "--model", tmp.resolve("missing.npz").toString()},
        };
        for (String[] args : bad) {
            MainTest.Run r = MainTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
            assertEquals(1, r.errLines().size(), String.join(" ", args) + "\n" + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("x")), "a refused run writes nothing");
    }
}
