package bitsgd.harness.plot;

import bitsgd.harness.sweep.Summary;
import bitsgd.harness.sweep.SweepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The line of settings under a chart's title, so that a PNG says what it shows on its own: the settings every series
 * shares, in a few words ("width 100, batch 32, lr 0.1, hinge, seeds 0–24"). Defaults that say nothing (relu, the
 * MLP, no weight decay, online samples) are left out.
 */
public final class SharedSettings {
    private SharedSettings() {}

    /** What every grid point of the sweep shares, and its seeds. */
    public static String of(SweepSpec spec) {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (SweepSpec.Point p : spec.points()) {
            Map<String, Object> m = new LinkedHashMap<>(p.config().toMap());
            m.remove("seed");
            configs.add(m);
        }
        return ofRuns(configs) + ", " + seeds(spec.seeds());
    }

    /** What the runs share, from the configs of their result.json files (with the seed when they share it). */
    public static String ofRuns(List<Map<String, Object>> configs) {
        if (configs.isEmpty()) return "";
        Map<String, Object> common = new LinkedHashMap<>(configs.getFirst());
        for (Map<String, Object> m : configs) common.keySet().removeIf(key -> !Objects.equals(common.get(key), m.get(key)));
        return String.join(", ", words(common));
    }

    /** "seeds 0–24" for a run of consecutive seeds, else the list when short, else the count. */
    static String seeds(List<Long> seeds) {
        if (seeds.size() == 1) return "seed " + seeds.getFirst();
        boolean consecutive = true;
        for (int i = 1; i < seeds.size(); i++) consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        if (consecutive) return "seeds " + seeds.getFirst() + "–" + seeds.getLast();
        if (seeds.size() <= 5) return "seeds " + String.join(", ", seeds.stream().map(String::valueOf).toList());
        return seeds.size() + " seeds";
    }

    private static List<String> words(Map<String, Object> m) {
        List<String> out = new ArrayList<>();
        Object task = m.get("target");
        boolean parity = "sparse_parity".equals(task) || "parity".equals(task);
        if (task != null && !parity) out.add(String.valueOf(task));
        add(out, m, "n", "n ");
        if (parity) add(out, m, "k", "k ");
        Object arch = m.getOrDefault("arch", "mlp");
        if (m.containsKey("arch") && !"mlp".equals(arch)) out.add(arch + (("resnet".equals(arch) || "transformer".equals(arch)) && m.get("depth") != null ? " depth " + m.get("depth") : "")
                + ("transformer".equals(arch) && m.get("heads") != null ? " heads " + m.get("heads") : ""));
        if (!"neuron".equals(arch)) add(out, m, "width", "width ");
        if (m.get("activation") != null && !"relu".equals(m.get("activation"))) out.add(String.valueOf(m.get("activation")));
        add(out, m, "batch", "batch ");
        if (m.get("optimizer") != null && !"sgd".equals(m.get("optimizer"))) add(out, m, "optimizer", "");
        add(out, m, "lr", "lr ");
        if (nonzero(m.get("wd"))) add(out, m, "wd", "wd ");
        add(out, m, "loss", "");
        if (m.get("schedule") != null && !"none".equals(m.get("schedule"))) add(out, m, "schedule", "lr schedule ");
        if (nonzero(m.get("label_noise"))) add(out, m, "label_noise", "label noise ");
        if (nonzero(m.get("train_size"))) add(out, m, "train_size", "train size ");
        add(out, m, "max_steps", "max steps ");
        add(out, m, "seed", "seed ");
        return out;
    }

    private static void add(List<String> out, Map<String, Object> m, String key, String prefix) {
        Object v = m.get(key);
        if (v == null) return;
        out.add(prefix + (v instanceof Double d ? Summary.num(d) : String.valueOf(v)));
    }

    private static boolean nonzero(Object v) {
        return v instanceof Number n && n.doubleValue() != 0;
    }
}
