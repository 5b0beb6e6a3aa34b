package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The diagnosis of one instance over a time range: the primary finding's fields at the top (as before findings
 * existed), then every finding, primary first.
 *
 * @param verdict the primary cause
 * @param severity the primary finding's severity
 * @param summary one or two sentences an on-call engineer can paste into a channel
 * @param evidence the numbers and times that decided it
 * @param nextSteps what to run or look at, in order, for this instance
 * @param findings every cause found, the primary first; secondary ones each with their own evidence
 * @param from start of the range
 * @param to end of the range
 * @param samples successful samples the range held
 */
public record Diagnosis(Verdict verdict, Severity severity, String summary, List<String> evidence,
        List<String> nextSteps, List<Finding> findings, Instant from, Instant to, int samples) {

    public Diagnosis {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(summary, "summary");
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        // documents exported before findings existed carry only the top-level fields
        severity = severity == null ? Severity.INFO : severity;
        findings = findings == null || findings.isEmpty()
                ? List.of(new Finding(verdict, severity, summary, evidence, nextSteps))
                : List.copyOf(findings);
    }

    /** The diagnosis of these findings, the first being the primary one. */
    static Diagnosis of(List<Finding> findings, Instant from, Instant to, int samples) {
        Finding primary = findings.get(0);
        return new Diagnosis(primary.verdict(), primary.severity(), primary.summary(), primary.evidence(),
                primary.nextSteps(), findings, from, to, samples);
    }

    /** The same diagnosis with every summary and evidence line rewritten (key names redacted in an export). */
    public Diagnosis mapText(UnaryOperator<String> rewrite) {
        List<Finding> mapped = findings.stream().map(f -> new Finding(f.verdict(), f.severity(),
                rewrite.apply(f.summary()), f.evidence().stream().map(rewrite).toList(), f.nextSteps(), f.cause()))
                .toList();
        return new Diagnosis(verdict, severity, rewrite.apply(summary), evidence.stream().map(rewrite).toList(),
                nextSteps, mapped, from, to, samples);
    }

    /** The primary finding's finer cause, when it has one. */
    public String cause() {
        return findings.get(0).cause();
    }
}
