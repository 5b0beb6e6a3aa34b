package io.memdoctor.instances;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tags of an instance: {@code key:value} ({@code env:prod}, {@code team:search}) or a plain word ({@code canary}),
 * used to group and filter the overview and the API. A tag is at most {@value #MAX_LENGTH} characters, without
 * spaces, commas or control characters (the add form separates tags with commas or spaces); an instance has at most
 * {@value #MAX_TAGS}. Tags keep the case they were written in and compare exactly.
 */
public final class InstanceTags {

    public static final int MAX_LENGTH = 64;
    public static final int MAX_TAGS = 20;

    private InstanceTags() {
    }

    /**
     * The tags, stripped, duplicates and blanks dropped, order kept.
     *
     * @throws IllegalArgumentException (400) for a tag that is too long or holds a space, comma or control character
     */
    public static List<String> valid(Collection<String> tags) {
        if (tags == null) {
            return List.of();
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag == null || tag.isBlank()) {
                continue;
            }
            kept.add(valid(tag.strip()));
        }
        if (kept.size() > MAX_TAGS) {
            throw new IllegalArgumentException("an instance has at most " + MAX_TAGS + " tags");
        }
        return List.copyOf(kept);
    }

    /** Tags typed in one field, separated by commas or spaces ({@code "env:prod, team:a"}). */
    public static List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return valid(new ArrayList<>(List.of(text.strip().split("[,\\s]+"))));
    }

    /** One tag, checked. */
    public static String valid(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("a tag must not be empty");
        }
        if (tag.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a tag must be at most " + MAX_LENGTH + " characters");
        }
        if (tag.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c) || c == ',')) {
            throw new IllegalArgumentException("a tag must not contain spaces, commas or control characters");
        }
        if (tag.startsWith(":") || tag.endsWith(":")) {
            throw new IllegalArgumentException("a tag is key:value or a word, not '" + tag + "'");
        }
        return tag;
    }

    /** {@code env} for {@code env:prod}; the word itself for a plain tag. */
    public static String key(String tag) {
        int colon = tag.indexOf(':');
        return colon < 0 ? tag : tag.substring(0, colon);
    }

    /** {@code prod} for {@code env:prod}; {@code null} for a plain tag. */
    public static String value(String tag) {
        int colon = tag.indexOf(':');
        return colon < 0 ? null : tag.substring(colon + 1);
    }
}
