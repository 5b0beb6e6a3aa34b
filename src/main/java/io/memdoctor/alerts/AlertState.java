package io.memdoctor.alerts;

/** Where an alert is in its life: the condition holds but not yet for long enough, holds, or ended. */
public enum AlertState {
    PENDING, FIRING, RESOLVED
}
