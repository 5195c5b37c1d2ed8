package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.task.Monomials;
import bitsgd.harness.task.Target;
import bitsgd.harness.task.Targets;
import bitsgd.harness.train.RunStreams.Stream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The run's target from its config, and the monomials whose coefficients its checks track. */
final class Tasks {
    private Tasks() {}

    /** {@code --target} of the config; a random parity support comes from the task stream. */
    static Target target(TrainConfig cfg, RunStreams streams) {
        return Targets.parse(cfg.setup().target(), cfg.n(), cfg.k(), cfg.secret(), streams.get(Stream.TASK));
    }

    /** Real-valued targets with at most this many monomials have each one's coefficient tracked. */
    static final int MAX_TRACKED_TARGET_MONOMIALS = 32;

    /**
     * The prefix monomials {}, {0}, {0,1}, … of length 0..d (d = 0: none), then, for a real-valued target, its own
     * monomials not already listed (up to {@value #MAX_TRACKED_TARGET_MONOMIALS}): f̂_T for the target's terms.
     */
    static List<int[]> tracked(Target target, int prefixes) {
        if (prefixes > target.n()) throw new UsageException("--track-prefixes " + prefixes + " exceeds --n " + target.n());
        List<int[]> out = new ArrayList<>(prefixes == 0 ? List.of() : Monomials.prefixes(prefixes));
        if (!target.binary()) {
            Targets.monomialsOf(target).ifPresent(m -> {
                if (m.size() > MAX_TRACKED_TARGET_MONOMIALS) return;
                for (int[] t : m.monomials()) {
                    if (t.length > 0 && out.stream().noneMatch(u -> Arrays.equals(u, t))) out.add(t);
                }
            });
        }
        return List.copyOf(out);
    }
}
