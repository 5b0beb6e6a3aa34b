package io.memdoctor.instances;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URL-safe id of an instance: the slug of its name ({@code "Prod Cache #1"} becomes {@code prod-cache-1}).
 *
 * @param value lower-case letters, digits and single dashes
 */
public record InstanceId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_LENGTH = 64;

    public InstanceId {
        if (value == null || value.length() > MAX_LENGTH || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("not an instance id: ids are lower-case letters, digits and dashes");
        }
    }

    /** Parses an id from a path or request. */
    public static InstanceId of(String value) {
        return new InstanceId(value);
    }

    /** The slug of a display name. */
    public static InstanceId slugOf(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.isEmpty()) {
            throw new IllegalArgumentException("name must contain at least one letter or digit");
        }
        if (slug.length() > MAX_LENGTH) {
            slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return new InstanceId(slug);
    }

    @Override
    public String toString() {
        return value;
    }
}
