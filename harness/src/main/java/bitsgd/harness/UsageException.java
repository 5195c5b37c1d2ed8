package bitsgd.harness;

/**
 * Bad input from the user (a parameter out of range, inconsistent flags). The CLI prints the
 * message as one line {@code bitsgd: <message>} and exits with code 2; the message must therefore
 * be a single line that names the offending value.
 */
public class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
        super(message);
    }
}
