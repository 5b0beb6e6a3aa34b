package io.memdoctor.secrets;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link SecretsUnavailableException} into Boot's "APPLICATION FAILED TO START" report. */
class SecretsFailureAnalyzer extends AbstractFailureAnalyzer<SecretsUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretsUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
