package bitsgd.harness;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this jar is: bitsgd's version and the git commit it was built from (git.properties, written by the build). */
public final class BuildInfo {
    public static final String VERSION = "0.1.0-SNAPSHOT";
    /** The abbreviated commit, with {@code +modified} when the working tree had uncommitted changes; {@code unknown} outside git. */
    public static final String COMMIT = commit();

    private BuildInfo() {}

    private static String commit() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/bitsgd/git.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String id = p.getProperty("git.commit.id.abbrev", "").strip();
            if (id.isEmpty()) return "unknown";
            return "true".equals(p.getProperty("git.dirty")) ? id + "+modified" : id;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * One line: {@code bitsgd 0.1.0-SNAPSHOT (commit 0c9abb8, JDK 25.0.3+9-LTS)}; the JDK from its property, since
     * Runtime.version().toString() bootstraps a lambda and a stream in a cold JVM.
     */
    public static String line() {
        return "bitsgd " + VERSION + " (commit " + COMMIT + ", JDK " + System.getProperty("java.runtime.version") + ")";
    }
}
