package bitsgd.harness.experiment;

import bitsgd.harness.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every experiment {@code bitsgd reproduce} knows, in {@code --list} order: a new experiment is one class and one line here. */
public final class Experiments {
    private Experiments() {}

    public static final List<Experiment> ALL = List.of(new Finding1(), new Finding1Grid(), new ScalingRelu100(), new ScalingPanels(), new Width(), new Noisy(), new Grokking(), new Leap(),
            new Staircase(), new StaircaseVariants(), new HiddenProgress(), new TransformerParity());

    private static final Map<String, Experiment> BY_NAME = new LinkedHashMap<>();

    static {
        for (Experiment e : ALL) {
            for (String name : names(e)) {
                if (BY_NAME.put(name, e) != null) throw new IllegalStateException("two experiments named " + name);
            }
        }
    }

    private static List<String> names(Experiment e) {
        List<String> out = new ArrayList<>(List.of(e.name()));
        out.addAll(e.aliases());
        return out;
    }

    public static List<String> names() {
        return ALL.stream().map(Experiment::name).toList();
    }

    /** The experiment of a name or an old name; an unknown one is a usage error listing them all. */
    public static Experiment get(String name) {
        Experiment e = BY_NAME.get(name);
        if (e != null) return e;
        List<String> old = new ArrayList<>();
        for (Experiment x : ALL) for (String a : x.aliases()) old.add(a + " = " + x.name());
        throw new UsageException("unknown preset '" + name + "' (known: " + String.join(", ", names()) + "; old names: " + String.join(", ", old) + ")");
    }
}
