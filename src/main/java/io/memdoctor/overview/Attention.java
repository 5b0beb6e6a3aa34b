package io.memdoctor.overview;

/**
 * Why a card needs a look, worst first: the overview sorts by it and its summary bar counts it. A card takes the
 * worst reason that applies.
 */
public enum Attention {
    /** The newest sample failed (unreachable or error). */
    DOWN("down"),
    /** Used memory at 90 % of maxmemory (or of the host's memory without one), or the forecast says full within a day. */
    FULL("near full"),
    /** An alert fires and no silence covers it. */
    ALERT("alert firing"),
    /** Nothing to look at. */
    NONE("healthy");

    /** Used memory over the limit from which a card counts as near full. */
    static final double NEAR_FULL = 0.9;

    private final String label;

    Attention(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean needed() {
        return this != NONE;
    }
}
