package io.memdoctor.alerts;

/** How urgent an alert is, most urgent first (the alerts page sorts by it). */
public enum Severity {
    CRITICAL, WARNING, INFO
}
