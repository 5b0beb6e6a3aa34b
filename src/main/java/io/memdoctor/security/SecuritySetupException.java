package io.memdoctor.security;

/**
 * The security settings are unsafe or unusable; the dashboard refuses to start and
 * {@link SecuritySetupFailureAnalyzer} says what to change.
 */
class SecuritySetupException extends RuntimeException {

    private final String action;

    SecuritySetupException(String description, String action) {
        super(description);
        this.action = action;
    }

    String action() {
        return action;
    }
}
