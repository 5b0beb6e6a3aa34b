package io.memdoctor.incidents.export;

import java.util.LinkedHashMap;
import java.util.Map;

import io.memdoctor.incidents.Fact;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.NodeCapture;
import tools.jackson.databind.json.JsonMapper;

/** Captured facts as text to read: Redis' own text as it came, structured answers as indented JSON. */
public final class FactTexts {

    private FactTexts() {
    }

    /** Each fact's text by name, empty for a refused fact. */
    public static Map<String, String> of(Incident incident, JsonMapper json) {
        Map<String, String> out = new LinkedHashMap<>();
        incident.capture().facts().forEach((name, fact) -> out.put(name, text(fact, json)));
        return out;
    }

    /** Each node's facts as text, by node address then fact name (a cluster's incident; empty otherwise). */
    public static Map<String, Map<String, String>> ofNodes(Incident incident, JsonMapper json) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (NodeCapture node : incident.capture().nodes()) {
            Map<String, String> texts = new LinkedHashMap<>();
            node.facts().forEach((name, fact) -> texts.put(name, text(fact, json)));
            out.put(node.address(), texts);
        }
        return out;
    }

    static String text(Fact fact, JsonMapper json) {
        if (fact.refused()) {
            return "";
        }
        return fact.value() instanceof String text ? text
                : json.writerWithDefaultPrettyPrinter().writeValueAsString(fact.value());
    }
}
