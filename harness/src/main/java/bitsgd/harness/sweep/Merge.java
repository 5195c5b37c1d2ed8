package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.DirLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Joins the records of several output dirs of one sweep (shards) into one dir and reports runs
 * that are missing, present in more than one source (duplicates; "conflicting" when their
 * deterministic fields differ) or not part of the spec.
 */
public final class Merge {
    private Merge() {}

    public record Report(SweepSpec spec, int expected, int present, int copied, List<Records.Key> missing,
                         List<Records.Key> duplicates, List<Records.Key> conflicts, List<Records.Key> unexpected) {
        public boolean complete() {
            return missing.isEmpty() && conflicts.isEmpty() && unexpected.isEmpty();
        }
    }

    public static Report merge(Path into, List<Path> sources) throws IOException {
        if (sources.isEmpty()) throw new UsageException("merge needs at least one source dir");
        String specJson = null;
        Path specFrom = null;
        List<Path> dirs = new ArrayList<>();
        for (Path s : sources) {
            if (s.toAbsolutePath().normalize().equals(into.toAbsolutePath().normalize())) continue; // already the target
            Path f = s.resolve(Records.SPEC);
            if (!Files.isRegularFile(f)) throw new UsageException(s + " is not a sweep output dir (no " + Records.SPEC + ")");
            String j = Files.readString(f).strip();
            if (specJson == null) {
                specJson = j;
                specFrom = s;
            } else if (!specJson.equals(j)) {
                throw new UsageException(s + " holds a different sweep than " + specFrom + " (spec.json differs)");
            }
            dirs.add(s);
        }
        Path intoSpec = into.resolve(Records.SPEC);
        if (Files.isRegularFile(intoSpec)) {
            String j = Files.readString(intoSpec).strip();
            if (specJson == null) specJson = j;
            else if (!specJson.equals(j)) throw new UsageException(into + " holds a different sweep (spec.json differs)");
        }
        if (specJson == null) throw new UsageException("no source dir to merge");
        SweepSpec spec;
        try {
            spec = SweepSpec.parse(specJson, null);
        } catch (UsageException e) {
            Path f = (specFrom != null ? specFrom : into).resolve(Records.SPEC);
            throw new UsageException(f + " is not a sweep spec: " + e.getMessage());
        }
        AtomicFiles.writableDirectory(into, "--out");   // before reading any record: an unwritable --out is a usage error

        TreeSet<Records.Key> expected = new TreeSet<>();
        for (var p : spec.points()) for (long seed : spec.seeds()) expected.add(new Records.Key(p.index(), seed));

        TreeMap<Records.Key, Map<String, Object>> fromSources = new TreeMap<>();
        TreeSet<Records.Key> dup = new TreeSet<>(), conflict = new TreeSet<>();
        for (Path d : dirs) {
            for (var e : Records.readAll(d).entrySet()) {
                var prev = fromSources.putIfAbsent(e.getKey(), e.getValue());
                if (prev != null) {
                    dup.add(e.getKey());
                    if (!Records.deterministicPart(prev).equals(Records.deterministicPart(e.getValue()))) conflict.add(e.getKey());
                }
            }
        }
        try (DirLock lock = DirLock.acquire(into, "merge", null)) {
            Records.createRunsDir(into);
            if (!Files.exists(intoSpec)) AtomicFiles.write(intoSpec, specJson + "\n");
            return copy(spec, into, expected, fromSources, dup, conflict);
        }
    }

    /** Under the lock of {@code into}: copies the records it lacks and reports. */
    private static Report copy(SweepSpec spec, Path into, TreeSet<Records.Key> expected, TreeMap<Records.Key, Map<String, Object>> fromSources,
                               TreeSet<Records.Key> dup, TreeSet<Records.Key> conflict) throws IOException {
        TreeMap<Records.Key, Map<String, Object>> have = Records.readAll(into);
        int copied = 0;
        for (var e : fromSources.entrySet()) {
            Map<String, Object> old = have.get(e.getKey());
            if (old == null) {
                Records.write(into, e.getKey(), e.getValue());
                have.put(e.getKey(), e.getValue());
                copied++;
            } else if (!Records.deterministicPart(old).equals(Records.deterministicPart(e.getValue()))) {
                conflict.add(e.getKey());
            }
        }
        List<Records.Key> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (var k : expected) if (!have.containsKey(k)) missing.add(k);
        for (var k : have.keySet()) if (!expected.contains(k)) unexpected.add(k);
        return new Report(spec, expected.size(), have.size() - unexpected.size(), copied, missing, List.copyOf(dup),
                List.copyOf(conflict), unexpected);
    }
}
