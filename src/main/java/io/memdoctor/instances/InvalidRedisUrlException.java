package io.memdoctor.instances;

/** A Redis URL that cannot be used; the message is safe to show (it never quotes the URL). */
public class InvalidRedisUrlException extends IllegalArgumentException {

    public InvalidRedisUrlException(String message) {
        super(message);
    }
}
