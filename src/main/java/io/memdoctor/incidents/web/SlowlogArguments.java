package io.memdoctor.incidents.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Fact;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.security.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Slow log arguments are application data ({@code SET session:42 "<the session>"}), so an incident shows them only
 * to an operator who asks: by default each entry keeps its command name and, when it is a key, its first argument,
 * and says how many arguments it hides.
 */
final class SlowlogArguments {

    /** The request parameter that reveals them, for an operator. */
    static final String PARAMETER = "slowlogArguments";

    /** Commands whose first argument is a script, a password, a setting or a subcommand's payload, not a key. */
    private static final Set<String> FIRST_ARGUMENT_NOT_A_KEY = Set.of("EVAL", "EVAL_RO", "EVALSHA", "EVALSHA_RO",
            "FCALL", "FCALL_RO", "FUNCTION", "SCRIPT", "AUTH", "HELLO", "MIGRATE", "ACL", "CONFIG", "CLIENT",
            "MODULE", "DEBUG", "PUBLISH", "SPUBLISH", "ECHO");

    private SlowlogArguments() {
    }

    /**
     * The incident as this request may see it.
     *
     * @throws ErrorResponseException 403 when someone who is not an operator asks to reveal the arguments
     */
    static Incident forRequest(Incident incident, boolean reveal) {
        if (!reveal) {
            return hidden(incident);
        }
        if (!CurrentUser.isOperator()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "Slow log arguments can hold application data: only an OPERATOR may reveal them.");
            problem.setTitle("Forbidden");
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
        }
        return incident;
    }

    /** The incident with every slow log entry's arguments hidden, a cluster's nodes' too. */
    static Incident hidden(Incident incident) {
        Capture capture = incident.capture();
        List<NodeCapture> nodes = capture.nodes().stream()
                .map(node -> node.with(hidden(node.facts()), node.checks(), node.diagnosis())).toList();
        return incident.withCapture(capture.withTexts(hidden(capture.facts()), capture.checks(), capture.diagnosis())
                .withNodes(nodes));
    }

    private static Map<String, Fact> hidden(Map<String, Fact> facts) {
        Fact slowlog = facts.get("slowlog");
        if (slowlog == null || !(slowlog.value() instanceof List<?> entries)) {
            return facts;
        }
        Map<String, Fact> out = new LinkedHashMap<>(facts);
        out.put("slowlog", new Fact(slowlog.command(), slowlog.refused(), slowlog.reason(),
                entries.stream().map(SlowlogArguments::entry).toList()));
        return out;
    }

    private static Object entry(Object entry) {
        if (!(entry instanceof Map<?, ?> fields) || !(fields.get("command") instanceof List<?> args)
                || args.isEmpty()) {
            return entry;
        }
        String name = String.valueOf(args.get(0));
        int kept = args.size() > 1 && !FIRST_ARGUMENT_NOT_A_KEY.contains(name.toUpperCase(Locale.ROOT)) ? 2 : 1;
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < kept; i++) {
            shown.add(String.valueOf(args.get(i)));
        }
        int hidden = args.size() - kept;
        if (hidden > 0) {
            shown.add("(" + hidden + (hidden == 1 ? " argument" : " arguments") + " hidden)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(String.valueOf(k), v));
        out.put("command", shown);
        return out;
    }
}
