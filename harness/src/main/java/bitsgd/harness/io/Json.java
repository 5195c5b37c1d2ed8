package bitsgd.harness.io;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** One-line JSON for records (jackson-jr). */
public final class Json {
    private static final JSON JSON_STD = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {}

    public static String line(Map<String, ?> value) {
        try {
            return JSON_STD.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> parse(String json) {
        try {
            return JSON_STD.mapFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
