package io.memdoctor.diagnosis;

import java.util.List;
import java.util.Objects;

/**
 * One cause the history shows, with its weight.
 *
 * @param verdict the cause
 * @param severity how serious, from the headroom left
 * @param summary one or two sentences an on-call engineer can paste into a channel
 * @param evidence the numbers and times that decided it
 * @param nextSteps what to run or look at, in order, for this instance
 * @param cause a finer cause within the verdict ({@code more-keys}, {@code keys-grow}, {@code ttl-lost} for data
 *     growth), {@code null} when the verdict says it all
 */
public record Finding(Verdict verdict, Severity severity, String summary, List<String> evidence, List<String> nextSteps,
        String cause) {

    public Finding {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
    }

    Finding(Verdict verdict, Severity severity, String summary, List<String> evidence, List<String> nextSteps) {
        this(verdict, severity, summary, evidence, nextSteps, null);
    }
}
