package io.memdoctor.diagnosis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the diagnosis, under {@code memdoctor.diagnosis}.
 *
 * @param minClimb how long the dataset must have been climbing before it is called data growth: a queue that fills
 *     for a few seconds and drains on schedule is not growth, and cannot be told from it before it drains once
 */
@ConfigurationProperties("memdoctor.diagnosis")
public record DiagnosisProperties(@DefaultValue("60s") Duration minClimb) {
}
