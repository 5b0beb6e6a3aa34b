package io.memdoctor.instances;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code CLIENT LIST} said about the connected clients, or why it said nothing (refused by an ACL, renamed on
 * a managed service, not answered). Only the fields a memory diagnosis needs are kept: never a command's arguments
 * (CLIENT LIST does not show them either), only the command's name.
 *
 * @param clients the clients, largest output buffer first
 * @param unavailable why there is no list, {@code null} when there is one
 */
public record ClientList(List<Client> clients, String unavailable) {

    public ClientList {
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** No list, and why. */
    public static ClientList unavailable(String reason) {
        return new ClientList(List.of(), reason);
    }

    public boolean available() {
        return unavailable == null;
    }

    /** The clients whose output buffer holds at least {@code bytes}, largest first, at most {@code limit}. */
    public List<Client> holdingAtLeast(long bytes, int limit) {
        return clients.stream().filter(c -> c.omem() >= bytes).limit(limit).toList();
    }

    /** Parses the text of {@code CLIENT LIST}: one line per client, {@code field=value} pairs. */
    public static ClientList parse(String text) {
        List<Client> clients = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String pair : line.strip().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            String flags = fields.getOrDefault("flags", "");
            clients.add(new Client(fields.getOrDefault("id", "?"), fields.getOrDefault("name", ""),
                    fields.getOrDefault("addr", "?"), flags, ClientClass.of(flags, fields), number(fields, "omem"),
                    number(fields, "tot-mem"), fields.getOrDefault("cmd", "?"), number(fields, "age"),
                    number(fields, "idle")));
        }
        clients.sort(Comparator.comparingLong(Client::omem).reversed());
        return new ClientList(clients, null);
    }

    private static long number(Map<String, String> fields, String name) {
        try {
            return Long.parseLong(fields.getOrDefault(name, "0"));
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }

    /**
     * One client.
     *
     * @param id the client id ({@code CLIENT KILL ID <id>})
     * @param name the name the application gave it ({@code CLIENT SETNAME}), empty when none
     * @param addr its address
     * @param flags CLIENT LIST's flags ({@code N}, {@code P}, {@code S}...)
     * @param kind the class {@code client-output-buffer-limit} applies to it
     * @param omem bytes in its output buffer list
     * @param totMem every byte it holds (buffers, query buffer, arguments)
     * @param cmd the last command's name, without arguments
     * @param age seconds connected
     * @param idle seconds since its last command
     */
    public record Client(String id, String name, String addr, String flags, ClientClass kind, long omem, long totMem,
            String cmd, long age, long idle) {
    }

    /** The classes of {@code client-output-buffer-limit}: a normal limit does not cap a subscriber. */
    public enum ClientClass {
        NORMAL("normal"), PUBSUB("pubsub"), REPLICA("replica");

        private final String limitName;

        ClientClass(String limitName) {
            this.limitName = limitName;
        }

        /** Its name in {@code client-output-buffer-limit}. */
        public String limitName() {
            return limitName;
        }

        static ClientClass of(String flags, Map<String, String> fields) {
            if (flags.contains("S")) {
                return REPLICA;
            }
            // 'P' since Redis 7.0; before, a subscriber shows only by its channel counts
            if (flags.contains("P") || positive(fields.get("sub")) || positive(fields.get("psub"))
                    || positive(fields.get("ssub"))) {
                return PUBSUB;
            }
            return NORMAL;
        }

        private static boolean positive(String value) {
            return value != null && !value.equals("0") && !value.startsWith("-");
        }
    }
}
