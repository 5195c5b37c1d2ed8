package bitsgd.harness.cli;

import bitsgd.harness.model.Model;
import bitsgd.harness.train.Checkpoints;
import bitsgd.harness.train.Settings;
import java.nio.file.Path;

/** {@code --model FILE}, shared by the commands that can start from a saved model (train, trace, popgrad). */
final class SavedModelOption {
    static final Opt<Path> MODEL = Opt.path("--model",
            "Start from a saved model.npz (or a checkpoint.npz): its parameters, and its settings except those given here.").label("FILE");

    private SavedModelOption() {}

    /** The command line's settings, on top of the saved model's when --model is given. */
    static Settings settings(Parsed p) {
        Path file = p.get(MODEL);
        if (file == null) return ProblemOptions.read(p);
        return ProblemOptions.read(p, Checkpoints.readModel(file).config(), "--model " + file);
    }

    /** The saved model's parameters, checked against {@code model} (the arch and sizes the settings give), or null without --model. */
    static float[] parameters(Parsed p, Model model) {
        Path file = p.get(MODEL);
        if (file == null) return null;
        Checkpoints.load(model, Checkpoints.readModel(file), file);
        return model.parameters();
    }
}
