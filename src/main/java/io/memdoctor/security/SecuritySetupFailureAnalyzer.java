package io.memdoctor.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link SecuritySetupException} into Spring Boot's "APPLICATION FAILED TO START" description and action. */
class SecuritySetupFailureAnalyzer extends AbstractFailureAnalyzer<SecuritySetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecuritySetupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
