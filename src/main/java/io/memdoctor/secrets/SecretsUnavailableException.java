package io.memdoctor.secrets;

/**
 * The installation key is missing, malformed, or not the one stored secrets were sealed with. At start the
 * dashboard refuses to run and {@link SecretsFailureAnalyzer} prints the description and what to do, once, instead
 * of a stack trace at every sample.
 */
public class SecretsUnavailableException extends RuntimeException {

    private final String action;

    SecretsUnavailableException(String description, String action) {
        super(description);
        this.action = action;
    }

    static SecretsUnavailableException wrongKey(String source) {
        return new SecretsUnavailableException("A secret stored in the database cannot be decrypted with "
                + source + ": it was sealed with another key (or the stored value was altered).",
                "Start with the key that sealed it: the same " + SecretKeys.PROPERTY
                        + " (MEMDOCTOR_SECRETS_KEY), or the " + SecretKeys.FILE_NAME + " file of the data directory"
                        + " that was used with this database. If that key is lost, remove the instances that carry"
                        + " a password (or the database) and add them again.");
    }

    /** What to change, for the start-up failure report. */
    public String action() {
        return action;
    }
}
