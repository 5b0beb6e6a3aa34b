package io.memdoctor.incidents.export;

import java.util.List;
import java.util.Map;

/**
 * Size limits every imported document is held to before it is read into an incident: no text longer than
 * {@link #MAX_STRING} characters, no list longer than {@link #MAX_ELEMENTS}, no object with more than
 * {@link #MAX_FIELDS} fields, nothing nested deeper than {@link #MAX_DEPTH}. A real export stays far inside them
 * (its longest text is {@code INFO all}, a few KB; its longest list the window's samples, at most 20,000); a file
 * past them is refused with where, instead of being stored whole and shown on every visit.
 */
final class ImportBounds {

    static final int MAX_STRING = 100_000;
    static final int MAX_ELEMENTS = 20_000;
    static final int MAX_FIELDS = 2_000;
    static final int MAX_DEPTH = 32;

    private ImportBounds() {
    }

    /**
     * @param document the file parsed as plain JSON (maps, lists, strings, numbers)
     * @throws IllegalArgumentException naming the first field past a limit, as {@code capture.facts.info.value}
     */
    static void check(Object document) {
        check(document, "", 0);
    }

    private static void check(Object node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(where(path) + " is nested deeper than " + MAX_DEPTH + " levels.");
        }
        if (node instanceof String text) {
            if (text.length() > MAX_STRING) {
                throw new IllegalArgumentException(where(path) + " is longer than " + MAX_STRING + " characters.");
            }
        }
        else if (node instanceof Map<?, ?> map) {
            if (map.size() > MAX_FIELDS) {
                throw new IllegalArgumentException(where(path) + " has more than " + MAX_FIELDS + " fields.");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
                if (name.length() > MAX_STRING) {
                    throw new IllegalArgumentException("A field name in " + where(path) + " is longer than "
                            + MAX_STRING + " characters.");
                }
                check(entry.getValue(), path.isEmpty() ? shown : path + "." + shown, depth + 1);
            }
        }
        else if (node instanceof List<?> list) {
            if (list.size() > MAX_ELEMENTS) {
                throw new IllegalArgumentException(where(path) + " has more than " + MAX_ELEMENTS + " elements.");
            }
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), path + "[" + i + "]", depth + 1);
            }
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "The file" : path;
    }
}
