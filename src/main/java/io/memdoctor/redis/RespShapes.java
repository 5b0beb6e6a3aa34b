package io.memdoctor.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What differs between a RESP2 and a RESP3 reply, undone, and replies the dashboard cannot read, classified. */
final class RespShapes {

    private RespShapes() {
    }

    /** RESP2 answers maps as flat name/value arrays: makes them maps again, nested ones too. */
    static Object pairs(Object answer) {
        if (answer instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), pairs(v)));
            return out;
        }
        if (answer instanceof List<?> list && list.size() % 2 == 0 && !list.isEmpty()) {
            boolean named = true;
            for (int i = 0; i < list.size(); i += 2) {
                named &= list.get(i) instanceof String;
            }
            if (named) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < list.size(); i += 2) {
                    out.put((String) list.get(i), pairs(list.get(i + 1)));
                }
                return out;
            }
        }
        return answer;
    }

    /** RESP3 sends some texts as verbatim strings that may keep their format prefix. */
    static String verbatim(String text) {
        return text != null && text.startsWith("txt:") ? text.substring(4) : text;
    }

    /** The parsed reply, or an ERROR failure naming the command when the reply is not what it should be. */
    static <T> T parsed(Supplier<T> parse, String command) {
        try {
            return parse.get();
        }
        catch (RuntimeException ex) {
            throw new RedisFailure(RedisFailure.Kind.ERROR, null, command + " answered what the dashboard cannot"
                    + " read: " + ex.getClass().getSimpleName());
        }
    }
}
