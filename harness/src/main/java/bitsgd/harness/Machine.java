package bitsgd.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a run ran, for its record: the same VM type lands on different CPUs from day to day, and every timing moves with it. */
public final class Machine {
    private Machine() {}

    /**
     * The CPU's model name from /proc/cpuinfo with its family and model numbers, e.g. {@code AMD EPYC (family 25, model 17)}
     * (a VM may give only "AMD EPYC", which does not tell Zen 4 from Zen 5); os.arch where there is no /proc/cpuinfo.
     */
    public static String cpu() {
        return Cpu.NAME;
    }

    /** Read once, on first use: a run asks for it only when it writes its record. */
    private static final class Cpu {
        static final String NAME = read(Path.of("/proc/cpuinfo"));
    }

    /** {@link #cpu} from a cpuinfo file (the first processor's block). */
    static String read(Path cpuinfo) {
        String name = null, family = null, model = null;
        try (BufferedReader in = Files.newBufferedReader(cpuinfo, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null && !(line.isBlank() && name != null); ) {
                int c = line.indexOf(':');
                if (c < 0) continue;
                String key = line.substring(0, c).trim(), value = line.substring(c + 1).trim();
                if (name == null && key.equals("model name")) name = value;
                if (family == null && key.equals("cpu family")) family = value;
                if (model == null && key.equals("model")) model = value;
            }
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        if (name == null) return System.getProperty("os.arch");
        return family == null || model == null ? name : name + " (family " + family + ", model " + model + ")";
    }
}
