package io.memdoctor.instances;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell command lines that reach one Redis with {@code redis-cli}, for the commands the dashboard shows (fixes for
 * big keys, next steps, exports). Every word is quoted for a POSIX shell, so a line pasted into a terminal runs
 * exactly the command shown, whatever a key is named ({@code $(touch /tmp/x)}, backquotes, quotes, spaces):
 *
 * <ul>
 * <li>a key is always in single quotes, a {@code '} in it written {@code '\''}; inside single quotes a shell
 *     expands nothing, and redis-cli takes each argument verbatim as the key's bytes;</li>
 * <li>a key with bytes a terminal cannot carry as they are (newlines and other control bytes, bytes that are not
 *     printable ASCII) is passed in redis-cli's own quoted form ({@code "line\nbreak"}, {@code \xHH}) with
 *     {@code --quoted-input} (redis-cli 7.0 and later), so the line stays one printable ASCII line;</li>
 * <li>other words are left as they are when they hold only characters no shell treats specially, else quoted
 *     ({@code ~} in {@code XTRIM ... MAXLEN ~ N} would be the home directory).</li>
 * </ul>
 *
 * <p>Key names arrive as the dashboard shows them: escaped the way redis-cli prints keys ({@code \\}, {@code \"},
 * {@code \n}, {@code \xHH}; see {@code KeyNames.escape}); that form is turned back into the key's bytes here.
 */
public final class RedisCliCommand {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    /** How scan results keep a key too long to show whole ({@code KeyNames.shown}): a prefix, its length and hash. */
    private static final Pattern SHORTENED = Pattern.compile(".*…\\[\\d+ bytes, sha256 [0-9a-f]{16}]", Pattern.DOTALL);

    /** {@code redis-cli} and the host and port, when given. */
    private final String target;
    /** The database ({@code -n}), 0 for the default. */
    private final int database;
    /** What follows {@code -n}: TLS, user, password prompt, cluster mode. */
    private final String options;

    private RedisCliCommand(String target, int database, String options) {
        this.target = target;
        this.database = database;
        this.options = options;
    }

    /** {@code redis-cli} with no connection options: the local default server. */
    public static RedisCliCommand local() {
        return new RedisCliCommand("redis-cli", 0, "");
    }

    /**
     * {@code redis-cli -h HOST -p PORT [-n DB] [--tls] [--user USER] [--askpass]} for this Redis: a password is
     * asked for at the prompt, never printed.
     */
    public static RedisCliCommand to(RedisUrl url) {
        StringBuilder options = new StringBuilder();
        if (url.tls()) {
            options.append(" --tls");
        }
        if (url.username() != null) {
            options.append(" --user ").append(word(url.username()));
        }
        if (url.hasPassword()) {
            options.append(" --askpass");
        }
        return new RedisCliCommand("redis-cli -h " + word(url.host()) + " -p " + url.port(), url.database(),
                options.toString());
    }

    /** As {@link #to(RedisUrl)} for a URL kept as text (an incident's redacted URL); {@link #local()} if unusable. */
    public static RedisCliCommand to(String url) {
        try {
            return to(RedisUrl.of(url));
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            return local();
        }
    }

    /** The same with {@code -c}: redis-cli follows a cluster's redirections to the node that holds the key. */
    public RedisCliCommand clusterMode() {
        return new RedisCliCommand(target, database, options + " -c");
    }

    /**
     * The same in another database ({@code -n DB}), for a key whose database is known (a key of an RDB file): it
     * replaces the URL's own.
     */
    public RedisCliCommand inDatabase(int db) {
        if (db < 0) {
            throw new IllegalArgumentException("a database number is not negative");
        }
        return new RedisCliCommand(target, db, options);
    }

    /** The {@code redis-cli ...} prefix with its connection options. */
    public String connection() {
        return target + (database == 0 ? "" : " -n " + database) + options;
    }

    /**
     * Whether a shown key can be named in a command: not when scan results kept only a prefix of a very long name
     * (redis-cli's escaped form never holds {@code …}, so the marker cannot be part of a real name).
     */
    public static boolean canName(String shownKey) {
        return shownKey != null && !SHORTENED.matcher(shownKey).matches();
    }

    /**
     * A command naming one key: {@code redis-cli ... COMMAND 'key' ARGS...}. Check {@link #canName} first: a
     * shortened name would name another key.
     *
     * @param command the command's words, space-separated ({@code MEMORY USAGE})
     * @param shownKey the key as the dashboard shows it (redis-cli's escaped form)
     * @param arguments the words after the key
     */
    public String forKey(String command, String shownKey, String... arguments) {
        byte[] key = keyBytes(shownKey);
        boolean printable = isPrintableAscii(key);
        List<String> words = new ArrayList<>();
        words.add(connection());
        if (!printable) {
            words.add("--quoted-input");
        }
        for (String part : command.split(" ")) {
            words.add(word(part));
        }
        words.add(printable ? quote(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1))
                : quote("\"" + repr(key) + "\""));
        for (String argument : arguments) {
            words.add(word(argument));
        }
        return String.join(" ", words);
    }

    /** A word for a POSIX shell: as it is when nothing in it is special to a shell, else single-quoted. */
    public static String word(String text) {
        return SAFE_WORD.matcher(text).matches() ? text : quote(text);
    }

    /** {@code text} in single quotes for a POSIX shell, each {@code '} written {@code '\''}. */
    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The bytes of a key shown in redis-cli's escaped form; a backslash that starts no escape stays a backslash. */
    static byte[] keyBytes(String shown) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '\\' && i + 1 < shown.length()) {
                char next = shown.charAt(i + 1);
                int escaped = switch (next) {
                    case '\\' -> '\\';
                    case '"' -> '"';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'a' -> 7;
                    case 'b' -> '\b';
                    default -> -1;
                };
                if (escaped >= 0) {
                    out.write(escaped);
                    i++;
                    continue;
                }
                if (next == 'x' && i + 3 < shown.length() && isHex(shown.charAt(i + 2)) && isHex(shown.charAt(i + 3))) {
                    out.write(Integer.parseInt(shown.substring(i + 2, i + 4), 16));
                    i += 3;
                    continue;
                }
            }
            if (c < 0x80) {
                out.write(c);
            }
            else {
                // not redis-cli's form (it escapes every byte above 0x7e): take the text as UTF-8
                int codePoint = shown.codePointAt(i);
                out.writeBytes(new String(Character.toChars(codePoint))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toByteArray();
    }

    /**
     * redis-cli's quoted form of the bytes ({@code sdscatrepr} without the quotes), which --quoted-input reads back
     * and scan results show: printable ASCII as is, {@code \\} and {@code "} escaped, {@code \n \r \t \a \b},
     * every other byte as {@code \xHH}.
     */
    public static String repr(byte[] key) {
        StringBuilder out = new StringBuilder(key.length + 16);
        for (byte b : key) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append((char) c);
                    }
                    else {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static boolean isPrintableAscii(byte[] key) {
        for (byte b : key) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return connection();
    }
}
