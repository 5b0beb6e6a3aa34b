package io.memdoctor.rdb.format;

/** Reading stopped because someone asked for it. */
public class RdbCancelledException extends RuntimeException {

    public RdbCancelledException() {
        super("cancelled");
    }
}
