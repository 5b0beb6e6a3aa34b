package io.memdoctor.simulator;

import java.util.List;

/** How one scenario drives its server: settings at start, data before the dashboard watches, then the incident. */
interface Workload {

    /** Extra {@code redis-server} arguments, such as a maxmemory. */
    default List<String> serverArgs() {
        return List.of();
    }

    /** The data a production instance would already hold when the dashboard starts watching. */
    void prepare(Load load);

    /** The incident, until {@link Load#running()} turns false. */
    void run(Load load);

    /** Releases what the workload holds beside its load (a subscriber's socket, a replica). */
    default void close() {
    }
}
