package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The diagnosis of one instance over a time range.
 *
 * @param verdict what happened
 * @param summary one or two sentences an on-call engineer can paste into a channel
 * @param evidence the numbers and times that decided it
 * @param nextSteps what to run or look at, in order, for this instance
 * @param from start of the range
 * @param to end of the range
 * @param samples successful samples the range held
 */
public record Diagnosis(Verdict verdict, String summary, List<String> evidence, List<String> nextSteps, Instant from,
        Instant to, int samples) {

    public Diagnosis {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(summary, "summary");
        evidence = List.copyOf(evidence);
        nextSteps = List.copyOf(nextSteps);
    }
}
